//! The checksums Cargo.lock pins. `cargo metadata` does not report them, so the lockfile is
//! read directly: inline `checksum` keys (lockfile v2 to v4) and the `[metadata]` table of v1.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::plumbing::error::Error;

/// SHA-256 digests (lowercase hex) by package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checksums {
    by_source: BTreeMap<(String, String, String), String>,
}

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    package: Vec<RawPackage>,
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
}

impl Checksums {
    pub fn read(path: &Path) -> Result<Checksums, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Checksums::parse(&text).map_err(|source| Error::Lockfile {
            path: path.to_owned(),
            source,
        })
    }

    pub fn parse(text: &str) -> Result<Checksums, toml::de::Error> {
        let raw: RawLock = toml::from_str(text)?;
        let mut by_source = BTreeMap::new();
        for p in raw.package {
            if let (Some(source), Some(sum)) = (p.source, p.checksum) {
                by_source.insert((p.name, p.version, source), sum.to_ascii_lowercase());
            }
        }
        // v1: `"checksum NAME VERSION (SOURCE)" = "HEX"`, `<none>` for sources without one.
        for (key, value) in raw.metadata {
            let (Some(rest), Some(sum)) = (key.strip_prefix("checksum "), value.as_str()) else {
                continue;
            };
            if sum == "<none>" {
                continue;
            }
            let mut parts = rest.splitn(3, ' ');
            let (Some(name), Some(version), Some(source)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let source = source.trim_start_matches('(').trim_end_matches(')');
            by_source.insert(
                (name.to_owned(), version.to_owned(), source.to_owned()),
                sum.to_ascii_lowercase(),
            );
        }
        Ok(Checksums { by_source })
    }

    /// The pinned checksum of a package, looked up by its source as `cargo metadata` spells
    /// it. Falls back to name and version alone when exactly one source has that pair, which
    /// covers spelling differences between the two (e.g. `sparse+` vs `registry+`).
    pub fn get(&self, name: &str, version: &str, source: &str) -> Option<&str> {
        let key = (name.to_owned(), version.to_owned(), source.to_owned());
        if let Some(sum) = self.by_source.get(&key) {
            return Some(sum);
        }
        let mut same = self
            .by_source
            .iter()
            .filter(|((n, v, _), _)| n == name && v == version);
        match (same.next(), same.next()) {
            (Some((_, sum)), None) => Some(sum),
            _ => None,
        }
    }

    /// Every pinned package: name, version, checksum.
    pub fn pinned(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.by_source
            .iter()
            .map(|((name, version, _), sum)| (name.as_str(), version.as_str(), sum.as_str()))
    }

    pub fn len(&self) -> usize {
        self.by_source.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

    #[test]
    fn reads_inline_checksums_of_v3_and_v4() {
        for version in [3, 4] {
            let text = format!(
                r#"version = {version}

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde"]

[[package]]
name = "serde"
version = "1.0.0"
source = "{CRATES_IO}"
checksum = "ABCDEF"

[[package]]
name = "gitdep"
version = "0.2.0"
source = "git+https://example.com/g.git#0123456789abcdef"
"#
            );
            let sums = Checksums::parse(&text).expect("parses");
            assert_eq!(sums.len(), 1);
            assert_eq!(sums.get("serde", "1.0.0", CRATES_IO), Some("abcdef"));
            assert_eq!(sums.get("app", "0.1.0", CRATES_IO), None);
            assert_eq!(sums.get("gitdep", "0.2.0", CRATES_IO), None);
        }
    }

    #[test]
    fn reads_the_v1_metadata_table() {
        let text = format!(
            r#"[[package]]
name = "libc"
version = "0.2.0"
source = "{CRATES_IO}"

[metadata]
"checksum libc 0.2.0 ({CRATES_IO})" = "00ff"
"checksum gitdep 0.1.0 (git+https://example.com/g.git)" = "<none>"
"#
        );
        let sums = Checksums::parse(&text).expect("parses");
        assert_eq!(sums.get("libc", "0.2.0", CRATES_IO), Some("00ff"));
        assert_eq!(sums.len(), 1);
    }

    #[test]
    fn falls_back_to_name_and_version_only_when_unambiguous() {
        let text = r#"
[[package]]
name = "dup"
version = "1.0.0"
source = "registry+https://a.example/index"
checksum = "aa"

[[package]]
name = "dup"
version = "1.0.0"
source = "registry+https://b.example/index"
checksum = "bb"

[[package]]
name = "one"
version = "1.0.0"
source = "registry+https://a.example/index"
checksum = "cc"
"#;
        let sums = Checksums::parse(text).expect("parses");
        assert_eq!(
            sums.get("dup", "1.0.0", "registry+https://b.example/index"),
            Some("bb")
        );
        assert_eq!(sums.get("dup", "1.0.0", "sparse+https://c.example/"), None);
        assert_eq!(
            sums.get("one", "1.0.0", "sparse+https://a.example/"),
            Some("cc")
        );
    }

    #[test]
    fn a_malformed_lockfile_is_an_error() {
        assert!(Checksums::parse("[[package]]\nname = 1").is_err());
    }
}
