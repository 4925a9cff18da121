//! What the analyzer found in one crate: plain, serializable data.
//!
//! The analyzer fills these types; the report, the cache and the `show` command read them.
//! Every collection is a sorted `Vec` or a `BTreeMap`/`BTreeSet`, so serializing a value twice
//! gives the same bytes whatever order the work was done in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use crate::capability::Capability;
pub use crate::kind::{BuildKind, Family, Kind, KindInfo};

/// How a finding was seen.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// In the syntax tree syn built.
    #[default]
    Syntax,
    /// In the tokens of a macro invocation or `macro_rules!` body that syn leaves opaque.
    MacroTokens,
    /// In a token-level scan of a file syn could not parse: approximate.
    Fallback,
    /// A path into a dependency that names what the dependency re-exports from a capability
    /// path (`base::Stream::connect` with `pub use std::net::TcpStream as Stream;` in base).
    Reexport,
}

/// One finding at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    pub kind: Kind,
    /// The resolved API path (`std::fs::read`), the included file, or the attribute text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub origin: Origin,
    /// Inside `#[cfg(test)]` code or a `#[test]` function of a file that is otherwise shipped.
    #[serde(default, skip_serializing_if = "is_default")]
    pub test: bool,
    /// Inside a code template (`quote! { .. }`, `parse_quote!`, a string handed to
    /// `syn::parse_str`): code the crate builds for another crate (a proc macro's users), not
    /// code it runs. Counted under [`Counts::emits`], not as the crate's own.
    #[serde(default, skip_serializing_if = "is_default")]
    pub emitted: bool,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// What happened when a file was parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Parse {
    /// syn parsed the whole file; findings are exact.
    #[default]
    Parsed,
    /// syn failed; findings come from a token-level scan and are approximate.
    Fallback {
        /// `line:col: message` of syn's error.
        error: String,
        /// Which lexer produced the tokens: `proc-macro2` or `plain`.
        lexer: String,
    },
    /// The file was not analyzed at all (not UTF-8, over a cap, a panic, ...).
    NotAnalyzed { reason: String },
}

/// Where a file sits in the crate, which decides whether its findings ship.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Library, binary or module code that ends up in what users of the crate run.
    #[default]
    Shipped,
    /// The build script or one of its modules.
    Build,
    /// Reached only by test, bench and example targets, or only through test-only code
    /// (`#[cfg(test)] mod x;`).
    Test,
    /// A Rust file in the crate that no target's module tree reaches (a `build.rs` with
    /// `build = false`, a file no `mod` names). Its findings are counted apart.
    Unreached,
}

/// The scan of one `.rs` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Path inside the crate, `/`-separated, without the `name-version/` root.
    pub path: String,
    pub role: Role,
    pub bytes: u64,
    pub lines: u32,
    pub parse: Parse,
    /// Sorted by (line, col, kind, detail).
    pub findings: Vec<Finding>,
    /// Paths this file writes into a dependency (resolved through its `use` items) that no
    /// rule recognised: the graph pass resolves them against that dependency's
    /// [`CrateFacts::exports`]. Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dep_paths: Vec<DepPath>,
}

/// A path into a dependency, as written in one place (see [`FileFacts::dep_paths`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DepPath {
    pub line: u32,
    pub col: u32,
    /// Resolved through the file's imports, starting with the dependency's name as code uses
    /// it (`base::Stream::connect`).
    pub path: String,
    /// Called (`p(..)`), not only named.
    pub callee: bool,
    /// In test code of a shipped file (as [`Finding::test`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub test: bool,
}

/// A name a crate re-exports from a capability path (`pub use std::net::TcpStream as
/// Stream;` at its root is `Stream` -> `std::net::TcpStream`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Export {
    /// From the crate's root, `::`-separated (`net::Stream`).
    pub path: String,
    pub target: String,
}

/// A glob a crate re-exports from a capability path: `pub use std::process::*;` in its
/// `pub mod sys` is module `sys`, target `std::process`. The names the module gives itself
/// shadow the glob's (as rustc resolves them): a user's `base::sys::Command::new(..)` is the
/// glob's `std::process::Command::new` unless `Command` is in `types`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GlobExport {
    /// The module, from the crate's root, `::`-separated (empty for the root).
    pub module: String,
    pub target: String,
    /// Names the module gives in the type namespace (its structs, enums, traits, type
    /// aliases, child modules, `use`s of those). Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// Names the module gives in the value namespace (its functions, constants, statics,
    /// unit and tuple structs, foreign functions, `use`s of those). Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A target from the manifest (or found by cargo's auto-discovery rules).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// `lib`, `proc-macro`, `bin`, `example`, `test`, `bench`, `build-script`.
    pub kind: String,
    pub name: String,
    pub path: String,
}

