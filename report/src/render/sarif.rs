//! SARIF 2.1.0, the format code-scanning services read (GitHub code scanning among them).
//!
//! The writer is generic: anything that produces [`SarifResult`]s (today the delta, through
//! [`results_from_diff`]; tomorrow a policy check) renders through [`render`]. Rule ids are the
//! report's stable codes: finding codes (`unsafe-block`, `net`, ...), capability names
//! (`unsafe`, `build-script`, ...) and a few delta-only ids (`checksum-changed`, ...), listed
//! by [`rules`]. Message text is crate-derived in part and goes through
//! [`sarif_text`]: no embedded link, no control or bidi character. Each result points at the package's `name = "..."` line in `Cargo.lock`, since
//! that is the line of the repository that brought the code in; the crate's own file and line,
//! when known, go in the message.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::capability::{Capability, Severity};
use crate::diff::{Change, PackageDelta, ReportDiff};
use crate::facts::Kind;
use crate::sanitize::{json_text, sarif_text, terminal};

/// The JSON schema URI written in every log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// The level for a delta severity: high and critical fail a code-scanning check.
    pub fn of(severity: Severity) -> Level {
        match severity {
            Severity::Critical | Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low | Severity::None => Level::Note,
        }
    }
}

/// One rule: a stable id, a one-line description and the default level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub text: &'static str,
    pub level: Level,
}

/// Rules that are neither finding codes nor capabilities: facts only a delta has.
pub const DELTA_RULES: &[Rule] = &[
    Rule {
        id: "checksum-changed",
        text: "Same name and version, different SHA-256: the registry or the lockfile changed",
        level: Level::Error,
    },
    Rule {
        id: "source-changed",
        text: "Same name and version, different source",
        level: Level::Error,
    },
    Rule {
        id: "not-analyzed",
        text: "The package could not be analyzed: its risk is unknown, not zero",
        level: Level::Error,
    },
    Rule {
        id: "coverage-lost",
        text: "Code the scanner saw before and cannot see now (a file it skips, cannot parse or cannot reach, a manifest problem): unknown is risk",
        level: Level::Error,
    },
    Rule {
        id: "now-shipped",
        text: "A package that was dev-only or build-only now ships (or now runs at build time), with its capabilities",
        level: Level::Error,
    },
    Rule {
        id: "new-dependency",
        text: "A new dependency with no capabilities: new code and a new publisher",
        level: Level::Note,
    },
];

/// Every rule: the finding codes in code order, the capabilities that are not also a
/// finding code (in rank order), then [`DELTA_RULES`]. Levels come from the capability table.
pub fn rules() -> Vec<Rule> {
    let mut all: Vec<Rule> = Kind::ALL
        .iter()
        .map(|k| Rule {
            id: k.code(),
            text: k.describe(),
            level: Level::of(k.capability().severity()),
        })
        .collect();
    for c in Capability::ALL {
        if Kind::from_code(c.code()).is_none() {
            all.push(Rule {
                id: c.code(),
                text: c.info().describe,
                level: Level::of(c.severity()),
            });
        }
    }
    all.extend_from_slice(DELTA_RULES);
    all
}

/// One result, before it is placed in the lockfile.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SarifResult {
    /// A rule id from [`rules`].
    pub rule: String,
    pub level: Level,
    pub package: String,
    pub version: String,
    pub message: String,
}

/// The line of each package's `name = "..."` in `Cargo.lock`, by (name, version).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockLines {
    lines: BTreeMap<(String, String), u32>,
}

impl LockLines {
    /// Reads `[[package]]` blocks line by line: the lockfile's layout is fixed by cargo, and a
    /// TOML parser would not give line numbers.
    pub fn parse(text: &str) -> LockLines {
        let mut lines = BTreeMap::new();
        let mut name: Option<(String, u32)> = None;
        for (i, line) in text.lines().enumerate() {
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let line = line.trim();
            if line.starts_with('[') {
                name = None;
            } else if let Some(v) = quoted_value(line, "name") {
                name = Some((v, line_no));
            } else if let Some(v) = quoted_value(line, "version")
                && let Some((n, at)) = name.take()
            {
                lines.entry((n, v)).or_insert(at);
            }
        }
        LockLines { lines }
    }

