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

/// Why a report file could not be read. The parser's own error is kept as the source (its
/// message quotes the file: whoever prints it escapes it).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not valid TOML")]
    Syntax(#[source] toml::de::Error),
    #[error("not valid JSON")]
    JsonSyntax(#[source] serde_json::Error),
    #[error("not a risk report: it has no `schema_version`")]
    NotAReport,
    #[error(
        "it has schema_version {0}, and this cargo-risk-report reads version {SCHEMA_VERSION}; regenerate it with this version of the tool (`cargo risk-report`)"
    )]
    Schema(String),
    #[error("not a valid version-{SCHEMA_VERSION} report")]
    Shape(#[source] Box<dyn std::error::Error + Send + Sync>),
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
    /// The version of the scanner's rules the facts come from (the analyzer's
    /// `RULES_VERSION`); 0 when unknown (a report written before it was recorded). Two reports
    /// of the same crate bytes can differ only when it does.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rules_version: u32,
    /// The scan settings that shaped the report, when they are not the defaults (every
    /// platform, every member, nothing left out, the default caps). Reports written before
    /// this field existed read as made with the defaults.
    #[serde(default, skip_serializing_if = "Settings::is_default")]
    pub settings: Settings,
    pub summary: Summary,
    /// Keyed `name@version`, or `name@version (source)` when two packages share both.
    pub packages: BTreeMap<String, Package>,
}

/// What was asked of the scan: which part of the graph it covers and the caps it read
/// tarballs with. Two reports made with different settings can differ in packages and
/// counts that did not change (see [`crate::diff::SettingsChange`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Target triples the graph was restricted to, sorted; empty: every platform.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// The workspace members whose dependencies were reported (`-p`), sorted; empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Packages left out, with whatever only they reach (`NAME` or `NAME@VERSION`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Packages reached only through dev-dependencies were left out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclude_dev: bool,
    /// Workspace members have rows of their own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_members: bool,
    /// Tarball caps that differ from the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entry_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entries: Option<u64>,
}

impl Settings {
    pub fn is_default(&self) -> bool {
        *self == Settings::default()
    }

    /// The settings that differ, each as `name: old -> new`, in field order.
    pub fn changes(&self, new: &Settings) -> Vec<String> {
        let list = |v: &[String], none: &str| {
            if v.is_empty() {
                none.to_owned()
            } else {
                v.join(", ")
            }
        };
        let flag = |b: bool| if b { "on" } else { "off" };
        let cap = |c: Option<u64>| c.map_or("default".to_owned(), |n| n.to_string());
        let mut out = Vec::new();
        let mut push = |name: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name}: {a} -> {b}"));
            }
        };
        push(
            "targets",
            list(&self.targets, "every platform"),
            list(&new.targets, "every platform"),
        );
        push(
            "packages",
            list(&self.packages, "every member"),
            list(&new.packages, "every member"),
        );
        push(
            "exclude",
            list(&self.exclude, "nothing"),
            list(&new.exclude, "nothing"),
        );
        push(
            "exclude-dev",
            flag(self.exclude_dev).into(),
            flag(new.exclude_dev).into(),
        );
        push(
            "include-members",
            flag(self.include_members).into(),
            flag(new.include_members).into(),
        );
        push(
            "max-entry-bytes",
            cap(self.max_entry_bytes),
            cap(new.max_entry_bytes),
        );
        push(
            "max-total-bytes",
            cap(self.max_total_bytes),
            cap(new.max_total_bytes),
        );
        push("max-entries", cap(self.max_entries), cap(new.max_entries));
        out
    }

    /// Whether a report made with these settings may lack `p`, a package of a report made
    /// with `other`, because of the settings alone: a narrower set of targets, dev-only
    /// packages left out, another exclusion (which also drops whatever only the excluded
    /// package reaches), members not asked for, member rows not asked for.
    pub fn may_leave_out(&self, other: &Settings, p: &Package) -> bool {
        let narrower_targets = !self.targets.is_empty()
            && (other.targets.is_empty()
                || other.targets.iter().any(|t| !self.targets.contains(t)));
        let dev_only = self.exclude_dev
            && !other.exclude_dev
            && !p.dependency_kinds.is_empty()
            && p.dependency_kinds.iter().all(|k| *k == DepKind::Dev);
        let newly_excluded = self.exclude.iter().any(|e| !other.exclude.contains(e));
        let other_members = !self.packages.is_empty()
            && self.packages != other.packages
            && !p.reached_from.keys().any(|m| self.packages.contains(m));
        let member_row = p.workspace_member && !self.include_members;
        narrower_targets || dev_only || newly_excluded || other_members || member_row
    }
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
    /// Packages shipping at least one binary file (test fixtures do not count).
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
    /// `build-script`, `proc-macro`, `binary`, `hidden-text` (see [`Capability`]), and what
    /// its dependencies' macros put into it ([`Package::via`]).
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
    /// Findings in Rust files no target reaches (see `coverage.unreached`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unreached: BTreeMap<Kind, u64>,
    /// Findings inside the code templates of shipped and build code (`quote! { .. }`,
    /// `parse_quote!`, strings handed to `syn::parse_str`): code the package builds for its
    /// users, not in the counts above and granting the package no capability.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub emits: BTreeMap<Kind, u64>,
    /// By package, the capabilities of the code its macros put into this package, whose code
    /// uses one of them: a proc macro's templates (`#[derive(..)]`, an attribute, `name!`), an
    /// exported `macro_rules!` body (`name!`). They count in [`Package::capabilities`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub via: BTreeMap<String, BTreeSet<Capability>>,
    /// `links = "..."` of the manifest: the native library the package says it links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<String>,
    /// The roots of the targets that build into users' code or run at build time.
    #[serde(default, skip_serializing_if = "Targets::is_empty")]
    pub targets: Targets,
    /// The library root starts with `#![forbid(unsafe_code)]`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub forbids_unsafe: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_script: Option<BuildScriptRow>,
    /// Files embedded by `include_bytes!` / `include_str!` / `include!` in shipped or build
    /// code, as `kind path`, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<BinaryFile>,
    /// What the library re-exports from capability paths, by its path in the package
    /// (`Stream = "std::net::TcpStream"`): a user's `base::Stream::connect(..)` is found in the
    /// user's row, as `net`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reexports: BTreeMap<String, String>,
    pub coverage: Coverage,
    pub provenance: Provenance,
    /// What cargo-vet audits say about this version (only when the workspace has
    /// `supply-chain/audits.toml` and it certifies this version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::audit::AuditRow>,
}

