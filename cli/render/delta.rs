//! The delta in the format asked for: text, markdown, JSON (the report crate's renderers)
//! or SARIF.

use std::io::Write;

use risk_report::diff::ReportDiff;
use risk_report::render;

use crate::config::DiffFormat;
use crate::plumbing::evidence::{Facts, Lockfile};

/// Renders a delta in the chosen format.
pub fn render_delta(
    d: &ReportDiff,
    format: DiffFormat,
    color: bool,
    sources: &render::markdown::SourceDiffs,
    out: &mut impl Write,
) -> std::io::Result<()> {
    match format {
        DiffFormat::Text => render::text::render(d, color, sources, out),
        DiffFormat::Markdown => {
            render::markdown::render(d, sources, render::markdown::DEFAULT_LIMIT, out)
        }
        DiffFormat::Json => render::json::render(d, out),
        // Without the reports at hand (`run` passes them), results name no lockfile line.
        DiffFormat::Sarif => super::sarif::render_diff(d, &Lockfile::default(), &Facts::new(), out),
    }
}
