//! `init`: a starting policy that grants exactly what the graph uses today, grouped by what the
//! grants allow and commented with the evidence, so adopting the check takes one command and
//! the first review starts from the riskiest crates.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use risk_report::model::{DepKind, Report};

use crate::eval::report_inputs;
use crate::inputs::{Input, Section};
use crate::suggest::{compat_range, grant_key, list, quote, reached_as};
use crate::typosquat::Checker;

/// Options of `init`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InitOptions {
    /// Write `unlisted-crates = "deny"` and a grant for every package, even those with no
    /// capability ("allowed to exist" mode).
    pub deny_unlisted: bool,
}

/// A grant's identity: crate name and version range.
type GrantKey = (String, Option<String>);

/// One grant to write.
#[derive(Debug, Default)]
struct Entry {
    versions: BTreeSet<String>,
    allow: BTreeSet<String>,
    evidence: Vec<String>,
    /// How the covered versions are reached, all together.
    kinds: BTreeSet<DepKind>,
}

/// The text of a starting `risk-policy.toml` for this report.
pub fn starting_policy(report: &Report, checker: &Checker, options: InitOptions) -> String {
    let mut entries: BTreeMap<(String, Option<String>), Entry> = BTreeMap::new();
    for (_, pkg, inputs) in report_inputs(report, checker) {
        if inputs.is_empty() && !options.deny_unlisted {
            continue;
        }
        let e = entries
            .entry((pkg.name.clone(), compat_range(&pkg.version)))
            .or_default();
        e.versions.insert(pkg.version.clone());
        e.kinds.extend(pkg.dependency_kinds.iter().copied());
        for (cap, evidence) in &inputs {
            e.allow.insert(cap.clone());
            if let Some(first) = evidence.first() {
                e.evidence.push(format!("{cap}: {first}"));
            }
        }
    }

    let mut out = String::from(HEADER);
    let _ = writeln!(
        out,
        "[policy]\n# The verb of a capability that no grant covers and [capabilities] does not name:\n# \"deny\" fails the check (exit 1), \"warn\" prints it (exit 0), \"allow\" ignores it.\ndefault = \"deny\"\n# \"deny\": every package needs a grant, even `allow = []`, so a new transitive dependency\n# fails the check until someone has looked at it (\"allowed to exist\" mode).\nunlisted-crates = \"{}\"\n",
        if options.deny_unlisted {
            "deny"
        } else {
            "allow"
        }
    );
    out.push_str("[capabilities]\n");
    for input in Input::all() {
        let info = input.info();
        let key = format!("{} = \"{}\"", info.code, info.verb);
        let _ = writeln!(out, "{key:<28}# {}", info.describe);
    }

    let mut placed: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let mut sections: Vec<(&str, Vec<&GrantKey>)> = Vec::new();
    let section_of = |name: &String| Input::from_code(name).map(|i| i.info().section);
    for &section in Section::ORDER {
        let members: Vec<&(String, Option<String>)> = entries
            .iter()
            .filter(|(k, e)| {
                !placed.contains(*k) && e.allow.iter().any(|c| section_of(c) == Some(section))
            })
            .map(|(k, _)| k)
            .collect();
        placed.extend(members.iter().map(|k| (*k).clone()));
        sections.push((section.title(), members));
    }
    let rest: Vec<&(String, Option<String>)> =
        entries.keys().filter(|k| !placed.contains(*k)).collect();
    sections.push((
        "No capabilities: listed so that they are allowed to exist",
        rest,
    ));

    for (title, members) in sections {
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n# ---- {title} ({}) ----", members.len());
        for key in members {
            let Some(e) = entries.get(key) else { continue };
            write_grant(&mut out, &key.0, key.1.as_deref(), e);
        }
    }
    out
}

fn write_grant(out: &mut String, name: &str, range: Option<&str>, e: &Entry) {
    let versions: Vec<&str> = e.versions.iter().map(String::as_str).collect();
    let _ = writeln!(
        out,
        "\n# {} {}",
        comment(name),
        comment(&versions.join(", "))
    );
    for line in &e.evidence {
        let _ = writeln!(out, "#   {}", comment(&shorten(line, 110)));
    }
    let _ = writeln!(out, "[[{}]]", grant_key(name));
    if let Some(r) = range {
        let _ = writeln!(out, "version = {}", quote(r));
    }
    let _ = writeln!(out, "allow = {}", list(e.allow.iter().map(String::as_str)));
    if let Some(kinds) = reached_as(&e.kinds) {
        let _ = writeln!(out, "{kinds}");
    }
}

/// Text safe inside a TOML comment: one line, no control characters.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}...")
    }
}

const HEADER: &str = "\
# Crate trust policy, checked by `cargo risk-report check` (format: docs/policy.md in
# cargo-risk-report). Written by `cargo risk-report init`: it grants exactly what the
# dependency graph uses today. Review it: add a `reason` to each grant, narrow or remove what
# you do not accept, and commit it. A grant's `version` is the semver-compatible range of the
# version in use, so a major update (or a 0.x minor one) is looked at again.

";
