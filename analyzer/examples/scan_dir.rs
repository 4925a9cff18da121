//! Benchmark: scans every `.crate` file of a directory and prints what was read and how long
//! it took. `cargo run --release -p risk-analyzer --example scan_dir -- DIR [-j N] [--list]`
//!
//! The figures: crates, files, bytes (inflated `.rs` bytes), parse fallbacks and wall time, so
//! a run on `~/.cargo/registry/cache/*/` can be compared across changes. `--times` also prints
//! the twenty crates that took longest (run it with `-j 1` to compare crates).

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::facts::Parse;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut jobs = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-j" => jobs = args.next().and_then(|n| n.parse::<usize>().ok()),
            "--list" | "--times" => {}
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: scan_dir DIR [-j N]");
        std::process::exit(2);
    };
    let mut crates: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "crate"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    crates.sort();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .stack_size(64 << 20)
        .build()
        .expect("thread pool");
    let start = Instant::now();
    let (results, mut times): (Vec<_>, Vec<_>) = pool.install(|| {
        crates
            .par_iter()
            .map(|path| {
                let one = Instant::now();
                let bytes = std::fs::read(path).unwrap_or_default();
                let root = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                let facts = scan_crate_tarball(&bytes, root.as_deref(), &Limits::default());
                (facts, (one.elapsed(), root.unwrap_or_default()))
            })
            .unzip()
    });
    let wall = start.elapsed();
    if std::env::args().any(|a| a == "--times") {
        times.sort_by(|a, b| b.cmp(a));
        for (took, name) in times.iter() {
            println!("{:9.1} ms  {name}", took.as_secs_f64() * 1e3);
        }
    }

    // `--list` prints each file that fell back to the token scan, with syn's error.
    let list = std::env::args().any(|a| a == "--list");
    let (mut files, mut bytes, mut fallback, mut not_analyzed, mut findings) = (0, 0, 0, 0, 0);
    let mut bad_crates = 0;
    for c in &results {
        if c.not_analyzed.is_some() {
            bad_crates += 1;
        }
        for f in &c.files {
            files += 1;
            bytes += f.bytes;
            findings += f.findings.len();
            match &f.parse {
                Parse::Parsed => {}
                Parse::Fallback { error, .. } => {
                    fallback += 1;
                    if list {
                        println!("fallback {}-{}/{}: {error}", c.name, c.version, f.path);
                    }
                }
                Parse::NotAnalyzed { .. } => not_analyzed += 1,
            }
        }
    }
    println!("crates:            {}", results.len());
    println!("crates unreadable: {bad_crates}");
    println!("files:             {files}");
    println!("bytes (.rs):       {bytes} ({:.1} MB)", bytes as f64 / 1e6);
    println!("findings:          {findings}");
    println!("files fallback:    {fallback}");
    println!("files not analyzed:{not_analyzed}");
    println!("threads:           {}", pool.current_num_threads());
    println!("wall time:         {:.3} s", wall.as_secs_f64());
    println!(
        "rate:              {:.1} MB/s",
        bytes as f64 / 1e6 / wall.as_secs_f64().max(1e-9)
    );
}
