//! Test support: packing a folder into a `.crate`-shaped tarball in memory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// Every file under `dir` (relative `/`-separated path to bytes), minus `exclude` names.
pub fn read_tree(dir: &Path, exclude: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !exclude.contains(&rel.as_str()) {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// `name-version` from a Cargo.toml's `[package]`.
pub fn root_of(files: &BTreeMap<String, Vec<u8>>) -> String {
    let manifest: toml::Table = std::str::from_utf8(&files["Cargo.toml"])
        .unwrap()
        .parse()
        .unwrap();
    let package = manifest["package"].as_table().unwrap();
    format!(
        "{}-{}",
        package["name"].as_str().unwrap(),
        package["version"].as_str().unwrap()
    )
}

/// Packs files as `cargo package` lays them out: regular files under `name-version/`, gzip.
pub fn pack_crate(files: &BTreeMap<String, Vec<u8>>) -> (String, Vec<u8>) {
    let root = root_of(files);
    (root.clone(), pack_with_root(&root, files))
}

pub fn pack_with_root(root: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for (path, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, format!("{root}/{path}"), bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// A readable line diff for assertion messages.
pub fn line_diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header("expected.txt", "actual")
        .to_string()
}