/// What the crate's own `Cargo.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFacts {
    pub edition: Option<String>,
    pub links: Option<String>,
    pub proc_macro: bool,
    /// The build script's path, when there is one (explicit `build = "..."` or `build.rs`).
    pub build: Option<String>,
    pub targets: Vec<Target>,
    pub build_dependencies: BTreeSet<String>,
    /// Names code uses for the normal dependencies (the table key, `-` as `_`), any target.
    #[serde(default)]
    pub dependencies: BTreeSet<String>,
    /// Names code uses for the dev-dependencies, any target.
    #[serde(default)]
    pub dev_dependencies: BTreeSet<String>,
    /// Dependencies of any table whose key is not their package's name
    /// (`b = { package = "base" }`): the name code uses (the key, `-` as `_`) -> the package
    /// name. The graph pass matches the code name's package.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed: BTreeMap<String, String>,
    /// Set when the manifest is missing or malformed; the rest then holds cargo's defaults.
    pub error: Option<String>,
}

/// The build script, classified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildScript {
    /// Path inside the crate; `None` when the crate has no build script.
    pub path: Option<String>,
    /// Empty when there is no build script.
    pub kinds: BTreeSet<BuildKind>,
    /// Why each kind was given: `native: build-dependency cc`, `network: build.rs:12 reqwest::get`.
    pub evidence: Vec<String>,
    /// The `cfg` names it can set (`cargo:rustc-cfg=NAME`), sorted; [`COMPUTED_CFG`] when it
    /// prints a name built at run time. A name it sets no longer marks test-only code.
    #[serde(default)]
    pub sets_cfg: Vec<String>,
}

/// In [`BuildScript::sets_cfg`]: the script prints a `cfg` name it builds at run time, so it
/// can set any (`test` included).
pub const COMPUTED_CFG: &str = "<computed>";

/// A binary file in the tarball.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BinaryFile {
    pub path: String,
    /// `elf`, `pe`, `mach-o`, `ar-archive`, `wasm`, or `by-extension`.
    pub format: String,
    pub bytes: u64,
    /// A test fixture: under the crate's `tests/`, `benches/` or `examples/` folder (which
    /// cargo never builds for the crate's users) and named by no file of the build script or
    /// of shipped code. Listed, but it does not make the package ship a binary.
    #[serde(default, skip_serializing_if = "is_default")]
    pub fixture: bool,
}

impl BinaryFile {
    /// The file, whatever it was labelled: what the delta compares, so that a relabelling
    /// (new rules) is no new file.
    pub fn same_file(&self, other: &BinaryFile) -> bool {
        (&self.path, &self.format, self.bytes) == (&other.path, &other.format, other.bytes)
    }
}

/// A tarball entry that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SkippedEntry {
    /// The entry's name, escaped so that it is printable.
    pub path: String,
    pub reason: String,
}

/// `.cargo_vcs_info.json`, written by `cargo package`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VcsInfo {
    /// False when the tarball has no `.cargo_vcs_info.json` (published with `--allow-dirty`
    /// outside git, or by another tool).
    pub present: bool,
    pub commit: Option<String>,
    pub dirty: bool,
    pub path_in_vcs: Option<String>,
}

