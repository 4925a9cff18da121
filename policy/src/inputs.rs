//! What a policy can grant or deny about one package: the report's capabilities (from the
//! capability table, [`Capability`]), plus source hygiene, typosquat and unknowns derived
//! from the row. Each comes with evidence read from the report (locations are added later by
//! the CLI, which re-reads the tarball). [`Input`] is the one table of the policy's names.

use std::collections::BTreeMap;

use risk_report::capability::{Capability, Group};
use risk_report::facts::Kind;
use risk_report::model::Package;

use crate::typosquat::Squat;
use crate::verb::Verb;

/// A name a policy may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// A capability of the report's `capabilities` list.
    Capability(Capability),
    GitSource,
    PathSource,
    OtherRegistry,
    ChecksumMismatch,
    NoVcsInfo,
    DirtyVcs,
    Typosquat,
    /// The package could not be read at all.
    NotAnalyzed,
    /// Part of the package's code was not analyzed: files syn could not parse or did not
    /// read, tarball entries skipped, a manifest the scanner could not follow.
    UnanalyzedCode,
}

/// Where `init` writes a crate, riskiest first; a crate goes in the first section one of
/// its inputs belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Capabilities(Group),
    Unknown,
    Source,
    Provenance,
}

impl Section {
    /// Every section, in the order `init` writes them.
    pub const ORDER: &'static [Section] = &[
        Section::Capabilities(Group::BuildTime),
        Section::Capabilities(Group::NetworkAndProcesses),
        Section::Capabilities(Group::Native),
        Section::Unknown,
        Section::Source,
        Section::Capabilities(Group::HiddenText),
        Section::Capabilities(Group::Unsafe),
        Section::Capabilities(Group::FilesAndEnvironment),
        Section::Provenance,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Capabilities(g) => g.title(),
            Section::Unknown => "Unknown: packages or code that could not be analyzed",
            Section::Source => {
                "Where the code comes from: git, path, other registries, names that look like others"
            }
            Section::Provenance => "Published without VCS information",
        }
    }
}

/// One row of the policy vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputInfo {
    pub code: &'static str,
    /// What it means, for the comments `init` writes.
    pub describe: &'static str,
    /// The verb `init` starts with.
    pub verb: Verb,
    pub section: Section,
}

impl Input {
    /// Every name, in documentation order: the capabilities in rank order, then the rest.
    pub fn all() -> Vec<Input> {
        let mut all: Vec<Input> = Capability::ALL
            .iter()
            .map(|c| Input::Capability(*c))
            .collect();
        all.extend([
            Input::GitSource,
            Input::PathSource,
            Input::OtherRegistry,
            Input::ChecksumMismatch,
            Input::NoVcsInfo,
            Input::DirtyVcs,
            Input::Typosquat,
            Input::NotAnalyzed,
            Input::UnanalyzedCode,
        ]);
        all
    }

    /// The table.
    pub fn info(self) -> InputInfo {
        let row = |code, describe, verb, section| InputInfo {
            code,
            describe,
            verb,
            section,
        };
        match self {
            Input::Capability(c) => {
                let info = c.info();
                let verb = if info.routine { Verb::Warn } else { Verb::Deny };
                row(
                    info.code,
                    info.describe,
                    verb,
                    Section::Capabilities(info.group),
                )
            }
            Input::GitSource => row(
                "git-source",
                "comes from a git repository",
                Verb::Deny,
                Section::Source,
            ),
            Input::PathSource => row(
                "path-source",
                "a path dependency outside the workspace",
                Verb::Warn,
                Section::Source,
            ),
            Input::OtherRegistry => row(
                "other-registry",
                "comes from a registry other than crates.io",
                Verb::Deny,
                Section::Source,
            ),
            Input::ChecksumMismatch => row(
                "checksum-mismatch",
                "same version, other bytes (a scan aborts on it; seen in deltas)",
                Verb::Deny,
                Section::Source,
            ),
            Input::NoVcsInfo => row(
                "no-vcs-info",
                "tarball published without .cargo_vcs_info.json",
                Verb::Warn,
                Section::Provenance,
            ),
            Input::DirtyVcs => row(
                "dirty-vcs",
                "tarball packaged from a dirty working tree",
                Verb::Deny,
                Section::Source,
            ),
            Input::Typosquat => row(
                "typosquat",
                "name one typo away from a widely used or sibling crate",
                Verb::Deny,
                Section::Source,
            ),
            Input::NotAnalyzed => row(
                "not-analyzed",
                "could not be read at all: its capabilities are unknown",
                Verb::Deny,
                Section::Unknown,
            ),
            Input::UnanalyzedCode => row(
                "unanalyzed-code",
                "files not parsed or not read, entries skipped: what they do is unknown",
                Verb::Deny,
                Section::Unknown,
            ),
        }
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<Input> {
        Input::all().into_iter().find(|i| i.code() == code)
    }
}

/// Every name a policy may use, in documentation order.
pub fn all() -> impl Iterator<Item = &'static str> {
    Input::all().into_iter().map(Input::code)
}

