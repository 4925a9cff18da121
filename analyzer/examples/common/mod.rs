//! What the benchmark examples share: the `.crate` files they are given.

use std::path::PathBuf;

/// `.crate` files named directly or found (not recursively) in the given directories, sorted.
pub fn crate_files(args: impl Iterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in args {
        if a.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&a) {
                out.extend(
                    rd.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "crate")),
                );
            }
        } else {
            out.push(a);
        }
    }
    out.sort();
    out
}
