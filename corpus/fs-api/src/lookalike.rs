//! Nothing in this file touches the file system. `std::fs::remove_dir_all("/")` in a doc is text.

use std::collections::BTreeMap;
use std::fs::File;

/// A local module named `fs`; with no `use std::fs` here, `fs::read` is this one.
mod fs {
    pub fn read(_path: &str) -> Vec<u8> {
        Vec::new()
    }
}

#[derive(Default)]
pub struct MemFs {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemFs {
    pub fn read(&self, path: &str) -> Option<&Vec<u8>> {
        self.files.get(path)
    }
}

pub fn local_module() -> Vec<u8> {
    fs::read("not/the/disk")
}

pub fn local_variable() -> bool {
    let fs = MemFs::default();
    fs.read("Cargo.toml").is_some()
}

/// `File` in a signature is a type, not a call.
pub fn takes(_f: File) {}

pub fn words() -> &'static str {
    // fs::remove_dir_all("/") in a comment
    "std::fs::write(\"/etc/passwd\", b\"\")"
}
