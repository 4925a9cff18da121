//! Any bytes as a `.crate`: the reader and the crate pass must return facts, never panic, and
//! stay within the caps (small here, so that each run is quick).
#![no_main]

use libfuzzer_sys::fuzz_target;
use risk_analyzer::{Limits, scan_crate_tarball};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entry_bytes: 64 * 1024,
        max_total_bytes: 256 * 1024,
        max_entries: 64,
    };
    // Half the runs raw (mostly "not gzip"), half gzip-wrapped so the tar layer is reached.
    let facts = if data.first().is_some_and(|b| b & 1 == 1) {
        scan_crate_tarball(&data[1..], Some("f-1.0.0"), &limits)
    } else {
        let gz = gzip(data.get(1..).unwrap_or_default());
        scan_crate_tarball(&gz, None, &limits)
    };
    let total: u64 = facts.files.iter().map(|f| f.bytes).sum();
    assert!(total <= limits.max_total_bytes);
});

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}
