//! Benchmark floor: inflates every `.crate` given (files or directories) and runs the
//! scanner's lexer over every `.rs` file, across all cores, and nothing else: what reading
//! every byte once costs. Its time less `inflate_only`'s is the lexing floor.
//! `cargo run --release -p risk-analyzer --example lex_all -- FILE_OR_DIR...`

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use risk_analyzer::Limits;
use risk_analyzer::archive::read_crate_tarball;

mod common;
use common::crate_files;

fn main() {
    let crates = crate_files(std::env::args().skip(1).map(PathBuf::from));
    let start = Instant::now();
    let (files, tokens) = crates
        .par_iter()
        .map(|path| {
            let gz = std::fs::read(path).unwrap_or_default();
            let Ok(u) = read_crate_tarball(&gz, None, &Limits::default()) else {
                return (0, 0);
            };
            (u.files.iter())
                .filter(|(p, _)| p.ends_with(".rs"))
                .map(|(_, b)| {
                    (
                        1,
                        risk_analyzer::source::lex_count(&String::from_utf8_lossy(b)),
                    )
                })
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "lex-all: {} crates, {files} .rs files, {tokens} tokens, {:.2} s",
        crates.len(),
        start.elapsed().as_secs_f64()
    );
}