pub fn is_known(name: &str) -> bool {
    Input::from_code(name).is_some()
}

/// The capability a finding kind counts toward.
pub fn capability_of(kind: Kind) -> Capability {
    kind.capability()
}

/// Each input of one package with its evidence lines, sorted by name.
pub type Inputs = BTreeMap<String, Vec<String>>;

/// The inputs of one package. `squats` are the names it resembles (see [`crate::typosquat`]).
pub fn of(pkg: &Package, squats: &[Squat]) -> Inputs {
    let mut out = Inputs::new();
    for cap in &pkg.capabilities {
        out.insert(cap.code().to_owned(), capability_evidence(pkg, *cap));
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
    let unanalyzed = unanalyzed_evidence(pkg);
    if !unanalyzed.is_empty() {
        out.insert(Input::UnanalyzedCode.code().into(), unanalyzed);
    }
    out
}

/// Evidence lines per coverage list of `unanalyzed-code`.
const UNANALYZED_SHOWN: usize = 5;

/// What the scanner did not see in an analyzed package, from its coverage lists.
fn unanalyzed_evidence(pkg: &Package) -> Vec<String> {
    let c = &pkg.coverage;
    let skipped: Vec<String> = c
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    let lists: [(&str, &[String]); 4] = [
        ("token scan only (syn could not parse it)", &c.approximate),
        ("not analyzed", &c.not_analyzed),
        ("tarball entry not read", &skipped),
        ("module or include! not read", &c.unread_modules),
    ];
    let mut lines = Vec::new();
    for (what, entries) in lists {
        for e in entries.iter().take(UNANALYZED_SHOWN) {
            lines.push(format!("{what}: {e}"));
        }
        if entries.len() > UNANALYZED_SHOWN {
            lines.push(format!(
                "{what}: and {} more",
                entries.len() - UNANALYZED_SHOWN
            ));
        }
    }
    if let Some(e) = &c.manifest_error {
        lines.push(format!("Cargo.toml: {e}"));
    }
    lines
}

/// What the report row says about one capability: counts, build-script kinds, files.
fn capability_evidence(pkg: &Package, cap: Capability) -> Vec<String> {
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
    for (name, caps) in &pkg.via {
        if caps.contains(&cap) {
            lines.push(format!(
                "via {name}: code its macros put into this package (invoked here)"
            ));
        }
    }
    match cap {
        Capability::BuildScript => {
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
        Capability::ProcMacro => {
            lines.push("Cargo.toml: proc-macro = true (runs inside the compiler)".into())
        }
        Capability::Binary => lines.extend(
            (pkg.binaries.iter())
                .filter(|b| !b.fixture)
                .map(|b| format!("{}: {} binary, {} bytes", b.path, b.format, b.bytes)),
        ),
        Capability::Embed => lines.extend(pkg.embedded.iter().map(|e| format!("embeds {e}"))),
        // The counts above are the whole evidence; `check` adds file:line locations.
        Capability::Net
        | Capability::Process
        | Capability::Ffi
        | Capability::HiddenText
        | Capability::Fs
        | Capability::EnvWrite
        | Capability::Unsafe
        | Capability::EnvRead => {}
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
            assert!(is_known(capability_of(*k).code()), "{k:?}");
        }
        for i in Input::all() {
            assert_eq!(Input::from_code(i.code()), Some(i));
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
        p.capabilities = [
            Capability::Unsafe,
            Capability::BuildScript,
            Capability::Binary,
            Capability::Net,
        ]
        .into();
        p.shipped.insert(Kind::UnsafeBlock, 3);
        p.shipped.insert(Kind::Transmute, 1);
        p.build.insert(Kind::Net, 2);
        p.build_script = Some(BuildScriptRow {
            path: "build.rs".into(),
            kinds: [risk_report::facts::BuildKind::Network].into(),
            evidence: vec!["network: build-dependency reqwest".into()],
            ..BuildScriptRow::default()
        });
        p.binaries = vec![
            BinaryFile {
                path: "lib/x.so".into(),
                format: "elf".into(),
                bytes: 10,
                fixture: false,
            },
            BinaryFile {
                path: "tests/data/y.wasm".into(),
                format: "wasm".into(),
                bytes: 8,
                fixture: true,
            },
        ];
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
        // a test fixture is no evidence of shipping a binary
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