    pub fn line(&self, name: &str, version: &str) -> Option<u32> {
        self.lines
            .get(&(name.to_owned(), version.to_owned()))
            .copied()
    }
}

fn quoted_value(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let inner = rest.strip_prefix('"')?.strip_suffix('"')?;
    Some(inner.to_owned())
}

/// Where results point.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub tool_version: &'a str,
    /// The lockfile's path relative to the repository root, `/`-separated.
    pub lockfile_uri: &'a str,
    pub lock_lines: &'a LockLines,
}

/// Writes one SARIF log with one run, whose rules are [`rules`].
pub fn render(results: &[SarifResult], target: &Target, out: &mut impl Write) -> io::Result<()> {
    render_with(results, &rules(), target, out)
}

/// [`render`] with the caller's rules (a policy check has rules of its own).
pub fn render_with(
    results: &[SarifResult],
    rules: &[Rule],
    target: &Target,
    out: &mut impl Write,
) -> io::Result<()> {
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.text },
                "defaultConfiguration": { "level": r.level.as_str() },
            })
        })
        .collect();
    let result_objects: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut physical = json!({
                "artifactLocation": { "uri": target.lockfile_uri, "uriBaseId": "%SRCROOT%" },
            });
            if let Some(line) = target.lock_lines.line(&r.package, &r.version) {
                physical["region"] = json!({ "startLine": line });
            }
            let (package, version) = (terminal(&r.package), terminal(&r.version));
            let mut o = json!({
                "ruleId": r.rule,
                "level": r.level.as_str(),
                "message": { "text": sarif_text(&r.message) },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{
                        "name": package,
                        "fullyQualifiedName": format!("{package}@{version}"),
                        "kind": "package",
                    }],
                }],
                "partialFingerprints": {
                    "cargoRiskReport/v1": format!("{package}@{version}/{}", r.rule),
                },
            });
            if let Some(i) = index.get(r.rule.as_str()) {
                o["ruleIndex"] = json!(i);
            }
            o
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cargo-risk-report",
                "version": target.tool_version,
                "rules": rule_objects,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root" } } },
            "columnKind": "unicodeCodePoints",
            "results": result_objects,
        }],
    });
    let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}

/// Finding locations in one package's source (`src/lib.rs:42`) for some kinds; empty when
/// the tarball is not at hand.
pub type Locate<'a> = dyn Fn(&str, &str, &[Kind]) -> Vec<String> + 'a;

