//! Where the bytes of each package are: a `.crate` tarball in the cargo cache or a local
//! registry (verified before it is read), or a directory (git checkouts, path dependencies,
//! vendored sources; read unverified).

use std::path::{Path, PathBuf};

use risk_report::model::Source;

use crate::plumbing::graph::GraphPackage;

/// What to read for one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `.crate` files named `NAME-VERSION.crate`, in search order; the first whose SHA-256
    /// matches `checksum` is read. Several exist when registries share a crate name.
    Tarball {
        candidates: Vec<PathBuf>,
        /// `None` only when Cargo.lock pins no checksum (some alternative registries): the
        /// tarball is then read unverified.
        checksum: Option<String>,
    },
    /// A source directory, read unverified.
    Dir(PathBuf),
    /// A registry package whose tarball is nowhere to be found.
    Missing,
}

/// The places tarballs are searched, listed once per run.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// `$CARGO_HOME/registry/cache/*`, sorted so the search order is stable.
    cache_dirs: Vec<PathBuf>,
    /// `local-registry` roots from cargo configuration.
    local_registries: Vec<PathBuf>,
    /// `$CARGO_HOME/registry/src`: where cargo unpacks registry crates for its own use.
    registry_src: Option<PathBuf>,
}

/// `$CARGO_HOME`, resolved the way cargo does (the env var, else `~/.cargo`).
pub fn cargo_home() -> Option<PathBuf> {
    home::cargo_home().ok()
}

impl Locator {
    pub fn new(cargo_home: Option<&Path>, local_registries: Vec<PathBuf>) -> Locator {
        let mut cache_dirs = Vec::new();
        if let Some(home) = cargo_home
            && let Ok(entries) = std::fs::read_dir(home.join("registry").join("cache"))
        {
            cache_dirs.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir()),
            );
        }
        cache_dirs.sort();
        Locator {
            cache_dirs,
            local_registries,
            registry_src: cargo_home.map(|h| h.join("registry").join("src")),
        }
    }

    /// The places cargo would look for a workspace rooted at `root`, run from the current
    /// folder: the cargo cache and the local registries its configuration files name.
    pub fn for_root(root: &Path) -> Locator {
        let home = cargo_home();
        let cwd = std::env::current_dir().ok();
        let mut starts: Vec<&Path> = vec![root];
        if let Some(cwd) = &cwd {
            starts.push(cwd);
        }
        let files = crate::plumbing::cargo_config::config_files(&starts, home.as_deref());
        Locator::new(
            home.as_deref(),
            crate::plumbing::cargo_config::local_registries(&files),
        )
    }

    /// Every existing `NAME-VERSION.crate`, cache folders first, then local registries.
    pub fn tarballs(&self, name: &str, version: &str) -> Vec<PathBuf> {
        let file = format!("{name}-{version}.crate");
        self.cache_dirs
            .iter()
            .chain(&self.local_registries)
            .map(|d| d.join(&file))
            .filter(|p| p.is_file())
            .collect()
    }

    pub fn locate(&self, pkg: &GraphPackage, checksum: Option<&str>) -> Input {
        match pkg.source {
            Source::Path(_) | Source::Git(_) => Input::Dir(pkg.manifest_dir.clone()),
            Source::CratesIo | Source::Registry(_) => {
                let candidates = self.tarballs(&pkg.name, &pkg.version);
                if !candidates.is_empty() {
                    Input::Tarball {
                        candidates,
                        checksum: checksum.map(str::to_owned),
                    }
                } else if self.is_unpacked_by_cargo(&pkg.manifest_dir) {
                    // Cargo's own unpacked copy is editable and not what Cargo.lock pins:
                    // never a substitute for the tarball.
                    Input::Missing
                } else if pkg.manifest_dir.is_dir() {
                    // Source replacement by a directory (`cargo vendor`).
                    Input::Dir(pkg.manifest_dir.clone())
                } else {
                    Input::Missing
                }
            }
        }
    }

    fn is_unpacked_by_cargo(&self, dir: &Path) -> bool {
        let Some(src) = &self.registry_src else {
            return false;
        };
        if dir.starts_with(src) {
            return true;
        }
        match (dir.canonicalize(), src.canonicalize()) {
            (Ok(d), Ok(s)) => d.starts_with(s),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn pkg(source: Source, dir: &Path) -> GraphPackage {
        GraphPackage {
            binary: false,
            name: "foo".into(),
            version: "1.0.0".into(),
            source,
            source_id: None,
            manifest_dir: dir.to_owned(),
            member: false,
            root: false,
            dep_kinds: BTreeSet::new(),
            reached_from: Default::default(),
            license: None,
            license_file: None,
        }
    }

    #[test]
    fn finds_tarballs_in_any_cache_folder_and_local_registries() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let home = tmp.path().join("home");
        let a = home.join("registry/cache/a-registry");
        let b = home.join("registry/cache/b-registry");
        let local = tmp.path().join("local");
        let unpacked = home.join("registry/src/a-registry/foo-1.0.0");
        let vendor = tmp.path().join("vendor/foo");
        for d in [&a, &b, &local, &unpacked, &vendor] {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(b.join("foo-1.0.0.crate"), b"x")?;
        std::fs::write(local.join("foo-1.0.0.crate"), b"y")?;

        let loc = Locator::new(Some(&home), vec![local.clone()]);
        assert_eq!(
            loc.locate(&pkg(Source::CratesIo, &unpacked), Some("ab")),
            Input::Tarball {
                candidates: vec![b.join("foo-1.0.0.crate"), local.join("foo-1.0.0.crate")],
                checksum: Some("ab".into()),
            }
        );

        let empty = Locator::new(Some(&home), vec![]);
        let mut other = pkg(Source::CratesIo, &unpacked);
        other.name = "bar".into();
        assert_eq!(empty.locate(&other, Some("ab")), Input::Missing);
        other.manifest_dir = vendor.clone();
        assert_eq!(empty.locate(&other, Some("ab")), Input::Dir(vendor.clone()));
        assert_eq!(
            empty.locate(&pkg(Source::Path("../x".into()), &vendor), None),
            Input::Dir(vendor)
        );
        Ok(())
    }
}
