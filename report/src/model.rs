//! The report: one row per package, a summary, and the canonical TOML form.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::facts::CrateFacts;

/// The report format version; bump on any incompatible change of the file.
pub const SCHEMA_VERSION: u32 = 1;

/// How a package is reached from the workspace members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepKind {
    Normal,
    Build,
    Dev,
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

/// Everything the CLI knows about one package, handed to [`crate::model`] to build a row.
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
    pub workspace_member: bool,
    /// The analyzer's result; `not_analyzed` is set when the crate could not be read at all
    /// (for example the tarball was missing with `--offline`).
    pub facts: CrateFacts,
}
