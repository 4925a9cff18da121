//! Opening a package again after the scan, for the commands that look inside one: the one
//! [`Opener`] reads a package of the graph where the scan located it ([`Opener::read`]:
//! `show`, `check`'s evidence) or a package a report names from its verified tarball
//! ([`Opener::open`]: SARIF's evidence, `diff --source`); either way its facts come from the
//! results cache first.

use risk_analyzer::{Limits, Unpacked, archive, scan_unpacked};
use risk_report::facts::CrateFacts;
use risk_report::model::Report;

use super::cache::{self, Cache};
use super::error::Error;
use super::graph::GraphPackage;
use super::locate::{Input, Locator};
use super::scan::{ReadError, read_verified};
use super::settings;

/// Opens packages a report names by name, version and pinned checksum: only bytes that
/// verify against the checksum are read, and a package's facts come from the results cache
/// when it holds them (the same facts: the cache is keyed by the verified checksum and the
/// caps).
#[derive(Debug, Clone)]
pub struct Opener {
    locator: Locator,
    limits: Limits,
    cache: Option<Cache>,
}

impl Opener {
    pub fn new(locator: Locator, limits: Limits, cache: Option<Cache>) -> Opener {
        Opener {
            locator,
            limits,
            cache,
        }
    }

    /// This opener with the caps `report` was scanned with (its recorded settings), so that
    /// its packages are read as the scan that wrote it read them, and their cached facts are
    /// found under the same key: other caps would skip other files.
    pub fn for_report(&self, report: &Report) -> Opener {
        Opener {
            limits: settings::recorded_limits(&report.settings),
            ..self.clone()
        }
    }

    /// The package's files and facts; `None` when no tarball verifies against `checksum`.
    pub fn open(&self, name: &str, version: &str, checksum: Option<&str>) -> Option<Opened> {
        let candidates = self.locator.tarballs(name, version);
        let read = read_verified(name, version, &candidates, checksum).ok()?;
        if !read.verified {
            return None;
        }
        let root = format!("{name}-{version}");
        let unpacked = archive::read_crate_tarball(&read.bytes, Some(&root), &self.limits).ok()?;
        let facts = self
            .cached(checksum, &root)
            .unwrap_or_else(|| scan_unpacked(&unpacked));
        Some(Opened { unpacked, facts })
    }
}

/// A package opened from its verified tarball.
#[derive(Debug)]
pub struct Opened {
    pub unpacked: Unpacked,
    pub facts: CrateFacts,
}

/// A located package's files and facts (or why its files could not be read), and whether
/// its bytes were verified.
pub type Files = (Result<Opened, String>, bool);

impl Opener {
    /// Reads a package where the scan located it, the tarball verified first (the same
    /// refusal of a mismatch as the scan); its facts come from the results cache when the
    /// verified bytes have an entry, else from scanning what was read.
    pub fn read(&self, pkg: &GraphPackage, input: Input) -> Result<Files, Error> {
        let root = format!("{}-{}", pkg.name, pkg.version);
        let (unpacked, verified, checksum) = match input {
            Input::Tarball {
                candidates,
                checksum,
            } => match read_verified(&pkg.name, &pkg.version, &candidates, checksum.as_deref()) {
                Ok(r) => (
                    archive::read_crate_tarball(&r.bytes, Some(&root), &self.limits)
                        .map_err(|e| e.to_string()),
                    r.verified,
                    checksum.filter(|_| r.verified),
                ),
                Err(ReadError::Mismatch(m)) => return Err(Error::ChecksumMismatch(vec![m])),
                Err(ReadError::Io(path, source)) => return Err(Error::Read { path, source }),
            },
            Input::Dir(dir) => (
                archive::read_crate_dir(&dir, &self.limits).map_err(|e| e.to_string()),
                false,
                None,
            ),
            Input::Missing => {
                return Err(Error::MissingTarballs {
                    crates: vec![format!("{}@{}", pkg.name, pkg.version)],
                    offline: true,
                });
            }
        };
        let opened = unpacked.map(|unpacked| {
            let facts = self
                .cached(checksum.as_deref(), &root)
                .unwrap_or_else(|| scan_unpacked(&unpacked));
            Opened { unpacked, facts }
        });
        Ok((opened, verified))
    }

    /// The results cache's facts for verified bytes with this checksum, when it has them.
    fn cached(&self, checksum: Option<&str>, root: &str) -> Option<CrateFacts> {
        let key = cache::Key {
            sha256: checksum?,
            root,
            limits: &self.limits,
        };
        self.cache.as_ref()?.get(&key)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::plumbing::verify::sha256_hex;

    #[test]
    fn the_opener_reads_only_verified_bytes_and_takes_facts_from_the_results_cache() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join("registry");
        std::fs::create_dir_all(&registry).unwrap();
        let files: BTreeMap<String, Vec<u8>> = [
            (
                "Cargo.toml".to_owned(),
                b"[package]\nname = \"a\"\nversion = \"1.0.0\"\n".to_vec(),
            ),
            (
                "src/lib.rs".to_owned(),
                b"pub fn f() { unsafe {} }\n".to_vec(),
            ),
        ]
        .into();
        let bytes = testkit::pack_with_root("a-1.0.0", &files);
        std::fs::write(registry.join("a-1.0.0.crate"), &bytes).unwrap();
        let sum = sha256_hex(&bytes);
        let cache = Cache::new(dir.path().join("cache"));
        let opener = Opener::new(
            Locator::new(None, vec![registry]),
            Limits::default(),
            Some(cache.clone()),
        );

        let scanned = opener.open("a", "1.0.0", Some(&sum)).unwrap();
        assert!(scanned.unpacked.files.contains_key("src/lib.rs"));
        assert_eq!(scanned.facts, scan_unpacked(&scanned.unpacked));
        assert!(opener.open("a", "1.0.0", Some(&"0".repeat(64))).is_none());
        assert!(opener.open("a", "2.0.0", Some(&sum)).is_none());

        // a cached result for these verified bytes is what the opener hands out
        let mut cached = scanned.facts.clone();
        cached.not_analyzed = Some("from the cache".to_owned());
        let limits = Limits::default();
        let key = cache::Key {
            sha256: &sum,
            root: "a-1.0.0",
            limits: &limits,
        };
        cache.put(&key, &cached);
        let again = opener.open("a", "1.0.0", Some(&sum)).unwrap();
        assert_eq!(again.facts, cached);

        // a report scanned with smaller caps is opened with them: the file over the cap is
        // skipped as the scan skipped it, and the default caps' cache entry is not its facts
        let mut report = Report::build(Vec::new());
        report.settings.max_entry_bytes = Some(8);
        let capped = opener
            .for_report(&report)
            .open("a", "1.0.0", Some(&sum))
            .unwrap();
        assert!(!capped.unpacked.files.contains_key("src/lib.rs"));
        assert_ne!(capped.facts, cached);
        assert_eq!(capped.facts, scan_unpacked(&capped.unpacked));
    }
}
