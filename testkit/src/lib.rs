//! Test inputs built at test time, shared by the analyzer's and the binary's tests: crate
//! tarballs laid out as `cargo package` does, hostile tarballs with raw headers, and the
//! corpus folders read from disk, and made-up package inputs for report tests (`packages`).
//! Test-only code: panics on I/O errors are the right failure.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

pub mod packages;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
/// Entry types for raw hostile entries, so tests need no direct `tar` dependency.
pub use tar::EntryType;
use tar::Header;

/// The repository's `corpus/` folder.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

/// The corpus cases: every folder of `corpus/` holding a `Cargo.toml`, sorted.
pub fn corpus_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    cases.sort();
    cases
}

/// The adversarial corpus: every folder of `corpus/adversarial/` holding a `Cargo.toml`,
/// sorted.
pub fn adversarial_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("adversarial"))
        .expect("corpus/adversarial/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    cases.sort();
    cases
}

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

/// `(name, version)` from a Cargo.toml's `[package]`.
pub fn name_version(files: &BTreeMap<String, Vec<u8>>) -> (String, String) {
    let manifest: toml::Table = std::str::from_utf8(&files["Cargo.toml"])
        .unwrap()
        .parse()
        .unwrap();
    let package = manifest["package"].as_table().unwrap();
    (
        package["name"].as_str().unwrap().to_string(),
        package["version"].as_str().unwrap().to_string(),
    )
}

/// Packs files as `cargo package` lays them out; returns the `name-version` root and the gzip.
pub fn pack_crate(files: &BTreeMap<String, Vec<u8>>) -> (String, Vec<u8>) {
    let (name, version) = name_version(files);
    let root = format!("{name}-{version}");
    let gz = pack_with_root(&root, files);
    (root, gz)
}

/// Regular files under `root/`, gzip-compressed, with fixed metadata so bytes are stable.
pub fn pack_with_root(root: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut t = Tarball::new();
    for (path, bytes) in files {
        t.file(&format!("{root}/{path}"), bytes);
    }
    t.gz()
}

/// A tar stream under construction, with raw control over each header: hostile entries need
/// raw headers because `tar::Builder` refuses to write them.
pub struct Tarball {
    builder: tar::Builder<Vec<u8>>,
}

impl Default for Tarball {
    fn default() -> Self {
        Tarball::new()
    }
}

impl Tarball {
    pub fn new() -> Tarball {
        Tarball {
            builder: tar::Builder::new(Vec::new()),
        }
    }

    /// Any name bytes, any type: the header is written as-is. Names over 100 bytes go through
    /// a GNU long-name entry.
    pub fn raw(&mut self, name: &[u8], ty: EntryType, data: &[u8]) -> &mut Self {
        let mut h = Header::new_gnu();
        if name.len() <= 100 {
            h.as_old_mut().name[..name.len()].copy_from_slice(name);
        } else {
            self.long_name(name);
            h.as_old_mut().name[..100].copy_from_slice(&name[..100]);
        }
        h.set_entry_type(ty);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_size(data.len() as u64);
        h.set_cksum();
        self.builder.append(&h, data).unwrap();
        self
    }

    fn long_name(&mut self, name: &[u8]) {
        let mut h = Header::new_gnu();
        h.as_old_mut().name[..13].copy_from_slice(b"././@LongLink");
        h.set_entry_type(EntryType::GNULongName);
        h.set_mode(0o644);
        let mut data = name.to_vec();
        data.push(0);
        h.set_size(data.len() as u64);
        h.set_cksum();
        self.builder.append(&h, data.as_slice()).unwrap();
    }

    pub fn file(&mut self, name: &str, data: &[u8]) -> &mut Self {
        self.raw(name.as_bytes(), EntryType::Regular, data)
    }

    pub fn dir(&mut self, name: &str) -> &mut Self {
        self.raw(name.as_bytes(), EntryType::Directory, b"")
    }

    /// A symlink or hard link entry pointing at `target`.
    pub fn link(&mut self, name: &str, ty: EntryType, target: &str) -> &mut Self {
        let mut h = Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_entry_type(ty);
        h.set_size(0);
        h.set_link_name_literal(target).unwrap();
        h.set_cksum();
        self.builder.append(&h, &b""[..]).unwrap();
        self
    }

    /// The uncompressed tar bytes.
    pub fn tar(&mut self) -> Vec<u8> {
        self.builder.get_mut().flush().unwrap();
        let mut b = std::mem::replace(&mut self.builder, tar::Builder::new(Vec::new()));
        b.finish().unwrap();
        b.into_inner().unwrap()
    }

    /// The gzip-compressed tar bytes, as a `.crate` file holds them.
    pub fn gz(&mut self) -> Vec<u8> {
        gzip(&self.tar())
    }
}

/// A decompression bomb: the `files` as regular entries under `root/`, then an entry
/// `root/bomb.bin` whose header says `gib` GiB and whose data really is `gib` GiB of zeros.
/// Deflate cannot beat about 1000:1, so the `.crate` is about 1 MB per GiB; it is built by
/// repeating one byte-aligned (sync-flushed) compressed MiB of zeros, so it costs nothing to
/// make. The stream stops there, without the gzip trailer: a reader either stops at its own
/// cap or sees a truncated archive.
pub fn bomb(root: &str, files: &[(&str, &[u8])], gib: u64) -> Vec<u8> {
    let mut t = Tarball::new();
    for (path, data) in files {
        t.file(&format!("{root}/{path}"), data);
    }
    let mut tar = t.tar();
    tar.truncate(tar.len() - 1024); // drop the end-of-archive blocks
    let mut h = Header::new_gnu();
    h.set_path(format!("{root}/bomb.bin")).unwrap();
    h.set_size(gib << 30);
    h.set_mode(0o644);
    h.set_cksum();
    tar.extend_from_slice(h.as_bytes());

    let mib = vec![0u8; 1 << 20];
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&tar).unwrap();
    let mut done: u64 = 0;
    let mut last: Vec<u8> = Vec::new();
    let total = gib << 10;
    while done < total {
        let before = enc.get_ref().len();
        enc.write_all(&mib).unwrap();
        enc.flush().unwrap();
        done += 1;
        let chunk = enc.get_ref()[before..].to_vec();
        if chunk == last {
            // steady state: every further MiB compresses to these same bytes
            let mut gz = enc.get_ref().clone();
            for _ in done..total {
                gz.extend_from_slice(&chunk);
            }
            return gz;
        }
        last = chunk;
    }
    enc.get_ref().clone()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Deterministic bytes that gzip cannot shrink, so byte offsets in a stream are predictable.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// A readable line diff for assertion messages.
pub fn line_diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}
