//! What a policy can grant or deny about one package: the report's capabilities, plus source
//! hygiene, typosquat and not-analyzed inputs derived from the row. Each comes with evidence
//! read from the report (locations are added later by the CLI, which re-reads the tarball).

use std::collections::BTreeMap;

use risk_report::facts::Kind;
use risk_report::model::Package;

use crate::typosquat::Squat;

/// The capabilities the report itself lists per package.
pub const REPORT: &[&str] = &[
    "fs",
    "net",
    "process",
    "env-read",
    "env-write",
    "ffi",
    "unsafe",
    "embed",
    "hidden-text",
    "build-script",
    "proc-macro",
    "binary",
];

/// Source hygiene inputs, derived from the row's source and provenance.
pub const HYGIENE: &[&str] = &[
    "git-source",
    "path-source",
    "other-registry",
    "checksum-mismatch",
    "no-vcs-info",
    "dirty-vcs",
];

/// Inputs that are neither capabilities nor source hygiene.
pub const EXTRA: &[&str] = &["typosquat", "not-analyzed"];

/// Every name a policy may use, in documentation order.
pub fn all() -> impl Iterator<Item = &'static str> {
    REPORT.iter().chain(HYGIENE).chain(EXTRA).copied()
}

pub fn is_known(name: &str) -> bool {
    all().any(|n| n == name)
}

/// The capability a finding kind counts toward.
pub fn capability_of(kind: Kind) -> &'static str {
    kind.capability()
}

/// Each input of one package with its evidence lines, sorted by name.
pub type Inputs = BTreeMap<String, Vec<String>>;

/// The inputs of one package. `squats` are the names it resembles (see [`crate::typosquat`]).
pub fn of(pkg: &Package, squats: &[Squat]) -> Inputs {
    let mut out = Inputs::new();
    for cap in &pkg.capabilities {
        out.insert(cap.clone(), capability_evidence(pkg, cap));
    }
    let source = pkg.source.as_str();
    let registry =
        source == "crates-io" || source.starts_with("registry+") || source.starts_with("sparse+");
    if source.starts_with("git+") {
        out.insert("git-source".into(), vec![format!("source {source}")]);
    }
    if let Some(rel) = source.strip_prefix("path+") {
        out.insert("path-source".into(), vec![format!("path dependency {rel}")]);
    }
    if registry && source != "crates-io" {
        out.insert("other-registry".into(), vec![format!("source {source}")]);
    }
    let analyzed = pkg.not_analyzed.is_none();
    if registry && analyzed && !pkg.provenance.vcs_info {
        out.insert(
            "no-vcs-info".into(),
            vec!["the tarball has no .cargo_vcs_info.json (published without git information, or with --allow-dirty from outside a repository)".into()],
        );
    }
    if pkg.provenance.vcs_dirty {
        out.insert(
            "dirty-vcs".into(),
            vec![format!(
                "packaged from a dirty working tree{}",
                pkg.provenance
                    .vcs_commit
                    .as_deref()
                    .map(|c| format!(" at commit {c}"))
                    .unwrap_or_default()
            )],
        );
    }
    if !squats.is_empty() {
        out.insert(
            "typosquat".into(),
            squats
                .iter()
                .map(|s| format!("name `{}` is {}", pkg.name, s.describe()))
                .collect(),
        );
    }
    if let Some(why) = &pkg.not_analyzed {
        out.insert(
            "not-analyzed".into(),
            vec![format!(
                "could not be analyzed: {why}; its capabilities are unknown"
            )],
        );
    }
    out
}

