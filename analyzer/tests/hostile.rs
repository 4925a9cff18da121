//! Hostile crates, built at test time: whatever a tarball holds, the scan finishes, records
//! what it could not read, and never counts the unreadable as zero.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::facts::{Kind, Parse};
use tar::EntryType;
use testkit::Tarball;

const ROOT: &str = "evil-1.0.0";
const MANIFEST: &str = "[package]\nname = \"evil\"\nversion = \"1.0.0\"\nedition = \"2021\"\n";

fn scan(gz: &[u8]) -> risk_report::facts::CrateFacts {
    scan_crate_tarball(gz, Some(ROOT), &Limits::default())
}

#[test]
fn traversal_links_and_second_roots_are_skipped_and_recorded() {
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() { unsafe {} }")
        .file(&format!("{ROOT}/../../etc/evil.rs"), b"unsafe fn x() {}")
        .file("/abs/evil.rs", b"unsafe fn x() {}")
        .file("other-2.0.0/src/lib.rs", b"unsafe fn x() {}")
        .link(
            &format!("{ROOT}/src/link.rs"),
            EntryType::Symlink,
            "/etc/passwd",
        )
        .link(&format!("{ROOT}/src/hard.rs"), EntryType::Link, "../../x")
        .gz();
    let facts = scan(&gz);
    assert!(facts.not_analyzed.is_none());
    let paths: Vec<&str> = facts.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["src/lib.rs"], "only the safe file is scanned");
    assert_eq!(facts.skipped.len(), 5, "{:#?}", facts.skipped);
    let reasons: String = facts.skipped.iter().map(|s| s.reason.clone()).collect();
    for word in [
        "..",
        "absolute",
        "outside the crate root",
        "symbolic link",
        "hard link",
    ] {
        assert!(
            reasons.contains(word),
            "no skip reason mentions {word:?}: {reasons}"
        );
    }
}

#[test]
fn a_file_that_is_not_utf8_is_recorded_not_zero() {
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"mod bad;\npub fn f() {}")
        .file(
            &format!("{ROOT}/src/bad.rs"),
            b"unsafe fn f() {}\n\xff\xfe garbage",
        )
        .gz();
    let facts = scan(&gz);
    let bad = facts.files.iter().find(|f| f.path == "src/bad.rs").unwrap();
    match &bad.parse {
        Parse::NotAnalyzed { reason } => assert!(reason.contains("UTF-8"), "{reason}"),
        other => panic!("expected not analyzed, got {other:?}"),
    }
    assert!(bad.findings.is_empty());
}

#[test]
fn an_unparseable_file_still_yields_approximate_findings() {
    let src = b"pub fn f() { unsafe { g() } }\nfn broken( { let x = ; std::fs::read(\"x\"); }\n";
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), src)
        .gz();
    let facts = scan(&gz);
    let lib = &facts.files[0];
    assert!(
        matches!(lib.parse, Parse::Fallback { .. }),
        "{:?}",
        lib.parse
    );
    let kinds: Vec<Kind> = lib.findings.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&Kind::UnsafeBlock), "{kinds:?}");
}

#[test]
fn entries_over_the_size_cap_are_skipped_with_the_reason() {
    let big = vec![b'/'; 3 * 1024 * 1024];
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() {}")
        .file(&format!("{ROOT}/src/huge.rs"), &big)
        .gz();
    let limits = Limits {
        max_entry_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let facts = scan_crate_tarball(&gz, Some(ROOT), &limits);
    assert!(facts.files.iter().all(|f| f.path != "src/huge.rs"));
    let skip = facts
        .skipped
        .iter()
        .find(|s| s.path.ends_with("huge.rs"))
        .unwrap();
    assert!(skip.reason.contains("size cap"), "{}", skip.reason);
}

#[test]
fn a_corrupt_gzip_is_a_crate_not_analyzed() {
    let mut gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), MANIFEST.as_bytes())
        .gz();
    gz.truncate(gz.len() / 3);
    let facts = scan(&gz);
    assert!(facts.not_analyzed.is_some() || !facts.skipped.is_empty());
    let not_gzip = scan(b"definitely not gzip");
    assert!(not_gzip.not_analyzed.is_some());
    assert_eq!(not_gzip.name, "evil");
}

#[test]
fn a_build_script_path_escaping_the_crate_is_not_followed() {
    let manifest = format!("{MANIFEST}build = \"../../outside.rs\"\n");
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), manifest.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() {}")
        .gz();
    let facts = scan(&gz);
    assert!(facts.manifest.error.is_some(), "{:?}", facts.manifest);
    assert_ne!(facts.build_script.path.as_deref(), Some("../../outside.rs"));
}

#[test]
fn a_malformed_manifest_is_noted_with_its_position_and_the_scan_goes_on() {
    let gz = Tarball::new()
        .file(
            &format!("{ROOT}/Cargo.toml"),
            b"[package]\nname = \"evil\"\nversion = = \"1.0.0\"\n[[[bin]]\n",
        )
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() { unsafe {} }")
        .gz();
    let facts = scan(&gz);
    let error = facts.manifest.error.as_deref().unwrap();
    assert!(error.starts_with("Cargo.toml:3:"), "{error}");
    // identity from the tarball root, targets from cargo's defaults: the code is still read
    assert_eq!(
        (facts.name.as_str(), facts.version.as_str()),
        ("evil", "1.0.0")
    );
    assert_eq!(facts.counts().shipped[&Kind::UnsafeBlock], 1);
}

#[test]
fn targets_pointing_at_missing_files_are_noted() {
    let manifest = format!(
        "{MANIFEST}build = \"build.rs\"\n[lib]\npath = \"src/lib.rs\"\n\
         [[bin]]\nname = \"ghost\"\npath = \"src/bin/ghost.rs\"\n"
    );
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), manifest.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() {}")
        .gz();
    let facts = scan(&gz);
    let error = facts.manifest.error.as_deref().unwrap();
    for missing in ["`src/bin/ghost.rs`", "`build.rs`"] {
        assert!(error.contains(missing), "{missing} not noted: {error}");
    }
    assert!(!error.contains("`src/lib.rs`"), "{error}");
    assert!(facts.not_analyzed.is_none());
}

#[test]
fn a_build_script_escaping_the_crate_is_noted() {
    let manifest = format!("{MANIFEST}build = \"/etc/passwd\"\n");
    let gz = Tarball::new()
        .file(&format!("{ROOT}/Cargo.toml"), manifest.as_bytes())
        .file(&format!("{ROOT}/src/lib.rs"), b"pub fn f() {}")
        .gz();
    let facts = scan(&gz);
    let error = facts.manifest.error.as_deref().unwrap();
    assert!(error.contains("outside the crate"), "{error}");
    assert_eq!(facts.build_script.path, None);
}
