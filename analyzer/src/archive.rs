//! Reading a `.crate` tarball (gzip + tar) entirely in memory, or a source directory.
//!
//! Only regular files under the single `name-version/` root are kept. Everything else (path
//! traversal, absolute paths, links, devices, a second root, entries over a cap) is skipped and
//! recorded; no entry is ever written to disk.

use std::collections::BTreeMap;
use std::path::Path;

use risk_report::facts::SkippedEntry;

/// Caps that bound the memory one crate can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single entry read, in bytes.
    pub max_entry_bytes: u64,
    /// Most bytes inflated from one tarball, in total.
    pub max_total_bytes: u64,
    /// Most entries looked at in one tarball.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entry_bytes: 64 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_entries: 100_000,
        }
    }
}

/// The files of one crate, in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// The `name-version` root folder of the tarball (or the directory's name).
    pub root: String,
    /// Path relative to the root (`/`-separated, e.g. `src/lib.rs`) to contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Entries not read, and why.
    pub skipped: Vec<SkippedEntry>,
}

/// Why a whole tarball could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a gzip-compressed tar archive: {0}")]
    Corrupt(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Reads a `.crate` tarball. `expected_root` is `name-version` when known; when `None`, the
/// root of the first entry is taken and any other root is skipped.
pub fn read_crate_tarball(
    gz: &[u8],
    expected_root: Option<&str>,
    limits: &Limits,
) -> Result<Unpacked, ArchiveError> {
    let _ = (gz, expected_root, limits);
    Err(ArchiveError::Corrupt("not implemented yet".into()))
}

/// Reads a crate's source directory (git and path dependencies, vendored sources), without
/// following symlinks and skipping `target/` and VCS folders.
pub fn read_crate_dir(dir: &Path, limits: &Limits) -> Result<Unpacked, ArchiveError> {
    let _ = (dir, limits);
    Err(ArchiveError::Corrupt("not implemented yet".into()))
}
