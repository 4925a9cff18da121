//! Declared only by `#[cfg(test)] mod helpers;` in lib.rs: the whole file is test code.

pub fn cleanup() {
    let _ = std::fs::remove_file("scratch.txt"); //~ fs
}