/// Everything found in one crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrateFacts {
    pub name: String,
    pub version: String,
    pub manifest: ManifestFacts,
    pub build_script: BuildScript,
    /// Sorted by path.
    pub files: Vec<FileFacts>,
    /// Sorted by path.
    pub binaries: Vec<BinaryFile>,
    /// Sorted by path, then reason.
    pub skipped: Vec<SkippedEntry>,
    pub vcs: VcsInfo,
    /// Set when the crate as a whole could not be read (corrupt gzip, ...).
    pub not_analyzed: Option<String>,
    /// The library (or proc-macro) root starts with `#![forbid(unsafe_code)]`.
    #[serde(default)]
    pub forbids_unsafe: bool,
    /// Module declarations and `include!`s of reached code whose file could not be read, as
    /// `file:line: what -> path: why` (a skipped entry, a file not in the crate, a path
    /// computed by a macro or at build time). Sorted.
    #[serde(default)]
    pub unread_modules: Vec<String>,
    /// Some unreached file may still be compiled: the crate has a build script (which can copy
    /// or generate code to `include!`) or a module or `include!` path that is computed.
    #[serde(default)]
    pub unreached_may_compile: bool,
    /// The analyzer's `RULES_VERSION` that produced these facts (0: unknown).
    #[serde(default)]
    pub rules_version: u32,
    /// What the library re-exports from capability paths, for its users' paths. Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<Export>,
    /// What the library re-exports by glob from capability paths, for its users' paths.
    /// Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub glob_exports: Vec<GlobExport>,
    /// By `#[macro_export]` `macro_rules!` name, the capabilities of the code its body writes
    /// (findings inside it, and its `$crate::` paths resolved in the library): that code runs
    /// in the crates that invoke the macro. Only macros with some capability.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub macro_exports: BTreeMap<String, BTreeSet<Capability>>,
    /// A proc-macro crate's macros, by the name users write: `#[proc_macro_derive(Name)]`,
    /// `#[proc_macro_attribute] fn name`, `#[proc_macro] fn name` in shipped code (and the
    /// first identifier of each invocation of a `macro_rules!` of the same file that declares
    /// `#[proc_macro_derive($name)]`). Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proc_macros: Vec<String>,
    /// Every macro shipped and build code names: derives and attributes by their last segment
    /// (`#[derive(x::Name)]` is `Name`, `#[x::name]` is `name`), invocations as `name!`, or
    /// `root::name!` when the root of the path is known (`tokio::pin!`, or `pin!` after
    /// `use std::pin::pin;` is `std::pin!`). The graph pass matches them with the
    /// dependencies' macros. Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub macro_uses: Vec<String>,
    /// Set by the graph pass: by proc-macro package name, the capabilities of the code its
    /// templates emit (its [`Counts::emits`]), for each proc-macro crate this crate depends on
    /// (directly, or through a normal dependency that depends on it) and uses a macro of.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub via: BTreeMap<String, BTreeSet<Capability>>,
}

/// Counts of each kind, split by whether the code ships.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Library and binary code (build scripts excluded).
    pub shipped: BTreeMap<Kind, u64>,
    /// The build script and its modules.
    pub build: BTreeMap<Kind, u64>,
    /// Tests, benches, examples and `#[cfg(test)]` code.
    pub test: BTreeMap<Kind, u64>,
    /// Files no target reaches.
    pub unreached: BTreeMap<Kind, u64>,
    /// Inside code templates of shipped and build code ([`Finding::emitted`]): what the crate
    /// builds for others, not in the counts above.
    pub emits: BTreeMap<Kind, u64>,
    /// Findings that came from macro tokens (already included above).
    pub macro_tokens: BTreeMap<Kind, u64>,
    /// Findings from a fallback token scan (already included above): approximate.
    pub approximate: BTreeMap<Kind, u64>,
}

impl CrateFacts {
    /// Per-kind counts over all analyzed files.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for file in &self.files {
            for f in &file.findings {
                // a template in test or unreached code counts where that code counts
                let bucket = match (file.role, f.test, f.emitted) {
                    (Role::Unreached, _, _) => &mut c.unreached,
                    (Role::Test, _, _) | (_, true, _) => &mut c.test,
                    (Role::Build | Role::Shipped, false, true) => &mut c.emits,
                    (Role::Build, false, false) => &mut c.build,
                    (Role::Shipped, false, false) => &mut c.shipped,
                };
                *bucket.entry(f.kind).or_default() += 1;
                match f.origin {
                    Origin::Syntax | Origin::Reexport => {}
                    Origin::MacroTokens => *c.macro_tokens.entry(f.kind).or_default() += 1,
                    Origin::Fallback => *c.approximate.entry(f.kind).or_default() += 1,
                }
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = BTreeSet::new();
        for &k in Kind::ALL {
            let code = k.code();
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code} is not kebab-case"
            );
            assert_eq!(Kind::from_code(code), Some(k));
            // serde agrees with code()
            let json = serde_json::to_string(&k).expect("serialize kind");
            assert_eq!(json, format!("\"{code}\""));
        }
    }
}
