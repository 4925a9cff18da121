//! Embedded content. These docs may write `include_bytes!("../data/blob.bin")` freely.

pub static BLOB: &[u8] = include_bytes!("../data/blob.bin"); //~ include-bytes
pub const NOTES: &str = include_str!("../data/notes.txt"); //~ include-str

include!("generated.rs"); //~ include

pub fn table() -> &'static [u8] {
    core::include_bytes!("../data/blob.bin") //~ include-bytes
}

pub fn notes_again() -> &'static str {
    ::std::include_str!( //~ include-str
        "../data/notes.txt"
    )
}

/// Bytes produced by a build step: the path is only known at build time.
#[cfg(feature = "prebuilt")]
pub fn out_dir_table() -> &'static [u8] {
    include_bytes!(concat!(env!("OUT_DIR"), "/table.bin")) //~ include-bytes
}

/// A function that shares the macro's name (functions and macros live in different namespaces).
pub fn include_bytes(name: &str) -> Vec<u8> {
    name.bytes().rev().collect()
}

pub fn decoys() -> (Vec<u8>, &'static str) {
    // include!("evil.rs") in a comment
    let v = include_bytes("not a macro");
    (v, "include_str!(\"/etc/passwd\") in a string")
}
