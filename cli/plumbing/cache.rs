//! The per-crate results cache: the analyzer's `CrateFacts` for a verified tarball, so a rerun
//! only scans what changed.
//!
//! - **Key**: the tarball's SHA-256 (verified against Cargo.lock before the cache is asked),
//!   [`risk_analyzer::RULES_VERSION`], the archive [`Limits`] and the expected
//!   `name-version` root. A rule change bumps the version, which moves every lookup to a new
//!   folder; old folders are simply never read again.
//! - **Only verified registry tarballs** are cached. Git and path sources (directories) and
//!   tarballs Cargo.lock pins no checksum for are scanned every time: nothing proves their
//!   bytes are the ones a cache entry was made from.
//! - **Layout**: `DIR/r{RULES_VERSION}-{limits}/{sha[0..2]}/{sha}.facts`, one small header
//!   then the facts as JSON. The header holds the root, the payload length and an FNV-1a
//!   hash of the payload, so a truncated or corrupt entry is detected and rescanned.
//! - **Concurrency**: entries are written to a temporary file in the same folder and renamed
//!   into place, so concurrent runs (or CI jobs sharing `--cache-dir`) only ever see whole
//!   entries; two runs writing the same entry write the same bytes.
//! - **Trust**: the cache is trusted like the build directory: whoever can write to it can
//!   change what the report says. Share it only between jobs of the same trust level.
//!
//! The cache is best effort: any error reading or writing it means a scan, never a failure.

use std::io::Write;
use std::path::{Path, PathBuf};

use risk_analyzer::Limits;

use crate::plumbing::options::Options;
use risk_report::facts::CrateFacts;

/// First line of every entry; bump the number when the entry layout changes.
const MAGIC: &str = "cargo-risk-report-cache 1";

/// Where cached results live.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What identifies one cached result.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    /// Lowercase hex SHA-256 of the tarball, already verified.
    pub sha256: &'a str,
    /// `name-version`, the root the tarball must hold.
    pub root: &'a str,
    pub limits: &'a Limits,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The user's cache folder: `$XDG_CACHE_HOME` when set (on every platform), else
    /// `~/.cache` on Unix, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows; then
    /// `cargo-risk-report`.
    pub fn default_dir() -> Option<PathBuf> {
        let xdg = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute());
        let base = if xdg.is_some() {
            xdg
        } else if cfg!(windows) {
            std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
        } else if cfg!(target_os = "macos") {
            home::home_dir().map(|h| h.join("Library/Caches"))
        } else {
            home::home_dir().map(|h| h.join(".cache"))
        };
        base.map(|b| b.join("cargo-risk-report"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry_path(&self, key: &Key<'_>) -> Option<PathBuf> {
        let sha = key.sha256;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let sha = sha.to_ascii_lowercase();
        let l = key.limits;
        let bucket = format!(
            "r{}-{:x}-{:x}-{:x}",
            risk_analyzer::RULES_VERSION,
            l.max_entry_bytes,
            l.max_total_bytes,
            l.max_entries
        );
        Some(
            self.dir
                .join(bucket)
                .join(&sha[..2])
                .join(format!("{sha}.facts")),
        )
    }

    /// The cached facts, or `None` when absent, for another root, truncated or corrupt.
    pub fn get(&self, key: &Key<'_>) -> Option<CrateFacts> {
        let bytes = std::fs::read(self.entry_path(key)?).ok()?;
        decode(&bytes, key.root)
    }

    /// Stores `facts`; errors are ignored (the next run scans again).
    pub fn put(&self, key: &Key<'_>, facts: &CrateFacts) {
        let Some(path) = self.entry_path(key) else {
            return;
        };
        let Some(dir) = path.parent() else {
            return;
        };
        let Some(bytes) = encode(facts, key.root) else {
            return;
        };
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&bytes)?;
            tmp.persist(&path).map_err(|e| e.error)?;
            Ok(())
        };
        let _ = write();
    }
}

fn encode(facts: &CrateFacts, root: &str) -> Option<Vec<u8>> {
    if root.contains('\n') {
        return None;
    }
    let payload = serde_json::to_vec(facts).ok()?;
    let mut out = format!(
        "{MAGIC}\n{root}\n{} {:016x}\n",
        payload.len(),
        fnv1a(&payload)
    )
    .into_bytes();
    out.extend_from_slice(&payload);
    Some(out)
}

