//! How much of each crate the fast path still hands to syn: every `.crate` given, its `.rs`
//! bytes and the share of their non-blank bytes left after irrelevant items are blanked, the
//! 25 biggest crates first, then the total.
//!
//! `cargo run --release -p risk-analyzer --example fast_kept -- CRATE...`
//!
//! `FAST_KEPT_DUMP=path/suffix.rs` also prints the text syn gets for files ending so.

use risk_analyzer::Limits;
use risk_analyzer::archive::read_crate_tarball;

fn non_blank(text: &str) -> usize {
    text.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

fn main() {
    let dump = std::env::var("FAST_KEPT_DUMP").ok();
    let mut rows = Vec::new();
    let (mut total, mut all, mut kept) = (0usize, 0usize, 0usize);
    for path in std::env::args().skip(1) {
        let Ok(gz) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let Ok(unpacked) = read_crate_tarball(&gz, None, &Limits::default()) else {
            eprintln!("cannot unpack {path}");
            continue;
        };
        let (mut bytes, mut nb, mut k) = (0, 0, 0);
        for (name, b) in unpacked.files.iter().filter(|(n, _)| n.ends_with(".rs")) {
            let text = String::from_utf8_lossy(b);
            let fast = risk_analyzer::source::fast_syn_text(&text);
            if let (Some(d), Some(f)) = (&dump, &fast)
                && name.ends_with(d.as_str())
            {
                println!("{f}");
            }
            bytes += b.len();
            nb += non_blank(&text);
            k += fast.as_deref().map_or(non_blank(&text), non_blank);
        }
        total += bytes;
        all += nb;
        kept += k;
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        rows.push((bytes, k as f64 / nb.max(1) as f64, name));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    for (bytes, share, name) in rows.iter().take(25) {
        println!(
            "{:8.1} MB {:5.1}% kept  {name}",
            *bytes as f64 / 1e6,
            100.0 * share
        );
    }
    println!(
        "total {:.1} MB of .rs, {:.1} MB non-blank, {:.1} MB ({:.1}%) left to syn",
        total as f64 / 1e6,
        all as f64 / 1e6,
        kept as f64 / 1e6,
        100.0 * kept as f64 / all.max(1) as f64
    );
}