/// What the report row says about one capability: counts, build-script kinds, files.
fn capability_evidence(pkg: &Package, cap: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (part, counts) in [("shipped code", &pkg.shipped), ("build script", &pkg.build)] {
        let found: Vec<String> = counts
            .iter()
            .filter(|(k, _)| capability_of(**k) == cap)
            .map(|(k, n)| format!("{} x{n}", k.code()))
            .collect();
        if !found.is_empty() {
            lines.push(format!("{part}: {}", found.join(", ")));
        }
    }
    match cap {
        "build-script" => {
            if let Some(b) = &pkg.build_script {
                let kinds: Vec<&str> = b.kinds.iter().map(|k| k.code()).collect();
                let kinds = if kinds.is_empty() {
                    "no recognised kind".to_owned()
                } else {
                    kinds.join(", ")
                };
                lines.push(format!("build script {} ({kinds})", b.path));
                lines.extend(b.evidence.iter().cloned());
            }
        }
        "proc-macro" => {
            lines.push("Cargo.toml: proc-macro = true (runs inside the compiler)".into())
        }
        "binary" => lines.extend(
            pkg.binaries
                .iter()
                .map(|b| format!("{}: {} binary, {} bytes", b.path, b.format, b.bytes)),
        ),
        "embed" => lines.extend(pkg.embedded.iter().map(|e| format!("embeds {e}"))),
        _ => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use risk_report::facts::BinaryFile;
    use risk_report::model::{BuildScriptRow, Provenance};

    use super::*;
    use crate::typosquat::Closeness;

    fn pkg(source: &str) -> Package {
        Package {
            name: "foo".into(),
            version: "1.0.0".into(),
            source: source.into(),
            provenance: Provenance {
                vcs_info: true,
                ..Provenance::default()
            },
            ..Package::default()
        }
    }

    fn names(i: &Inputs) -> Vec<&str> {
        i.keys().map(String::as_str).collect()
    }

    #[test]
    fn the_vocabulary_is_the_report_and_the_extras() {
        let all: Vec<&str> = all().collect();
        let unique: BTreeSet<&&str> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "a name is in two lists");
        for k in Kind::ALL {
            assert!(is_known(capability_of(*k)), "{k:?}");
        }
    }

    #[test]
    fn hygiene_from_the_source_and_provenance() {
        assert!(of(&pkg("crates-io"), &[]).is_empty());
        assert_eq!(names(&of(&pkg("git+https://x/y#abc"), &[])), ["git-source"]);
        assert_eq!(names(&of(&pkg("path+../local"), &[])), ["path-source"]);
        assert_eq!(
            names(&of(&pkg("sparse+https://my.registry/"), &[])),
            ["other-registry"]
        );
        let mut p = pkg("crates-io");
        p.provenance = Provenance {
            vcs_info: true,
            vcs_dirty: true,
            vcs_commit: Some("abc".into()),
            ..Provenance::default()
        };
        assert_eq!(
            of(&p, &[])["dirty-vcs"],
            ["packaged from a dirty working tree at commit abc"]
        );
        p.provenance = Provenance::default();
        assert_eq!(names(&of(&p, &[])), ["no-vcs-info"]);
        // Path and git packages are not tarballs: no VCS file is expected of them.
        let mut p = pkg("path+../local");
        p.provenance = Provenance::default();
        assert_eq!(names(&of(&p, &[])), ["path-source"]);
        // Unknown is not zero: an unread package is an input of its own.
        let mut p = pkg("crates-io");
        p.not_analyzed = Some("tarball missing".into());
        assert_eq!(names(&of(&p, &[])), ["not-analyzed"]);
    }

    #[test]
    fn capability_evidence_comes_from_the_row() {
        let mut p = pkg("crates-io");
        p.capabilities = ["unsafe", "build-script", "binary", "net"]
            .into_iter()
            .map(String::from)
            .collect();
        p.shipped.insert(Kind::UnsafeBlock, 3);
        p.shipped.insert(Kind::Transmute, 1);
        p.build.insert(Kind::Net, 2);
        p.build_script = Some(BuildScriptRow {
            path: "build.rs".into(),
            kinds: [risk_report::facts::BuildKind::Network].into(),
            evidence: vec!["network: build-dependency reqwest".into()],
            ..BuildScriptRow::default()
        });
        p.binaries = vec![BinaryFile {
            path: "lib/x.so".into(),
            format: "elf".into(),
            bytes: 10,
        }];
        let i = of(&p, &[]);
        assert_eq!(i["unsafe"], ["shipped code: unsafe-block x3, transmute x1"]);
        assert_eq!(i["net"], ["build script: net x2"]);
        assert_eq!(
            i["build-script"],
            [
                "build script build.rs (network)",
                "network: build-dependency reqwest"
            ]
        );
        assert_eq!(i["binary"], ["lib/x.so: elf binary, 10 bytes"]);
        let squat = Squat {
            near: "serde".into(),
            how: Closeness::BitFlip,
            popular: true,
        };
        assert_eq!(
            of(&p, &[squat])["typosquat"],
            ["name `foo` is one bit flip from `serde` (a widely used crate)"]
        );
    }
}
