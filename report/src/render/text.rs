//! The delta for a terminal.

use std::io::{self, Write};

use crate::diff::{Change, ReportDiff, Severity};
use crate::render::markdown::SourceDiffs;
use crate::render::{LIST_LIMIT, build_kinds_summary, counter_summary, policy_summary};
use crate::sanitize::terminal;

/// Writes the delta; `color` adds ANSI colours for severities; `sources` holds the
/// source-level delta of some packages (`diff --source`), printed under them.
pub fn render(
    diff: &ReportDiff,
    color: bool,
    sources: &SourceDiffs,
    out: &mut impl Write,
) -> io::Result<()> {
    writeln!(out, "{}", terminal(&diff.headline()))?;
    if let Some(s) = &diff.settings {
        writeln!(out, "{}", terminal(&s.line()))?;
    }
    if let Some(policy) = policy_summary(diff) {
        writeln!(out, "{policy}")?;
    }
    for d in &diff.packages {
        let (mark, paint) = match d.severity {
            Severity::Critical => ("!!", "\x1b[1;31m"),
            Severity::High => ("! ", "\x1b[31m"),
            Severity::Medium => ("+ ", "\x1b[33m"),
            Severity::Low => ("~ ", ""),
            Severity::None => ("  ", "\x1b[2m"),
        };
        let what = match &d.change {
            Change::Added { .. } => "added",
            Change::Removed { .. } => "removed",
            Change::Updated { .. } => "updated",
            Change::Changed { .. } => "changed",
        };
        let (on, off) = if color && !paint.is_empty() {
            (paint, "\x1b[0m")
        } else {
            ("", "")
        };
        writeln!(
            out,
            "{on}{mark} {} ({what}): {}{off}",
            terminal(&d.label()),
            terminal(&d.headlines.join("; "))
        )?;
        let counters = counter_summary(d);
        if !counters.is_empty() {
            writeln!(out, "     counters: {counters}")?;
        }
        if let Some(kinds) = build_kinds_summary(d) {
            writeln!(out, "     build script: {kinds}")?;
        }
        for e in d.embedded_added.iter().take(LIST_LIMIT) {
            writeln!(out, "     embeds: {}", terminal(e))?;
        }
        for b in d.binaries_added.iter().take(LIST_LIMIT) {
            writeln!(
                out,
                "     binary: {} ({}, {} bytes)",
                terminal(&b.path),
                b.format,
                b.bytes
            )?;
        }
        let cut = d.embedded_added.len().saturating_sub(LIST_LIMIT)
            + d.binaries_added.len().saturating_sub(LIST_LIMIT);
        if cut > 0 {
            writeln!(out, "     ... and {cut} more file(s): see --format json")?;
        }
        if !d.lost.is_empty() && !matches!(d.change, Change::Removed { .. }) {
            let lost: Vec<&str> = d.lost.iter().map(String::as_str).collect();
            writeln!(out, "     no longer: {}", terminal(&lost.join(", ")))?;
        }
        for v in &d.violations {
            writeln!(out, "     policy: {}", terminal(v))?;
        }
        if let Some(a) = &d.audit {
            writeln!(out, "     audit: {}", terminal(a))?;
        }
        if let Some(code) = sources.get(&d.label()) {
            for line in code.lines() {
                writeln!(out, "     | {}", terminal(line))?;
            }
        }
    }
    Ok(())
}
