//! Prints the facts of `.crate` files, one finding a line (the listing the corpus checks in as
//! `expected.txt`): `cargo run --release -p risk-analyzer --example facts -- FILE.crate ...`
//!
//! For reviewing what a rule change does to a real crate: run it before and after and diff.

use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::facts_text;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: facts FILE.crate ...");
        std::process::exit(2);
    }
    for path in paths {
        let gz = match std::fs::read(&path) {
            Ok(gz) => gz,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(2);
            }
        };
        let root = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        let facts = scan_crate_tarball(&gz, root.as_deref(), &Limits::default());
        print!("{}", facts_text::render(&facts));
    }
}
