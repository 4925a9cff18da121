//! A glob import of `std::fs`: bare names resolve to it, local items and the prelude do not.

use std::fs::*;

pub fn load(p: &str) -> std::io::Result<String> {
    let s = read_to_string(p)?; //~ fs
    Ok(normalize(s))
}

pub fn save(p: &str, s: &str) -> std::io::Result<()> {
    write(p, s) //~ fs
}

pub fn open(p: &str) -> std::io::Result<File> {
    File::open(p) //~ fs
}

/// A local function: not `std::fs::normalize`, even under the glob.
fn normalize(s: String) -> String {
    s.replace("\r\n", "\n")
}
