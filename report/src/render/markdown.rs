//! The delta as a GitHub pull-request comment: the headline, a summary table, then one folded
//! `<details>` section per package. Every crate-derived string is escaped; the comment is cut,
//! with a note, before GitHub's size limit.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::capability::Capability;
use crate::diff::{Change, PackageDelta, ReportDiff, Severity};
use crate::render::source::SourceDelta;
pub use crate::render::source::SourceDiffs;
use crate::render::{
    LIST_LIMIT, build_kinds_summary, counter_summary, policy_summary, unsafe_cell,
};
use crate::sanitize::{ci_lines, code_fence, code_line, markdown as md};

/// GitHub refuses comments over 65,536 characters; stop well before, leaving room for the note.
pub const DEFAULT_LIMIT: usize = 60_000;

/// A marker the PR workflow looks for to update its one comment instead of adding another.
pub const COMMENT_MARKER: &str = "<!-- cargo-risk-report -->";

pub fn render(
    diff: &ReportDiff,
    sources: &SourceDiffs,
    limit: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let text = render_string(diff, sources, limit);
    // The comment may also be printed in a CI log (`cat`, a step summary).
    out.write_all(ci_lines(&text).as_bytes())
}

fn render_string(diff: &ReportDiff, sources: &SourceDiffs, limit: usize) -> String {
    let mut head = format!("{COMMENT_MARKER}\n### {}\n", md(&diff.headline()));
    if let Some(s) = &diff.settings {
        head.push_str(&format!("\n_{}_\n", md(&s.line())));
    }
    if let Some(rules) = diff.rules {
        head.push_str(&format!("\n_{}_\n", md(&crate::diff::rules_line(rules))));
    }
    if diff.packages.is_empty() {
        return head;
    }
    if let Some(gate) = diff.gate_line() {
        head.push_str(&format!("\n**{}**\n", md(&gate)));
    }
    if let Some(policy) = policy_summary(diff) {
        head.push_str(&format!("\n**{}**\n", md(&policy)));
    }
    let risky: Vec<&PackageDelta> = diff
        .packages
        .iter()
        .filter(|d| d.severity > Severity::None || !d.violations.is_empty())
        .collect();
    let quiet = diff.packages.len() - risky.len();

    head.push_str("\n| crate | change | new | unsafe | build script |\n|---|---|---|---|---|\n");
    // The table gets at most half the budget; the folded details share the rest.
    let mut rows_cut = 0;
    for d in &risky {
        let row = table_row(d);
        if head.len() + row.len() > limit / 2 {
            rows_cut += 1;
        } else {
            head.push_str(&row);
        }
    }
    if rows_cut > 0 {
        head.push_str(&format!(
            "\n_{rows_cut} more row(s) left out of this table._\n"
        ));
    }
    if quiet > 0 {
        head.push_str(&format!(
            "\n{quiet} more package change(s) with no risk change (version bumps, removals).\n"
        ));
    }

    let mut body = String::new();
    let mut cut = 0;
    for d in &diff.packages {
        let section = details(d, sources.get(&d.label()));
        if head.len() + body.len() + section.len() + 200 > limit {
            cut += 1;
            continue;
        }
        body.push_str(&section);
    }
    let mut text = head;
    text.push('\n');
    text.push_str(&body);
    if cut > 0 {
        text.push_str(&format!(
            "\n_Cut to fit a comment: {cut} package section(s) left out. Run `cargo risk-report diff` locally for all of it._\n"
        ));
    }
    text
}