/// Target root paths, as the crate's manifest (and cargo's discovery) gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lib: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_macro: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Binary roots, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bins: Vec<String>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        *self == Targets::default()
    }

    fn of(manifest: &crate::facts::ManifestFacts) -> Targets {
        let path_of = |kind: &str| {
            manifest
                .targets
                .iter()
                .find(|t| t.kind == kind)
                .map(|t| t.path.clone())
        };
        let mut bins: Vec<String> = (manifest.targets.iter())
            .filter(|t| t.kind == "bin")
            .map(|t| t.path.clone())
            .collect();
        bins.sort();
        bins.dedup();
        Targets {
            lib: path_of("lib"),
            proc_macro: path_of("proc-macro"),
            build: manifest.build.clone(),
            bins,
        }
    }
}

/// The build script of a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildScriptRow {
    pub path: String,
    pub kinds: BTreeSet<BuildKind>,
    pub evidence: Vec<String>,
    /// The `cfg` names it can set; `<computed>` when it builds one at run time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sets_cfg: Vec<String>,
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
    /// Rust files no target's module tree reaches; their findings are under `unreached`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreached: Vec<String>,
    /// Modules and `include!`s of reached code whose file could not be read, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread_modules: Vec<String>,
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

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Report {
    /// Builds the report from every package's input. The order of `inputs` does not matter.
    pub fn build(inputs: Vec<PackageInput>) -> Report {
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for i in &inputs {
            *seen.entry((i.name.clone(), i.version.clone())).or_default() += 1;
        }
        let rules_version = inputs
            .iter()
            .map(|i| i.facts.rules_version)
            .max()
            .unwrap_or(0);
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
            rules_version,
            settings: Settings::default(),
            summary,
            packages,
        }
    }

    /// Reads a report file, checking its `schema_version` first so that a report of another
    /// version gets a message about versions, not about some field deep inside.
    pub fn from_toml(text: &str) -> Result<Report, ReadError> {
        let table: toml::Table = toml::from_str(text).map_err(ReadError::Syntax)?;
        match table.get("schema_version") {
            None => return Err(ReadError::NotAReport),
            Some(toml::Value::Integer(v)) if *v == i64::from(SCHEMA_VERSION) => {}
            Some(other) => return Err(ReadError::Schema(other.to_string())),
        }
        toml::from_str(text).map_err(|e| ReadError::Shape(Box::new(e)))
    }

    /// Reads a report in either form the tool writes: the TOML file, or the JSON of
    /// `--format json` (told apart by its opening `{`, which no TOML document starts with).
    pub fn parse(text: &str) -> Result<Report, ReadError> {
        if text.trim_start().starts_with('{') {
            Report::from_json(text)
        } else {
            Report::from_toml(text)
        }
    }

    /// Reads the JSON form, with the same `schema_version` check as [`Report::from_toml`].
    pub fn from_json(text: &str) -> Result<Report, ReadError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(ReadError::JsonSyntax)?;
        match value.get("schema_version") {
            None => return Err(ReadError::NotAReport),
            Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
            Some(other) => return Err(ReadError::Schema(other.to_string())),
        }
        serde_json::from_value(value).map_err(|e| ReadError::Shape(Box::new(e)))
    }

    /// The canonical TOML: same report, same bytes.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

