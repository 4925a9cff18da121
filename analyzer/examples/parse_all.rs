//! Benchmark baseline: inflates every `.crate` given (files or directories) and parses every
//! `.rs` file with `syn::parse_file`, across all cores, and nothing else: the cost a scanner
//! that fully parses everything cannot go below.
//! `cargo run --release -p risk-analyzer --example parse_all -- FILE_OR_DIR...`
//!
//! Built with `--features bench-jemalloc`, it uses the allocator the tool uses, for a second
//! baseline that leaves the allocator out of the ratio.

#[cfg(all(feature = "bench-jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::crate_files;

use rayon::prelude::*;
use risk_analyzer::Limits;
use risk_analyzer::archive::read_crate_tarball;

fn main() {
    let crates = crate_files(std::env::args().skip(1).map(PathBuf::from));
    // syn recurses on nesting; give workers the analyzer's stack
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(risk_analyzer::source::STACK_BYTES)
        .build();
    let Ok(pool) = pool else {
        eprintln!("cannot build the thread pool");
        std::process::exit(2);
    };
    let start = Instant::now();
    let (files, bytes, failed) = pool.install(|| {
        crates
            .par_iter()
            .map(|path| {
                let gz = std::fs::read(path).unwrap_or_default();
                let Ok(u) = read_crate_tarball(&gz, None, &Limits::default()) else {
                    return (0, 0, 0);
                };
                u.files
                    .par_iter()
                    .filter(|(p, _)| p.ends_with(".rs"))
                    .map(|(_, b)| {
                        let text = String::from_utf8_lossy(b);
                        let ok = syn::parse_file(&text).is_ok();
                        proc_macro2::extra::invalidate_current_thread_spans();
                        (1, b.len(), usize::from(!ok))
                    })
                    .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    });
    println!(
        "parse-all: {} crates, {files} .rs files, {:.1} MB, {failed} rejected by syn, {:.2} s",
        crates.len(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
}
