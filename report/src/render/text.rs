//! The delta for a terminal or a CI log.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diff::{Change, ReportDiff, Severity};
use crate::render::source::SourceDiffs;
use crate::render::{LIST_LIMIT, build_kinds_summary, counter_summary, policy_summary};
use crate::sanitize::{ci_lines, terminal};

/// Writes the delta; `color` adds ANSI colours for severities; `sources` holds the
/// source-level delta of some packages (`diff --source`), printed under them.
pub fn render(
    diff: &ReportDiff,
    color: bool,
    sources: &SourceDiffs,
    out: &mut impl Write,
) -> io::Result<()> {
    out.write_all(ci_lines(&render_string(diff, color, sources)).as_bytes())
}

fn render_string(diff: &ReportDiff, color: bool, sources: &SourceDiffs) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", terminal(&diff.headline()));
    if let Some(s) = &diff.settings {
        let _ = writeln!(out, "{}", terminal(&s.line()));
    }
    if let Some(rules) = diff.rules {
        let _ = writeln!(out, "{}", terminal(&crate::diff::rules_line(rules)));
    }
    if let Some(gate) = diff.gate_line() {
        let _ = writeln!(out, "{}", terminal(&gate));
    }
    if let Some(policy) = policy_summary(diff) {
        let _ = writeln!(out, "{policy}");
    }
    for d in &diff.packages {
        let (mark, paint) = match d.severity {
            Severity::Critical => ("!!", "\x1b[1;31m"),
            Severity::High => ("! ", "\x1b[31m"),
            Severity::Medium => ("+ ", "\x1b[33m"),
            Severity::Low => ("~ ", ""),
            Severity::None => ("  ", "\x1b[2m"),
        };
        let (on, off) = if color && !paint.is_empty() {
            (paint, "\x1b[0m")
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "{on}{mark} {} ({}): {}{off}",
            terminal(&d.label()),
            d.change.word(),
            terminal(&d.headlines.join("; "))
        );
        let counters = counter_summary(d);
        if !counters.is_empty() {
            let _ = writeln!(out, "     counters: {counters}");
        }
        if let Some(kinds) = build_kinds_summary(d) {
            let _ = writeln!(out, "     build script: {kinds}");
        }
        for l in d.coverage_lost.iter().take(LIST_LIMIT) {
            let _ = writeln!(out, "     not seen: {} {}", l.list, terminal(&l.entry));
        }
        for e in d.embedded_added.iter().take(LIST_LIMIT) {
            let _ = writeln!(out, "     embeds: {}", terminal(e));
        }
        for b in d.binaries_added.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                out,
                "     binary{}: {} ({}, {} bytes)",
                if b.fixture { " test fixture" } else { "" },
                terminal(&b.path),
                terminal(&b.format),
                b.bytes
            );
        }
        let cut = d.embedded_added.len().saturating_sub(LIST_LIMIT)
            + d.binaries_added.len().saturating_sub(LIST_LIMIT)
            + d.coverage_lost.len().saturating_sub(LIST_LIMIT);
        if cut > 0 {
            let _ = writeln!(out, "     ... and {cut} more file(s): see --format json");
        }
        if !d.lost.is_empty() && !matches!(d.change, Change::Removed { .. }) {
            let lost: Vec<&str> = d.lost.iter().map(|c| c.code()).collect();
            let _ = writeln!(out, "     no longer: {}", lost.join(", "));
        }
        for v in &d.violations {
            let _ = writeln!(out, "     policy: {}", terminal(v));
        }
        if let Some(a) = &d.audit {
            let _ = writeln!(out, "     audit: {}", terminal(a));
        }
        if let Some(code) = sources.get(&d.label()) {
            for line in code.lines(terminal) {
                let _ = writeln!(out, "     | {line}");
            }
        }
    }
    out
}
