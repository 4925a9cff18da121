//! `diff --source`: for each updated package whose two tarballs are in the cargo cache, the
//! risky code that changed: hunks of the text diff that add a line carrying a new finding, and
//! the whole build-script diff. Both tarballs are verified against the checksums in the
//! reports before they are read. The result is data (`SourceDelta`): file names and lines
//! are escaped by the renderer that prints them.

use std::collections::BTreeMap;

use risk_report::diff::{Change, ReportDiff, Severity};
use risk_report::facts::{FileFacts, Role};
use risk_report::model::{Package, Report};
use risk_report::render::source::{SourceDelta, SourceDiffs, SourceFile, SourceLine};
use similar::{ChangeTag, TextDiff};

use crate::plumbing::open::{Opened as Loaded, Opener};

/// Most lines of source delta shown per package; the rest is counted, not shown.
const MAX_LINES: usize = 200;

/// Source deltas keyed by the delta's package label.
pub fn source_diffs(d: &ReportDiff, old: &Report, new: &Report, opener: &Opener) -> SourceDiffs {
    let mut out = SourceDiffs::new();
    // each version read with the caps of the scan that reported it
    let (old_opener, new_opener) = (opener.for_report(old), opener.for_report(new));
    for p in &d.packages {
        let (Change::Updated { from, to } | Change::Downgraded { from, to }) = &p.change else {
            continue;
        };
        if p.severity == Severity::None {
            continue;
        }
        let (Some(a), Some(b)) = (find(old, &p.name, from), find(new, &p.name, to)) else {
            continue;
        };
        let delta = match (load(a, &old_opener), load(b, &new_opener)) {
            (Some(a), Some(b)) => package_delta(&a, &b),
            _ => SourceDelta {
                note: Some("both tarballs are needed for the source delta; run `cargo fetch` for the old lockfile too".to_owned()),
                ..SourceDelta::default()
            },
        };
        if delta != SourceDelta::default() {
            out.insert(p.label(), delta);
        }
    }
    out
}

fn find<'a>(r: &'a Report, name: &str, version: &str) -> Option<&'a Package> {
    r.packages
        .values()
        .find(|p| p.name == name && p.version == version)
}

/// Opens a package's tarball, verified against its recorded checksum.
fn load(p: &Package, opener: &Opener) -> Option<Loaded> {
    opener.open(&p.name, &p.version, p.checksum.as_deref())
}

fn text_of<'a>(l: &'a Loaded, path: &str) -> &'a str {
    l.unpacked
        .files
        .get(path)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("")
}

fn package_delta(old: &Loaded, new: &Loaded) -> SourceDelta {
    let mut out = SourceDelta::default();
    let mut lines = 0usize;
    let old_files: BTreeMap<&str, &FileFacts> = old
        .facts
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    for file in &new.facts.files {
        if file.role == Role::Test || (file.findings.is_empty() && file.role != Role::Build) {
            continue;
        }
        let before = text_of(old, &file.path);
        let after = text_of(new, &file.path);
        if before == after {
            continue;
        }
        let is_build = file.role == Role::Build;
        let risky: Vec<u32> = file
            .findings
            .iter()
            .filter(|f| !f.test)
            .map(|f| f.line)
            .collect();
        let diff = TextDiff::from_lines(before, after);
        let mut shown = SourceFile {
            path: file.path.clone(),
            new_file: !old_files.contains_key(file.path.as_str()),
            hunks: Vec::new(),
        };
        // The file's header counts as a line of the budget.
        lines += 1;
        for group in diff.grouped_ops(2) {
            let adds_risk = group.iter().any(|op| {
                diff.iter_changes(op).any(|c| {
                    c.tag() == ChangeTag::Insert
                        && c.new_index()
                            .is_some_and(|i| risky.contains(&(i as u32 + 1)))
                })
            });
            if !adds_risk && !is_build {
                continue;
            }
            let mut hunk = Vec::new();
            for op in &group {
                for c in diff.iter_changes(op) {
                    if lines >= MAX_LINES {
                        out.hidden += 1;
                        continue;
                    }
                    lines += 1;
                    let sign = match c.tag() {
                        ChangeTag::Delete => '-',
                        ChangeTag::Insert => '+',
                        ChangeTag::Equal => ' ',
                    };
                    let value = c.value();
                    let text = value.strip_suffix('\n').unwrap_or(value);
                    hunk.push(SourceLine {
                        sign,
                        number: c.new_index().or(c.old_index()).map_or(0, |i| i + 1),
                        text: text.strip_suffix('\r').unwrap_or(text).to_owned(),
                    });
                }
            }
            if !hunk.is_empty() {
                shown.hunks.push(hunk);
            }
        }
        if shown.hunks.is_empty() {
            lines -= 1;
            continue;
        }
        out.files.push(shown);
    }
    out
}
