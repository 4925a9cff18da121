//! Hostile tarballs at the crate level, built at test time: whatever the archive does, the
//! scan finishes, memory stays within the caps, and what was not read is in the facts with
//! the reason. (Entry-level rules are unit-tested in `analyzer/src/archive/tests.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use risk_analyzer::archive::{read_crate_tarball, reasons};
use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::facts::{CrateFacts, Kind, Parse};
use tar::EntryType;
use testkit::{Tarball, bomb, gzip};

const ROOT: &str = "evil-1.0.0";
const MANIFEST: &[u8] = b"[package]\nname = \"evil\"\nversion = \"1.0.0\"\nedition = \"2021\"\n";
const LIB: &[u8] = b"pub fn f() { unsafe {} }\n";

fn paths(facts: &CrateFacts) -> Vec<&str> {
    facts.files.iter().map(|f| f.path.as_str()).collect()
}

fn reason_of<'f>(facts: &'f CrateFacts, path: &str) -> &'f str {
    facts
        .skipped
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.reason.as_str())
        .unwrap_or_else(|| panic!("{path} not recorded in {:#?}", facts.skipped))
}

#[test]
fn a_bomb_of_sixteen_gib_stops_at_the_default_stream_cap() {
    let gz = bomb(ROOT, &[("Cargo.toml", MANIFEST), ("src/lib.rs", LIB)], 16);
    // 16 GiB of zeros in about 16 MB: deflate's best ratio; the header alone says 16 GiB.
    assert!(gz.len() < 20 << 20, "{} bytes", gz.len());
    let started = Instant::now();
    let facts = scan_crate_tarball(&gz, Some(ROOT), &Limits::default());
    eprintln!("default caps: stopped after {:?}", started.elapsed());
    assert!(facts.not_analyzed.is_none());
    assert_eq!(paths(&facts), ["src/lib.rs"]);
    assert_eq!(facts.counts().shipped[&Kind::UnsafeBlock], 1);
    assert_eq!(
        reason_of(&facts, "evil-1.0.0/bomb.bin"),
        "over entry size cap (17179869184 bytes > 67108864)"
    );
    let whole = reason_of(&facts, reasons::ARCHIVE);
    assert!(
        whole.starts_with("inflated stream cap reached after 3 entries"),
        "{whole}"
    );
}

#[test]
fn a_bomb_under_small_caps_stops_early() {
    let gz = bomb(ROOT, &[("src/lib.rs", LIB)], 1);
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        max_entries: 100,
    };
    let u = read_crate_tarball(&gz, Some(ROOT), &limits).unwrap();
    assert_eq!(u.files.keys().collect::<Vec<_>>(), ["src/lib.rs"]);
    let whole = &u.skipped[0];
    assert_eq!(whole.path, reasons::ARCHIVE);
    assert!(
        whole.reason.contains("more than 8593408 bytes"),
        "{}",
        whole.reason
    );
}

#[test]
fn many_tiny_entries_stop_at_the_entry_cap() {
    // Low cap: the same path as millions of entries, cheaply.
    let mut t = Tarball::new();
    t.file(&format!("{ROOT}/Cargo.toml"), MANIFEST);
    for i in 0..2_000 {
        t.file(&format!("{ROOT}/src/f{i}.txt"), b"x");
    }
    let gz = t.gz();
    let limits = Limits {
        max_entries: 500,
        ..Limits::default()
    };
    let facts = scan_crate_tarball(&gz, Some(ROOT), &limits);
    assert_eq!(
        reason_of(&facts, reasons::ARCHIVE),
        "entry count cap reached: only the first 500 entries were read"
    );
}

#[test]
fn a_moderately_large_entry_count_hits_the_default_cap_in_reasonable_time() {
    // 150 000 empty entries: 75 MB of tar headers, gzip'd to well under 1 MB.
    let mut tar = Vec::with_capacity(150_001 * 512);
    let mut h = tar::Header::new_gnu();
    for i in 0..150_000u32 {
        h.set_path(format!("{ROOT}/d/{i}")).unwrap();
        h.set_size(0);
        h.set_entry_type(EntryType::Regular);
        h.set_cksum();
        tar.extend_from_slice(h.as_bytes());
    }
    tar.extend_from_slice(&[0; 1024]);
    let gz = gzip(&tar);
    let started = Instant::now();
    let u = read_crate_tarball(&gz, Some(ROOT), &Limits::default()).unwrap();
    eprintln!("150k entries: {:?}", started.elapsed());
    assert_eq!(u.files.len(), 100_000);
    assert_eq!(
        u.skipped.last().map(|s| s.reason.as_str()),
        Some("entry count cap reached: only the first 100000 entries were read")
    );
}

