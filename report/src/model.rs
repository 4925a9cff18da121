//! The report: one row per package, a summary, and the canonical TOML form.
//!
//! Every field is documented in `docs/report-format.md`; a test keeps that list and these types
//! in step. Field names are snake_case; finding codes (map keys such as `unsafe-block`) are the
//! kebab-case codes of [`Kind`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::capability::{Capability, Severity};
use crate::facts::{BinaryFile, BuildKind, CrateFacts, Family, Kind, Parse, Role, SkippedEntry};

/// The report format version; bump on any incompatible change of the file.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a report file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error("not a risk report: it has no `schema_version`")]
    NotAReport,
    #[error(
        "it has schema_version {0}, and this cargo-risk-report reads version {SCHEMA_VERSION}; regenerate it with this version of the tool (`cargo risk-report`)"
    )]
    Schema(String),
    #[error("not a valid version-{SCHEMA_VERSION} report: {0}")]
    Shape(String),
}

/// How a package is reached from the workspace members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepKind {
    Normal,
    Build,
    Dev,
}

impl DepKind {
    /// The kebab-case name, as the report writes it.
    pub fn code(self) -> &'static str {
        match self {
            DepKind::Normal => "normal",
            DepKind::Build => "build",
            DepKind::Dev => "dev",
        }
    }
}

/// Where a package comes from, as the report writes it (never an absolute path).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// crates.io.
    CratesIo,
    /// Another registry, by its URL (`registry+https://...` or `sparse+https://...`).
    Registry(String),
    /// A git repository: `git+URL#commit`.
    Git(String),
    /// A path dependency, relative to the workspace root.
    Path(String),
}

impl Source {
    /// The one-string form written in the report: `crates-io`, `registry+URL`, `git+URL#rev`,
    /// `path+RELATIVE`.
    pub fn label(&self) -> String {
        match self {
            Source::CratesIo => "crates-io".to_string(),
            Source::Registry(url) => {
                if url.starts_with("registry+") || url.starts_with("sparse+") {
                    url.clone()
                } else {
                    format!("registry+{url}")
                }
            }
            Source::Git(url) => {
                if url.starts_with("git+") {
                    url.clone()
                } else {
                    format!("git+{url}")
                }
            }
            Source::Path(p) => format!("path+{p}"),
        }
    }
}

/// Everything the CLI knows about one package, handed to [`Report::build`].
#[derive(Debug, Clone)]
pub struct PackageInput {
    pub name: String,
    pub version: String,
    pub source: Source,
    /// The SHA-256 from Cargo.lock, for registry packages.
    pub checksum: Option<String>,
    /// True when the tarball's SHA-256 was computed and matched `checksum`.
    pub checksum_verified: bool,
    /// Empty only for workspace members reported on request.
    pub dep_kinds: BTreeSet<DepKind>,
    /// By workspace member name, the kinds by which that member reaches the package.
    pub reached_from: BTreeMap<String, BTreeSet<DepKind>>,
    pub workspace_member: bool,
    /// The analyzer's result; `not_analyzed` is set when the crate could not be read at all
    /// (for example the tarball was missing with `--offline`).
    pub facts: CrateFacts,
}

/// The whole report file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub summary: Summary,
    /// Keyed `name@version`, or `name@version (source)` when two packages share both.
    pub packages: BTreeMap<String, Package>,
}

/// Totals over all packages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub packages: u64,
    /// Packages that could not be read at all.
    pub not_analyzed: u64,
    /// Packages with at least one unsafe-family finding in shipped or build code.
    pub with_unsafe: u64,
    pub proc_macros: u64,
    pub build_scripts: u64,
    /// Packages shipping at least one binary file.
    pub with_binaries: u64,
    pub files: u64,
    pub lines: u64,
    /// Files whose findings come from the token-level fallback (approximate).
    pub files_approximate: u64,
    /// Files not analyzed at all.
    pub files_not_analyzed: u64,
    /// Packages whose build script has each kind.
    pub build_script_kinds: BTreeMap<BuildKind, u64>,
    /// Packages having each capability (see [`Package::capabilities`]).
    pub capabilities: BTreeMap<Capability, u64>,
    /// Finding totals over shipped code of all packages.
    pub shipped: BTreeMap<Kind, u64>,
}