fn table_row(d: &PackageDelta) -> String {
    let change = match &d.change {
        Change::Changed { .. } => "**changed in place**".to_string(),
        other => other.word().to_string(),
    };
    let change = match &d.reach {
        Some(r) if r.now_shipped() => format!("{change}, **now shipped**"),
        Some(r) if r.rises() => format!("{change}, **now at build time**"),
        _ => change,
    };
    let change = if d.coverage_lost.is_empty() {
        change
    } else {
        format!("{change}, **coverage lost**")
    };
    let change = match d.violations.first() {
        Some(v) if v.starts_with("deny ") => format!("{change}, **violates policy**"),
        Some(_) => format!("{change}, policy warning"),
        None => change,
    };
    // What the package newly brings into what ships: gained capabilities, and all of them
    // when it starts to ship.
    let mut new: BTreeSet<Capability> = d.gained.clone();
    if let Some(r) = d.reach.as_ref().filter(|r| r.rises()) {
        new.extend(r.brings.iter().copied());
    }
    let mut new: Vec<Capability> = new.into_iter().collect();
    new.sort_by_key(|c| c.rank());
    let new: Vec<&str> = new.iter().map(|c| c.code()).collect();
    format!(
        "| {} | {change} | {} | {} | {} |\n",
        md(&d.label()),
        if new.is_empty() {
            "-".to_string()
        } else {
            md(&new.join(", "))
        },
        unsafe_cell(d),
        build_kinds_summary(d).map_or("-".to_string(), |s| md(&s)),
    )
}

fn details(d: &PackageDelta, source_diff: Option<&SourceDelta>) -> String {
    let mut s = format!(
        "<details><summary>{}: {}</summary>\n\n",
        md(&d.label()),
        md(d.headlines.first().map(String::as_str).unwrap_or(""))
    );
    for h in &d.headlines {
        s.push_str(&format!("- {}\n", md(h)));
    }
    let counters = counter_summary(d);
    if !counters.is_empty() {
        s.push_str(&format!("- counters: {}\n", md(&counters)));
    }
    for l in d.coverage_lost.iter().take(LIST_LIMIT) {
        s.push_str(&format!("- not seen: {} {}\n", md(&l.list), md(&l.entry)));
    }
    for e in d.embedded_added.iter().take(LIST_LIMIT) {
        s.push_str(&format!("- embeds {}\n", md(e)));
    }
    for b in d.binaries_added.iter().take(LIST_LIMIT) {
        s.push_str(&format!(
            "- {} {} ({}, {} bytes)\n",
            if b.fixture {
                "binary test fixture"
            } else {
                "ships binary"
            },
            md(&b.path),
            md(&b.format),
            b.bytes
        ));
    }
    let cut = d.embedded_added.len().saturating_sub(LIST_LIMIT)
        + d.binaries_added.len().saturating_sub(LIST_LIMIT)
        + d.coverage_lost.len().saturating_sub(LIST_LIMIT);
    if cut > 0 {
        s.push_str(&format!("- and {cut} more file(s)\n"));
    }
    for v in &d.violations {
        s.push_str(&format!("- policy: {}\n", md(v)));
    }
    if let Some(a) = &d.audit {
        s.push_str(&format!("- audit: {}\n", md(a)));
    }
    if let Some(link) = source_link(d) {
        s.push_str(&format!("- {link}\n"));
    }
    if let Some(delta) = source_diff {
        // Inside the fence only line breaks and reordering need escaping; the fence is
        // longer than any run of backticks in the content, so nothing can close it.
        let code = delta.lines(code_line).join("\n");
        let fence = code_fence(&code);
        s.push_str(&format!("\n{fence}diff\n{code}\n{fence}\n"));
    }
    s.push_str("\n</details>\n\n");
    s
}

/// A link to a source diff of the two versions (diff.rs) or to the new version's sources.
/// Names on crates.io are `[A-Za-z0-9_-]`; anything else gets no link rather than an escaped
/// one.
fn source_link(d: &PackageDelta) -> Option<String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
    };
    if !plain(&d.name) {
        return None;
    }
    match &d.change {
        Change::Updated { from, to } if plain(from) && plain(to) => Some(format!(
            "[source diff {from} -> {to}](https://diff.rs/{}/{from}/{to})",
            d.name
        )),
        Change::Added { version } if plain(version) => Some(format!(
            "[browse source](https://docs.rs/crate/{}/{version}/source/)",
            d.name
        )),
        _ => None,
    }
}
