//! Benchmark baseline: reads and inflates every `.crate` file given (or every one in the given
//! directories) on all cores, keeping the files in memory like the scanner does, and nothing
//! else. `cargo run --release -p risk-analyzer --example inflate_only -- FILE_OR_DIR...`

use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::crate_files;

use rayon::prelude::*;
use risk_analyzer::Limits;
use risk_analyzer::archive::read_crate_tarball;

fn main() {
    let crates = crate_files(std::env::args().skip(1).map(PathBuf::from));
    let start = Instant::now();
    let (files, bytes) = crates
        .par_iter()
        .map(|path| {
            let gz = std::fs::read(path).unwrap_or_default();
            match read_crate_tarball(&gz, None, &Limits::default()) {
                Ok(u) => (
                    u.files.len(),
                    u.files.values().map(|b| b.len()).sum::<usize>(),
                ),
                Err(_) => (0, 0),
            }
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "inflate-only: {} crates, {files} files, {:.1} MB inflated, {:.2} s",
        crates.len(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
}