/// One package's row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    pub checksum_verified: bool,
    pub dependency_kinds: BTreeSet<DepKind>,
    /// By workspace member, how that member reaches the package.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reached_from: BTreeMap<String, BTreeSet<DepKind>>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub workspace_member: bool,
    /// Why the package could not be read at all; its counts are then unknown, not zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_analyzed: Option<String>,
    pub proc_macro: bool,
    /// What the package is able to do, from shipped and build-script code: the API kinds
    /// (`fs`, `net`, `process`, `env-read`, `env-write`, `ffi`), `unsafe`, `embed`,
    /// `build-script`, `proc-macro`, `binary`, `hidden-text` (see [`Capability`]).
    pub capabilities: BTreeSet<Capability>,
    /// Findings in shipped code, by kind (kinds with zero are left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shipped: BTreeMap<Kind, u64>,
    /// Findings in the build script and its modules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub build: BTreeMap<Kind, u64>,
    /// Findings in tests, benches, examples and `#[cfg(test)]` code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub test: BTreeMap<Kind, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_script: Option<BuildScriptRow>,
    /// Files embedded by `include_bytes!` / `include_str!` / `include!` in shipped or build
    /// code, as `kind path`, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<BinaryFile>,
    pub coverage: Coverage,
    pub provenance: Provenance,
    /// What cargo-vet audits say about this version (only when the workspace has
    /// `supply-chain/audits.toml` and it certifies this version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::audit::AuditRow>,
}

/// The build script of a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildScriptRow {
    pub path: String,
    pub kinds: BTreeSet<BuildKind>,
    pub evidence: Vec<String>,
}

/// How much of the package was analyzed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub files: u64,
    pub lines: u64,
    pub test_files: u64,
    /// Findings seen only in macro tokens (included in the counts).
    pub macro_token_findings: u64,
    /// Files syn could not parse; their findings come from a token scan, `path: error`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approximate: Vec<String>,
    /// Files not analyzed at all, `path: reason`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_analyzed: Vec<String>,
    /// Tarball entries that were skipped (links, traversal, caps), with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedEntry>,
    /// What is wrong with the crate's own Cargo.toml (malformed, a build script outside the
    /// crate, targets whose files are missing); the targets are then cargo's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_error: Option<String>,
}

/// Where the package came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `.cargo_vcs_info.json` is in the tarball.
    pub vcs_info: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcs_commit: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub vcs_dirty: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_in_vcs: Option<String>,
}

/// An `include*!` argument made relative to the crate root, so that moving the including file
/// does not look like a new embedded file. Arguments that are not plain relative paths
/// (`concat!(env!("OUT_DIR"), ..)`, absolute paths, paths leaving the crate) are kept as
/// written.
fn crate_relative(including_file: &str, arg: &str) -> String {
    if arg.starts_with('/') || arg.contains(['(', '!', '\\']) {
        return arg.to_string();
    }
    let mut parts: Vec<&str> = including_file.split('/').collect();
    parts.pop();
    for seg in arg.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return arg.to_string();
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Report {
    /// Builds the report from every package's input. The order of `inputs` does not matter.
    pub fn build(inputs: Vec<PackageInput>) -> Report {
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for i in &inputs {
            *seen.entry((i.name.clone(), i.version.clone())).or_default() += 1;
        }
        let mut packages = BTreeMap::new();
        for input in inputs {
            let shared = seen[&(input.name.clone(), input.version.clone())] > 1;
            let key = if shared {
                format!(
                    "{}@{} ({})",
                    input.name,
                    input.version,
                    input.source.label()
                )
            } else {
                format!("{}@{}", input.name, input.version)
            };
            packages.insert(key, Package::from_input(input));
        }
        let summary = Summary::of(&packages);
        Report {
            schema_version: SCHEMA_VERSION,
            summary,
            packages,
        }
    }

    /// Reads a report file, checking its `schema_version` first so that a report of another
    /// version gets a message about versions, not about some field deep inside.
    pub fn from_toml(text: &str) -> Result<Report, ReadError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| ReadError::Syntax(e.to_string()))?;
        match table.get("schema_version") {
            None => return Err(ReadError::NotAReport),
            Some(toml::Value::Integer(v)) if *v == i64::from(SCHEMA_VERSION) => {}
            Some(other) => return Err(ReadError::Schema(other.to_string())),
        }
        toml::from_str(text).map_err(|e| ReadError::Shape(e.to_string()))
    }

    /// The canonical TOML: same report, same bytes.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