/// What the library re-exports, by path in the package: named (`Stream`) and by glob
/// (`sys::*`, `*` at the root).
fn reexports(facts: &crate::facts::CrateFacts) -> BTreeMap<String, String> {
    let named = (facts.exports.iter()).map(|e| (e.path.clone(), e.target.clone()));
    let globs = (facts.glob_exports.iter()).map(|g| {
        let path = match g.module.as_str() {
            "" => "*".to_owned(),
            module => format!("{module}::*"),
        };
        (path, g.target.clone())
    });
    named.chain(globs).collect()
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
            sets_cfg: facts.build_script.sets_cfg.clone(),
        });

        let mut capabilities = BTreeSet::new();
        // Unreached files count when something could still compile them: unknown is risk.
        let unreached = facts
            .unreached_may_compile
            .then_some(&counts.unreached)
            .into_iter()
            .flat_map(BTreeMap::keys);
        for kind in counts
            .shipped
            .keys()
            .chain(counts.build.keys())
            .chain(unreached)
        {
            capabilities.insert(kind.capability());
        }
        if build_script.is_some() {
            capabilities.insert(Capability::BuildScript);
        }
        if facts.manifest.proc_macro {
            capabilities.insert(Capability::ProcMacro);
        }
        if facts.binaries.iter().any(|b| !b.fixture) {
            capabilities.insert(Capability::Binary);
        }
        // code a dependency's macros put into this package is this package's code
        capabilities.extend(facts.via.values().flatten());

        let mut embedded = BTreeSet::new();
        let mut coverage = Coverage {
            skipped: facts.skipped.clone(),
            unread_modules: facts.unread_modules.clone(),
            manifest_error: facts.manifest.error.clone(),
            ..Coverage::default()
        };
        for f in &facts.files {
            coverage.files += 1;
            coverage.lines += u64::from(f.lines);
            match f.role {
                Role::Test => coverage.test_files += 1,
                Role::Unreached => coverage.unreached.push(f.path.clone()),
                Role::Shipped | Role::Build => {}
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
            unreached: counts.unreached,
            emits: counts.emits,
            via: facts.via.clone(),
            links: facts.manifest.links.clone(),
            targets: Targets::of(&facts.manifest),
            forbids_unsafe: facts.forbids_unsafe,
            build_script,
            embedded: embedded.into_iter().collect(),
            binaries: facts.binaries.clone(),
            reexports: reexports(facts),
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

    /// The packages whose macros give this package `cap` (see [`Package::via`]), when its own
    /// code does not: its shipped, build or unreached findings, build script, proc-macro flag
    /// or binaries. Empty when the package has `cap` of its own (or not at all).
    pub fn only_via(&self, cap: Capability) -> Vec<&str> {
        let own_kinds = (self.shipped.keys())
            .chain(self.build.keys())
            .chain(self.unreached.keys())
            .any(|k| k.capability() == cap);
        let own = own_kinds
            || match cap {
                Capability::BuildScript => self.build_script.is_some(),
                Capability::ProcMacro => self.proc_macro,
                Capability::Binary => self.binaries.iter().any(|b| !b.fixture),
                // from findings only (above)
                Capability::Net
                | Capability::Process
                | Capability::Ffi
                | Capability::HiddenText
                | Capability::Fs
                | Capability::EnvWrite
                | Capability::Unsafe
                | Capability::Embed
                | Capability::EnvRead => false,
            };
        if own {
            return Vec::new();
        }
        (self.via.iter())
            .filter(|(_, caps)| caps.contains(&cap))
            .map(|(name, _)| name.as_str())
            .collect()
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
            if p.binaries.iter().any(|b| !b.fixture) {
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
