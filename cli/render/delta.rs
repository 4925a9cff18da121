//! The delta in the format asked for: text, markdown, JSON (the report crate's renderers)
//! or SARIF. One signature for every format: the delta and what the caller gathered for it
//! beforehand ([`Gathered`]); nothing here reads a file, runs git or opens a tarball.

use std::io::Write;

use risk_report::diff::ReportDiff;
use risk_report::render;

use crate::config::DiffFormat;
use crate::plumbing::evidence::{Facts, Lockfile};

/// What a delta's renderers read besides the delta itself, gathered before rendering; the
/// default is nothing (no source delta, results naming no lockfile line or finding).
#[derive(Debug, Default)]
pub struct Gathered {
    /// `--source`: the risky code that changed (text and markdown).
    pub sources: render::markdown::SourceDiffs,
    /// The lockfile beside the new report (SARIF).
    pub lockfile: Lockfile,
    /// The facts of the packages SARIF results locate findings in.
    pub facts: Facts,
}

/// Renders a delta in the chosen format.
pub fn render_delta(
    d: &ReportDiff,
    format: DiffFormat,
    color: bool,
    gathered: &Gathered,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let sources = &gathered.sources;
    match format {
        DiffFormat::Text => render::text::render(d, color, sources, out),
        DiffFormat::Markdown => {
            render::markdown::render(d, sources, render::markdown::DEFAULT_LIMIT, out)
        }
        DiffFormat::Json => render::json::render(d, out),
        DiffFormat::Sarif => super::sarif::render_diff(d, &gathered.lockfile, &gathered.facts, out),
    }
}