fn with_locations(mut message: String, at: Vec<String>) -> String {
    const SHOWN: usize = 5;
    if !at.is_empty() {
        let more = at.len().saturating_sub(SHOWN);
        message.push_str(&format!(
            "; at {}",
            at.iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if more > 0 {
            message.push_str(&format!(" and {more} more"));
        }
    }
    message
}

/// The results of a delta: one per gained capability, counter increase (shipped and build
/// code), new build-script kind, embedded file, binary, and in-place change. Removals and
/// decreases add no risk and give no result.
pub fn results_from_diff(d: &ReportDiff, locate: &Locate) -> Vec<SarifResult> {
    let mut out = Vec::new();
    for p in &d.packages {
        let Some(version) = p.new_version() else {
            continue;
        };
        package_results(p, version, locate, &mut out);
    }
    out.sort();
    out
}

fn package_results(p: &PackageDelta, version: &str, locate: &Locate, out: &mut Vec<SarifResult>) {
    let label = p.label();
    let mut push = |rule: &str, level: Level, message: String| {
        out.push(SarifResult {
            rule: rule.to_owned(),
            level,
            package: p.name.clone(),
            version: version.to_owned(),
            message,
        });
    };
    if let Some((a, b)) = &p.checksum {
        let text = format!(
            "{label}: same version, different checksum ({} -> {})",
            a.as_deref().unwrap_or("none"),
            b.as_deref().unwrap_or("none")
        );
        push("checksum-changed", Level::Error, text);
    }
    if let Some((a, b)) = &p.source {
        push(
            "source-changed",
            Level::Error,
            format!("{label}: same version, source changed ({a} -> {b})"),
        );
    }
    if let Some(why) = &p.not_analyzed {
        push(
            "not-analyzed",
            Level::of(Severity::High),
            format!("{label} could not be analyzed: {why}"),
        );
    }
    if !p.coverage_lost.is_empty() {
        let entries: Vec<String> = p
            .coverage_lost
            .iter()
            .map(|l| format!("{} {}", l.list, l.entry))
            .collect();
        let text = format!(
            "{label}: the scanner can no longer see part of it: {}",
            entries.join("; ")
        );
        push("coverage-lost", Level::of(Severity::High), text);
    }
    if let Some(rated) = p.reach.as_ref().map(|r| r.rate())
        && rated.gate.is_some()
    {
        let text = format!("{label}: {}", rated.headline);
        push("now-shipped", Level::of(rated.severity), text);
    }
    for cap in &p.gained {
        let at = locate(&p.name, version, &Kind::counting_toward(*cap));
        let text = format!("{label} gained the `{cap}` capability");
        push(
            cap.code(),
            Level::of(cap.severity()),
            with_locations(text, at),
        );
    }
    for c in &p.counters {
        if !c.part.gates() || c.delta() <= 0 || p.gained.contains(&c.kind.capability()) {
            continue;
        }
        let where_ = match c.part {
            crate::diff::Part::Build => "build-script code",
            crate::diff::Part::Shipped | crate::diff::Part::Test => "shipped code",
            crate::diff::Part::Unreached => "code no target reaches",
            crate::diff::Part::Emits => "code its templates emit",
        };
        let text = format!(
            "{label}: {:+} {} in {where_} ({} -> {})",
            c.delta(),
            c.kind.code(),
            c.old,
            c.new
        );
        let at = locate(&p.name, version, &[c.kind]);
        push(c.kind.code(), Level::Note, with_locations(text, at));
    }
    if let Some((a, b)) = &p.build_kinds
        && !p.gained.contains(&Capability::BuildScript)
    {
        let new: Vec<&str> = b.difference(a).map(|k| k.code()).collect();
        if !new.is_empty() {
            let text = format!("{label}: the build script now has kind {}", new.join(", "));
            push("build-script", Level::of(p.severity), text);
        }
    }
    if !p.gained.contains(&Capability::Embed) {
        for e in &p.embedded_added {
            let rule = e.split(' ').next().unwrap_or("embed");
            let rule = if Kind::from_code(rule).is_some() {
                rule
            } else {
                "embed"
            };
            let level = Level::of(Capability::Embed.severity());
            push(rule, level, format!("{label} now embeds {e}"));
        }
    }
    if !p.gained.contains(&Capability::Binary) {
        for b in p.binaries_added.iter().filter(|b| !b.fixture) {
            let text = format!(
                "{label} now ships the binary file {} ({}, {} bytes)",
                b.path, b.format, b.bytes
            );
            push("binary", Level::of(Capability::Binary.severity()), text);
        }
    }
    if matches!(p.change, Change::Added { .. }) && p.gained.is_empty() {
        push(
            "new-dependency",
            Level::Note,
            format!("{label}: new dependency, no capabilities"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_lines_point_at_the_name_line_of_each_block() {
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"b\"\nversion = \"2.0.0\"\nsource = \"x\"\n\n[[package]]\nname = \"b\"\nversion = \"3.0.0\"\n";
        let l = LockLines::parse(lock);
        assert_eq!(l.line("a", "1.0.0"), Some(4));
        assert_eq!(l.line("b", "2.0.0"), Some(8));
        assert_eq!(l.line("b", "3.0.0"), Some(13));
        assert_eq!(l.line("c", "1.0.0"), None);
    }

    #[test]
    fn rule_ids_are_unique_and_cover_every_code() {
        let all = rules();
        let ids: std::collections::BTreeSet<&str> = all.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), all.len());
        for k in Kind::ALL {
            assert!(ids.contains(k.code()));
        }
    }
}
