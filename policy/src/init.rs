//! `init`: a starting policy that grants exactly what the graph uses today, grouped by what the
//! grants allow and commented with the evidence, so adopting the check takes one command and
//! the first review starts from the riskiest crates.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use risk_report::model::Report;

use crate::eval::report_inputs;
use crate::file::Verb;
use crate::inputs;
use crate::suggest::{compat_range, grant_key, list, quote};
use crate::typosquat::Checker;

/// Options of `init`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InitOptions {
    /// Write `unlisted-crates = "deny"` and a grant for every package, even those with no
    /// capability ("allowed to exist" mode).
    pub deny_unlisted: bool,
}

/// The verb `init` writes for each capability, with why (also the SARIF rule text of `check`).
pub(crate) fn starting_verb(cap: &str) -> (Verb, &'static str) {
    match cap {
        "fs" => (Verb::Deny, "file system API"),
        "net" => (Verb::Deny, "network API"),
        "process" => (Verb::Deny, "spawns processes"),
        "env-read" => (
            Verb::Warn,
            "reads environment variables (common and mostly harmless)",
        ),
        "env-write" => (
            Verb::Deny,
            "sets environment variables or the current directory",
        ),
        "ffi" => (Verb::Deny, "calls C or loads libraries"),
        "unsafe" => (Verb::Deny, "unsafe code"),
        "embed" => (Verb::Warn, "include_bytes! / include_str! / include!"),
        "hidden-text" => (
            Verb::Deny,
            "bidi controls or look-alike identifiers that hide code from reviewers",
        ),
        "build-script" => (Verb::Deny, "runs a build script when you build"),
        "proc-macro" => (Verb::Deny, "runs inside the compiler"),
        "binary" => (Verb::Deny, "ships executables or libraries in the tarball"),
        "git-source" => (Verb::Deny, "comes from a git repository"),
        "path-source" => (Verb::Warn, "a path dependency outside the workspace"),
        "other-registry" => (Verb::Deny, "comes from a registry other than crates.io"),
        "checksum-mismatch" => (
            Verb::Deny,
            "same version, other bytes (a scan aborts on it; seen in deltas)",
        ),
        "no-vcs-info" => (Verb::Warn, "tarball published without .cargo_vcs_info.json"),
        "dirty-vcs" => (Verb::Deny, "tarball packaged from a dirty working tree"),
        "typosquat" => (
            Verb::Deny,
            "name one typo away from a widely used or sibling crate",
        ),
        "not-analyzed" => (
            Verb::Deny,
            "could not be read at all: its capabilities are unknown",
        ),
        _ => (Verb::Deny, ""),
    }
}

/// Groups, riskiest first; a crate goes in the first group one of its inputs belongs to.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "Code that runs when you build: build scripts and proc macros",
        &["build-script", "proc-macro"],
    ),
    ("Network and process spawning", &["net", "process"]),
    ("Native code: FFI and shipped binaries", &["ffi", "binary"]),
    (
        "Unknown: packages that could not be analyzed",
        &["not-analyzed"],
    ),
    (
        "Where the code comes from: git, path, other registries, names that look like others",
        &[
            "git-source",
            "path-source",
            "other-registry",
            "typosquat",
            "dirty-vcs",
        ],
    ),
    ("Text that hides code from reviewers", &["hidden-text"]),
    ("Unsafe code", &["unsafe"]),
    (
        "File system, environment and embedded files",
        &["fs", "env-read", "env-write", "embed"],
    ),
    ("Published without VCS information", &["no-vcs-info"]),
];

/// A grant's identity: crate name and version range.
type GrantKey = (String, Option<String>);

/// One grant to write.
#[derive(Debug, Default)]
struct Entry {
    versions: BTreeSet<String>,
    allow: BTreeSet<String>,
    evidence: Vec<String>,
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
    for cap in inputs::all() {
        let (verb, what) = starting_verb(cap);
        let key = format!("{cap} = \"{verb}\"");
        let _ = writeln!(out, "{key:<28}# {what}");
    }

    let mut placed: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let mut sections: Vec<(&str, Vec<&GrantKey>)> = Vec::new();
    for (title, caps) in GROUPS {
        let members: Vec<&(String, Option<String>)> = entries
            .iter()
            .filter(|(k, e)| {
                !placed.contains(*k) && e.allow.iter().any(|c| caps.contains(&c.as_str()))
            })
            .map(|(k, _)| k)
            .collect();
        placed.extend(members.iter().map(|k| (*k).clone()));
        sections.push((title, members));
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
