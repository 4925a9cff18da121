//! The crate pass: files in, facts out, in parallel across files.

use std::path::Path;

use risk_report::facts::CrateFacts;

use crate::archive::{self, ArchiveError, Limits, Unpacked};

/// Scans a `.crate` tarball held in memory.
pub fn scan_crate_tarball(gz: &[u8], expected_root: Option<&str>, limits: &Limits) -> CrateFacts {
    match archive::read_crate_tarball(gz, expected_root, limits) {
        Ok(unpacked) => scan_unpacked(&unpacked),
        Err(e) => not_analyzed(expected_root.unwrap_or(""), e),
    }
}

/// Scans a crate's source directory (git and path dependencies).
pub fn scan_crate_dir(dir: &Path, limits: &Limits) -> CrateFacts {
    match archive::read_crate_dir(dir, limits) {
        Ok(unpacked) => scan_unpacked(&unpacked),
        Err(e) => not_analyzed("", e),
    }
}

fn not_analyzed(root: &str, e: ArchiveError) -> CrateFacts {
    let _ = root;
    CrateFacts {
        not_analyzed: Some(e.to_string()),
        ..CrateFacts::default()
    }
}

/// Scans the files of one crate.
pub fn scan_unpacked(unpacked: &Unpacked) -> CrateFacts {
    let _ = unpacked;
    CrateFacts::default()
}
