//! File system access in every spelling the analyzer must resolve.

pub mod glob;
pub mod lookalike;
pub mod wrappers;

use std::fs;
use std::fs as disk;
use std::io::{self, Write};
use std::path::Path;
use std::{fs::OpenOptions, time::Duration};

pub fn direct(p: &Path) -> io::Result<Vec<u8>> {
    std::fs::read(p) //~ fs
}

pub fn fully_qualified(p: &Path) -> io::Result<String> {
    ::std::fs::read_to_string(p) //~ fs
}

pub fn module_import(p: &Path) -> io::Result<()> {
    fs::create_dir_all(p) //~ fs
}

pub fn renamed(p: &Path) -> io::Result<u64> {
    Ok(disk::metadata(p)?.len()) //~ fs
}

pub fn grouped(p: &Path, line: &str) -> io::Result<()> {
    let mut f = OpenOptions::new().append(true).create(true).open(p)?; //~ fs
    f.write_all(line.as_bytes())
}

pub fn fn_as_value(paths: &[&Path]) -> Vec<io::Result<Vec<u8>>> {
    paths.iter().map(fs::read).collect() //~ fs
}

pub fn two_on_a_line(from: &Path, to: &Path) -> io::Result<()> {
    fs::copy(from, to).and_then(|_| fs::remove_file(from)) //~ fs, fs
}

pub fn multi_line(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename( //~ fs
        from,
        to,
    )
}

/// Type positions are not calls: `fs::File` and `std::fs::Metadata` below are not findings;
/// the method call is (with `Path` in scope, `.metadata()` stats a file).
pub fn size_of(f: &fs::File) -> Option<std::fs::Metadata> {
    f.metadata().ok() //~ fs
}

pub fn timeout() -> Duration {
    Duration::from_secs(3)
}