#[test]
fn non_utf8_and_control_character_names_are_recorded_escaped() {
    let gz = Tarball::new()
        .file(
            &format!("{ROOT}/Cargo.toml"),
            std::str::from_utf8(MANIFEST).unwrap().as_bytes(),
        )
        .file(&format!("{ROOT}/src/lib.rs"), LIB)
        .raw(
            b"evil-1.0.0/src/\xc3\x28.rs",
            EntryType::Regular,
            b"unsafe fn x() {}",
        )
        .raw(
            b"evil-1.0.0/src/\x1b]0;pwned\x07.rs",
            EntryType::Regular,
            b"fn y() {}",
        )
        .gz();
    let facts = scan_crate_tarball(&gz, Some(ROOT), &Limits::default());
    assert_eq!(
        reason_of(&facts, "evil-1.0.0/src/\\xc3(.rs"),
        reasons::NOT_UTF8
    );
    // Valid UTF-8 with control characters is a legal name: scanned, but only ever printed
    // escaped (the report's renderers escape it again on output).
    assert!(paths(&facts).contains(&"src/\u{1b}]0;pwned\u{7}.rs"));
}

#[test]
fn of_duplicate_paths_the_last_is_scanned_and_the_earlier_reported() {
    // cargo unpacks in order, so the last entry of a name is what it builds.
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST)
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn harmless() {}\n")
        .file(
            &format!("{ROOT}/src/lib.rs"),
            b"pub fn f() { std::fs::remove_dir_all(\"/\"); }\n",
        )
        .gz();
    let facts = scan_crate_tarball(&gz, Some(ROOT), &Limits::default());
    assert_eq!(paths(&facts), ["src/lib.rs"]);
    assert_eq!(
        facts.counts().shipped[&Kind::Fs],
        1,
        "the later copy is scanned"
    );
    assert_eq!(
        reason_of(&facts, "evil-1.0.0/src/lib.rs"),
        reasons::DUPLICATE
    );
}

#[test]
fn truncated_and_corrupt_archives_keep_what_was_read() {
    let mut t = Tarball::new();
    t.file(&format!("{ROOT}/Cargo.toml"), MANIFEST)
        .file(&format!("{ROOT}/src/lib.rs"), LIB)
        .file(&format!("{ROOT}/src/blob.rs"), &testkit::noise(32 * 1024));
    let gz = t.gz();
    let truncated = scan_crate_tarball(&gz[..gz.len() - 5000], Some(ROOT), &Limits::default());
    assert!(truncated.not_analyzed.is_none());
    assert!(paths(&truncated).contains(&"src/lib.rs"));
    assert!(reason_of(&truncated, reasons::ARCHIVE).starts_with("archive truncated or corrupt"));

    let mut tar = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST)
        .file(&format!("{ROOT}/src/lib.rs"), LIB)
        .file(&format!("{ROOT}/src/two.rs"), b"fn two() {}")
        .tar();
    // the third header: two headers and two one-block bodies before it
    tar[4 * 512 + 100] ^= 0x55;
    let corrupt = scan_crate_tarball(&gzip(&tar), Some(ROOT), &Limits::default());
    assert_eq!(paths(&corrupt), ["src/lib.rs"]);
    assert!(
        reason_of(&corrupt, reasons::ARCHIVE).contains("checksum"),
        "{:?}",
        corrupt.skipped
    );
    // Nothing readable at all: the crate as a whole is not analyzed, and says why.
    let nothing = scan_crate_tarball(&gz[..20], Some(ROOT), &Limits::default());
    assert!(nothing.not_analyzed.is_some());
    assert_eq!(
        (nothing.name.as_str(), nothing.version.as_str()),
        ("evil", "1.0.0")
    );
}

#[test]
fn a_file_over_the_entry_cap_is_not_analyzed_but_listed() {
    let big = vec![b' '; 2 << 20];
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST)
        .file(&format!("{ROOT}/src/lib.rs"), LIB)
        .file(&format!("{ROOT}/src/big.rs"), &big)
        .gz();
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        ..Limits::default()
    };
    let facts = scan_crate_tarball(&gz, Some(ROOT), &limits);
    assert_eq!(
        reason_of(&facts, "evil-1.0.0/src/big.rs"),
        "over entry size cap (2097152 bytes > 1048576)"
    );
    assert!(
        facts
            .files
            .iter()
            .all(|f| !matches!(f.parse, Parse::NotAnalyzed { .. }))
    );
}
