//! Pairs of versions built from the corpus: a package whose old version is the `clean` crate
//! and whose new version is one risk folder must show that risk as gained, and the reverse
//! update as lost with no risk added. This ties the analyzer, the report and the delta
//! together for every kind of risk the corpus pins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::diff::{Change, Severity, diff};
use risk_report::facts::BuildKind;
use risk_report::model::{DepKind, PackageInput, Report, Source};

/// A corpus folder's files, renamed to `pair@version`.
fn as_version(case: &str, version: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = testkit::read_tree(&testkit::corpus_dir().join(case), &["expected.txt"]);
    let mut manifest: toml::Table = std::str::from_utf8(&files["Cargo.toml"])
        .unwrap()
        .parse()
        .unwrap();
    let package = manifest["package"].as_table_mut().unwrap();
    package.insert("name".into(), "pair".into());
    package.insert("version".into(), version.into());
    files.insert(
        "Cargo.toml".into(),
        toml::to_string(&manifest).unwrap().into_bytes(),
    );
    files
}

fn report_of(files: &BTreeMap<String, Vec<u8>>) -> Report {
    let (root, gz) = testkit::pack_crate(files);
    let facts = scan_crate_tarball(&gz, Some(&root), &Limits::default());
    let (name, version) = testkit::name_version(files);
    Report::build(vec![PackageInput {
        name,
        version,
        source: Source::CratesIo,
        checksum: None,
        checksum_verified: false,
        dep_kinds: BTreeSet::from([DepKind::Normal]),
        reached_from: BTreeMap::new(),
        workspace_member: false,
        facts,
    }])
}

/// Each risk folder and the capabilities (and build-script kinds) its delta must gain.
const PAIRS: &[(&str, &[&str], &[BuildKind])] = &[
    ("unsafe-code", &["unsafe"], &[]),
    ("asm-transmute", &["unsafe"], &[]),
    ("embedded", &["embed"], &[]),
    ("fs-api", &["fs"], &[]),
    ("net-api", &["net"], &[]),
    ("process-api", &["process"], &[]),
    ("env-api", &["env-read", "env-write"], &[]),
    ("ffi-api", &["ffi"], &[]),
    ("proc-macro", &["proc-macro"], &[]),
    ("unicode-tricks", &["hidden-text"], &[]),
    ("build-probe", &["build-script"], &[BuildKind::Probe]),
    ("build-native", &["build-script"], &[BuildKind::Native]),
    ("build-codegen", &["build-script"], &[BuildKind::Codegen]),
    ("build-network", &["build-script"], &[BuildKind::Network]),
    ("build-process", &["build-script"], &[BuildKind::Process]),
    ("build-link", &["build-script"], &[BuildKind::Link]),
];

