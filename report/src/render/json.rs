//! The delta as JSON: the [`ReportDiff`] model itself, plus the headline and the gate verdict.

use std::io::{self, Write};

use serde::Serialize;

use crate::diff::ReportDiff;

#[derive(Serialize)]
struct Envelope<'a> {
    headline: String,
    adds_risk: bool,
    #[serde(flatten)]
    diff: &'a ReportDiff,
}

pub fn render(diff: &ReportDiff, out: &mut impl Write) -> io::Result<()> {
    let envelope = Envelope {
        headline: diff.headline(),
        adds_risk: diff.adds_risk(),
        diff,
    };
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    writeln!(out)
}
