//! The delta as JSON: the [`ReportDiff`] model itself, plus the headline and the gate verdict.

use std::io::{self, Write};

use serde::Serialize;

use crate::diff::ReportDiff;
use crate::sanitize::json_text;

#[derive(Serialize)]
struct Envelope<'a> {
    headline: String,
    adds_risk: bool,
    /// The gate's one line, when it fails: which packages, and what.
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<String>,
    #[serde(flatten)]
    diff: &'a ReportDiff,
}

pub fn render(diff: &ReportDiff, out: &mut impl Write) -> io::Result<()> {
    let envelope = Envelope {
        headline: diff.headline(),
        adds_risk: diff.adds_risk(),
        gate: diff.gate_line(),
        diff,
    };
    let text = serde_json::to_string_pretty(&envelope).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}