#[test]
fn every_kind_of_risk_is_gained_on_the_way_up_and_lost_on_the_way_down() {
    let clean_old = report_of(&as_version("clean", "1.0.0"));
    let clean_new = report_of(&as_version("clean", "2.0.0"));
    let mut problems = Vec::new();
    for (case, caps, kinds) in PAIRS {
        let risky_new = report_of(&as_version(case, "2.0.0"));
        let risky_old = report_of(&as_version(case, "1.0.0"));

        let up = diff(&clean_old, &risky_new);
        let p = &up.packages[0];
        assert!(
            matches!(p.change, Change::Updated { .. }),
            "{case}: {:?}",
            p.change
        );
        for cap in *caps {
            if !p.gained.contains(*cap) {
                problems.push(format!("{case}: {cap} not gained: {:?}", p.gained));
            }
        }
        let gained_kinds = p
            .build_kinds
            .as_ref()
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        for kind in *kinds {
            if !gained_kinds.contains(kind) {
                problems.push(format!(
                    "{case}: build kind {kind:?} not gained: {gained_kinds:?}"
                ));
            }
        }
        if p.severity < Severity::Medium || !up.adds_risk() {
            problems.push(format!(
                "{case}: severity {:?}, adds_risk {}",
                p.severity,
                up.adds_risk()
            ));
        }

        let down = diff(&risky_old, &clean_new);
        let q = &down.packages[0];
        for cap in *caps {
            if !q.lost.contains(*cap) {
                problems.push(format!(
                    "{case}: {cap} not lost on the way down: {:?}",
                    q.lost
                ));
            }
        }
        if down.adds_risk() {
            problems.push(format!(
                "{case}: removing the risk is reported as adding risk: {q:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_shipped_binary_is_gained_too() {
    let mut with_binary = as_version("clean", "2.0.0");
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(256, 0);
    with_binary.insert("lib/helper.so".into(), elf);
    let up = diff(
        &report_of(&as_version("clean", "1.0.0")),
        &report_of(&with_binary),
    );
    let p = &up.packages[0];
    assert!(p.gained.contains("binary"), "{:?}", p.gained);
    assert_eq!(p.binaries_added[0].path, "lib/helper.so");
    assert_eq!(p.severity, Severity::High);
}

/// A minimal WebAssembly module: the magic and version 1.
const WASM: &[u8] = b"\0asm\x01\0\0\0";

fn clean_with(files: &[(&str, &[u8])]) -> risk_report::diff::PackageDelta {
    let mut new = as_version("clean", "2.0.0");
    for (path, bytes) in files {
        new.insert((*path).into(), bytes.to_vec());
    }
    let up = diff(&report_of(&as_version("clean", "1.0.0")), &report_of(&new));
    up.packages[0].clone()
}

#[test]
fn a_binary_under_tests_benches_or_examples_is_a_fixture_shown_not_gated() {
    for path in [
        "tests/data/module.wasm",
        "benches/fixtures/lib.so",
        "examples/x.wasm",
    ] {
        let bytes: &[u8] = if path.ends_with(".so") {
            b"\x7fELF\x02\x01\x01\0\0\0"
        } else {
            WASM
        };
        let p = clean_with(&[(path, bytes)]);
        assert!(!p.gained.contains("binary"), "{path}: {:?}", p.gained);
        assert_eq!(p.binaries_added.len(), 1, "{path}");
        assert!(p.binaries_added[0].fixture, "{path}");
        assert_eq!(p.severity, Severity::Low, "{path}: {:?}", p.headlines);
        assert_eq!(p.headlines, vec!["1 new binary test fixture(s)"], "{path}");
        assert!(!p.adds_risk(), "{path}: {:?}", p.gate);
    }
}

#[test]
fn a_binary_outside_the_test_folders_still_ships() {
    for path in ["src/module.wasm", "module.wasm", "src/tests/module.wasm"] {
        let p = clean_with(&[(path, WASM)]);
        assert!(p.gained.contains("binary"), "{path}: {:?}", p.gained);
        assert!(!p.binaries_added[0].fixture, "{path}");
        assert_eq!(p.severity, Severity::High, "{path}");
        assert!(p.adds_risk(), "{path}");
    }
}

#[test]
fn a_fixture_that_shipped_code_names_ships() {
    let mut lib = as_version("clean", "2.0.0")["src/lib.rs"].clone();
    lib.extend_from_slice(
        b"\npub static MODULE: &[u8] = include_bytes!(\"../tests/data/module.wasm\");\n",
    );
    let p = clean_with(&[("tests/data/module.wasm", WASM), ("src/lib.rs", &lib)]);
    assert!(p.gained.contains("binary"), "{:?}", p.gained);
    assert!(!p.binaries_added[0].fixture);
    assert_eq!(p.severity, Severity::High);
}

#[test]
fn a_fixture_the_build_script_names_ships() {
    let mut new = as_version("build-codegen", "2.0.0");
    let script = String::from_utf8(new["build.rs"].clone()).unwrap().replace(
        "fn main() {",
        "fn main() {\n    println!(\"cargo:rustc-link-arg=tests/helper.o\");",
    );
    new.insert("build.rs".into(), script.into_bytes());
    new.insert("tests/helper.o".into(), b"\x7fELF\x02\x01\x01\0".to_vec());
    let up = diff(
        &report_of(&as_version("build-codegen", "1.0.0")),
        &report_of(&new),
    );
    let p = &up.packages[0];
    assert!(p.gained.contains("binary"), "{:?}", p.gained);
    assert!(!p.binaries_added[0].fixture);
}
