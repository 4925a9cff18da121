//! Where source replacement keeps `.crate` files: the `local-registry` folders named in cargo
//! configuration. (`directory` sources, made by `cargo vendor`, hold unpacked crates; those are
//! found through `cargo metadata`'s manifest paths instead.)

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize, Default)]
struct RawConfig {
    #[serde(default)]
    source: std::collections::BTreeMap<String, RawSource>,
}

#[derive(Deserialize, Default)]
struct RawSource {
    #[serde(rename = "local-registry")]
    local_registry: Option<String>,
}

/// The config files cargo would read, most specific first: `.cargo/config.toml` (and the
/// legacy `.cargo/config`) in each of `starts` and their ancestors, then `$CARGO_HOME`'s.
pub fn config_files(starts: &[&Path], cargo_home: Option<&Path>) -> Vec<PathBuf> {
    config_candidates(starts, cargo_home)
        .into_iter()
        .filter(|f| f.is_file())
        .collect()
}

/// Every place [`config_files`] looks, whether a file is there or not (creating one there
/// changes cargo's configuration), without repeats.
pub fn config_candidates(starts: &[&Path], cargo_home: Option<&Path>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut push = |f: PathBuf| {
        if !files.contains(&f) {
            files.push(f);
        }
    };
    for start in starts {
        for dir in start.ancestors() {
            push(dir.join(".cargo").join("config.toml"));
            push(dir.join(".cargo").join("config"));
        }
    }
    if let Some(home) = cargo_home {
        push(home.join("config.toml"));
        push(home.join("config"));
    }
    files
}

/// The `local-registry` roots named in `files`. Unreadable or malformed files are skipped:
/// cargo itself will have complained about them already, and a root we miss only means a
/// tarball reported missing, never a wrong one read.
pub fn local_registries(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Ok(raw) = toml::from_str::<RawConfig>(&text) else {
            continue;
        };
        // Cargo resolves config paths against the folder that holds the `.cargo` folder (or,
        // for `$CARGO_HOME/config.toml`, the folder that holds `$CARGO_HOME`).
        let base = file
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        for src in raw.source.values() {
            if let Some(p) = &src.local_registry {
                let root = base.join(p);
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_local_registries_relative_to_the_config_owner() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let ws = tmp.path().join("ws");
        let sub = ws.join("member");
        std::fs::create_dir_all(ws.join(".cargo"))?;
        std::fs::create_dir_all(&sub)?;
        std::fs::write(
            ws.join(".cargo/config.toml"),
            "[source.crates-io]\nreplace-with = \"local\"\n[source.local]\nlocal-registry = \"../reg\"\n[source.vendored]\ndirectory = \"vendor\"\n",
        )?;
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home)?;
        std::fs::write(
            home.join("config.toml"),
            "[source.other]\nlocal-registry = \"/abs/reg\"\n",
        )?;
        std::fs::write(home.join("config"), "not toml [")?;

        let files = config_files(&[&sub], Some(&home));
        assert_eq!(files[0], ws.join(".cargo/config.toml"));
        let roots = local_registries(&files);
        assert_eq!(roots, vec![ws.join("../reg"), PathBuf::from("/abs/reg")]);
        Ok(())
    }
}