fn decode(bytes: &[u8], root: &str) -> Option<CrateFacts> {
    let mut rest = bytes;
    let mut line = || -> Option<&str> {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let l = std::str::from_utf8(&rest[..end]).ok()?;
        rest = &rest[end + 1..];
        Some(l)
    };
    if line()? != MAGIC || line()? != root {
        return None;
    }
    let (len, hash) = line()?.split_once(' ')?;
    let len: usize = len.parse().ok()?;
    let hash = u64::from_str_radix(hash, 16).ok()?;
    if rest.len() != len || fnv1a(rest) != hash {
        return None;
    }
    serde_json::from_slice(rest).ok()
}

/// FNV-1a, 64 bits: detects truncation and bit rot, not tampering.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The cache this run reads and writes: `--cache-dir`, else the user's cache folder; none
/// with `--no-cache` or `--exhaustive` (which exists to check the fast path, so it scans all).
/// A `--cache-dir` that is not a usable folder is left out (see [`cache_dir_problem`]).
pub fn cache_for(config: &Options) -> Option<Cache> {
    if config.no_cache || config.exhaustive {
        return None;
    }
    match &config.cache_dir {
        Some(dir) => usable_folder(dir).is_ok().then(|| Cache::new(dir.clone())),
        None => Cache::default_dir().map(Cache::new),
    }
}

/// Why the `--cache-dir` given cannot be used, when it cannot: the run then scans without
/// the cache, which whoever asked for it must hear (the cache itself stays best effort and
/// quiet about single entries).
pub fn cache_dir_problem(config: &Options) -> Option<String> {
    if config.no_cache || config.exhaustive {
        return None;
    }
    let dir = config.cache_dir.as_ref()?;
    usable_folder(dir).err().map(|e| {
        format!(
            "--cache-dir {} is not a usable folder ({e}); scanning without the cache",
            dir.display()
        )
    })
}

/// Creates the folder when needed and checks that a file can be written in it.
fn usable_folder(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(std::io::Error::other("it is not a folder"));
    }
    std::fs::create_dir_all(dir)?;
    tempfile::tempfile_in(dir).map(drop)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use risk_report::facts::FileFacts;

    fn facts() -> CrateFacts {
        CrateFacts {
            name: "demo".into(),
            version: "1.0.0".into(),
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                bytes: 10,
                lines: 1,
                ..FileFacts::default()
            }],
            ..CrateFacts::default()
        }
    }

    const SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn key(limits: &Limits) -> Key<'_> {
        Key {
            sha256: SHA,
            root: "demo-1.0.0",
            limits,
        }
    }

    #[test]
    fn round_trip_and_keying() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let limits = Limits::default();
        assert_eq!(cache.get(&key(&limits)), None);
        cache.put(&key(&limits), &facts());
        assert_eq!(cache.get(&key(&limits)), Some(facts()));
        // another root, other limits or another checksum miss
        let other_root = Key {
            root: "demo-1.0.1",
            ..key(&limits)
        };
        assert_eq!(cache.get(&other_root), None);
        let small = Limits {
            max_entries: 3,
            ..Limits::default()
        };
        assert_eq!(cache.get(&key(&small)), None);
        let other_sha = Key {
            sha256: "00",
            ..key(&limits)
        };
        assert_eq!(cache.get(&other_sha), None);
    }

    #[test]
    fn truncated_or_corrupt_entries_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let limits = Limits::default();
        cache.put(&key(&limits), &facts());
        let path = cache.entry_path(&key(&limits)).unwrap();
        let good = std::fs::read(&path).unwrap();
        for bad in [
            good[..good.len() - 5].to_vec(),
            good[..10].to_vec(),
            Vec::new(),
            {
                let mut b = good.clone();
                let n = b.len();
                b[n - 3] ^= 1;
                b
            },
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert_eq!(cache.get(&key(&limits)), None);
        }
        // a rescan rewrites it
        cache.put(&key(&limits), &facts());
        assert_eq!(cache.get(&key(&limits)), Some(facts()));
    }

    #[test]
    fn default_dir_follows_xdg() {
        if cfg!(unix) && !cfg!(target_os = "macos") {
            // only the shape: the environment belongs to the test runner
            assert!(Cache::default_dir().is_none_or(|d| d.ends_with("cargo-risk-report")));
        }
    }
}