impl Package {
    fn from_input(input: PackageInput) -> Package {
        let facts = &input.facts;
        let counts = facts.counts();
        let analyzed = facts.not_analyzed.is_none();
        let build_script = facts.build_script.path.as_ref().map(|path| BuildScriptRow {
            path: path.clone(),
            kinds: facts.build_script.kinds.clone(),
            evidence: facts.build_script.evidence.clone(),
        });

        let mut capabilities = BTreeSet::new();
        for kind in counts.shipped.keys().chain(counts.build.keys()) {
            capabilities.insert(kind.capability());
        }
        if build_script.is_some() {
            capabilities.insert(Capability::BuildScript);
        }
        if facts.manifest.proc_macro {
            capabilities.insert(Capability::ProcMacro);
        }
        if !facts.binaries.is_empty() {
            capabilities.insert(Capability::Binary);
        }

        let mut embedded = BTreeSet::new();
        let mut coverage = Coverage {
            skipped: facts.skipped.clone(),
            manifest_error: facts.manifest.error.clone(),
            ..Coverage::default()
        };
        for f in &facts.files {
            coverage.files += 1;
            coverage.lines += u64::from(f.lines);
            if f.role == Role::Test {
                coverage.test_files += 1;
            }
            match &f.parse {
                Parse::Parsed => {}
                Parse::Fallback { error, .. } => {
                    coverage.approximate.push(format!("{}: {error}", f.path));
                }
                Parse::NotAnalyzed { reason } => {
                    coverage.not_analyzed.push(format!("{}: {reason}", f.path));
                }
            }
            for x in &f.findings {
                if x.origin == crate::facts::Origin::MacroTokens {
                    coverage.macro_token_findings += 1;
                }
                let ships = matches!(f.role, Role::Shipped | Role::Build) && !x.test;
                if ships && x.kind.family() == Family::Embed {
                    let what = x.detail.as_deref().unwrap_or("?");
                    embedded.insert(format!(
                        "{} {}",
                        x.kind.code(),
                        crate_relative(&f.path, what)
                    ));
                }
            }
        }

        Package {
            name: input.name,
            version: input.version,
            source: input.source.label(),
            checksum: input.checksum,
            checksum_verified: input.checksum_verified,
            dependency_kinds: input.dep_kinds,
            reached_from: input.reached_from,
            workspace_member: input.workspace_member,
            not_analyzed: facts.not_analyzed.clone(),
            proc_macro: facts.manifest.proc_macro,
            capabilities: if analyzed {
                capabilities
            } else {
                BTreeSet::new()
            },
            shipped: counts.shipped,
            build: counts.build,
            test: counts.test,
            build_script,
            embedded: embedded.into_iter().collect(),
            binaries: facts.binaries.clone(),
            coverage,
            provenance: Provenance {
                vcs_info: facts.vcs.present,
                vcs_commit: facts.vcs.commit.clone(),
                vcs_dirty: facts.vcs.dirty,
                path_in_vcs: facts.vcs.path_in_vcs.clone(),
            },
            audit: None,
        }
    }

    /// Orders packages by risk for summaries: severe capabilities (network, processes, C,
    /// build-time code, shipped binaries, hidden text) first, then all capabilities, then the
    /// unsafe findings in shipped and build code.
    pub fn risk_rank(&self) -> (usize, usize, u64) {
        let severe = self
            .capabilities
            .iter()
            .filter(|c| c.severity() >= Severity::High)
            .count();
        (severe, self.capabilities.len(), self.unsafe_findings())
    }

    /// Unsafe-family findings in shipped and build-script code.
    pub fn unsafe_findings(&self) -> u64 {
        self.shipped
            .iter()
            .chain(&self.build)
            .filter(|(k, _)| k.family() == Family::Unsafe)
            .map(|(_, n)| n)
            .sum()
    }

    /// True when any unsafe-family finding is in shipped or build code.
    pub fn has_unsafe(&self) -> bool {
        self.shipped
            .keys()
            .chain(self.build.keys())
            .any(|k| k.family() == Family::Unsafe)
    }
}

impl Summary {
    fn of(packages: &BTreeMap<String, Package>) -> Summary {
        let mut s = Summary::default();
        for p in packages.values() {
            s.packages += 1;
            if p.not_analyzed.is_some() {
                s.not_analyzed += 1;
            }
            if p.has_unsafe() {
                s.with_unsafe += 1;
            }
            if p.proc_macro {
                s.proc_macros += 1;
            }
            if let Some(b) = &p.build_script {
                s.build_scripts += 1;
                for k in &b.kinds {
                    *s.build_script_kinds.entry(*k).or_default() += 1;
                }
            }
            if !p.binaries.is_empty() {
                s.with_binaries += 1;
            }
            s.files += p.coverage.files;
            s.lines += p.coverage.lines;
            s.files_approximate += p.coverage.approximate.len() as u64;
            s.files_not_analyzed += p.coverage.not_analyzed.len() as u64;
            for c in &p.capabilities {
                *s.capabilities.entry(*c).or_default() += 1;
            }
            for (k, n) in &p.shipped {
                *s.shipped.entry(*k).or_default() += n;
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::crate_relative;

    #[test]
    fn include_paths_are_made_crate_relative() {
        assert_eq!(crate_relative("src/lib.rs", "../data/x.bin"), "data/x.bin");
        assert_eq!(
            crate_relative("src/a/b.rs", "../../examples/t.md"),
            "examples/t.md"
        );
        assert_eq!(crate_relative("src/lib.rs", "gen.rs"), "src/gen.rs");
        assert_eq!(crate_relative("build.rs", "../outside"), "../outside");
        assert_eq!(crate_relative("src/lib.rs", "/abs"), "/abs");
        let dynamic = "concat!(env!(\"OUT_DIR\"), \"/x.rs\")";
        assert_eq!(crate_relative("src/lib.rs", dynamic), dynamic);
    }
}
