//! The delta: one scenario rendered by every renderer (named snapshots), severity ordering,
//! the empty delta, and escaping of hostile crate strings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use risk_report::diff::{Severity, diff};
use risk_report::facts::{BuildKind, Kind};
use risk_report::model::{PackageInput, Report};
use risk_report::render;

mod common;
use common::pkg;

fn scenario() -> (Report, Report) {
    let old = Report::build(vec![
        pkg(
            "foo-sys",
            "0.3.2",
            &[(Kind::UnsafeBlock, 2)],
            &[BuildKind::Probe],
            &[],
        ),
        pkg("serde", "1.0.200", &[], &[], &[]),
        pkg("leftpad", "0.1.0", &[], &[], &[]),
        pkg("tempfile", "3.1.0", &[(Kind::Fs, 3)], &[], &[]),
    ]);
    let new = Report::build(vec![
        pkg(
            "foo-sys",
            "0.4.0",
            &[(Kind::UnsafeBlock, 5), (Kind::Ffi, 2)],
            &[BuildKind::Probe, BuildKind::Native],
            &[],
        ),
        pkg("serde", "1.0.201", &[], &[], &[]),
        pkg(
            "socket2",
            "0.6.1",
            &[(Kind::Net, 4), (Kind::UnsafeBlock, 120)],
            &[],
            &[],
        ),
        pkg(
            "blobby",
            "1.0.0",
            &[(Kind::IncludeBytes, 1)],
            &[],
            &["bin/helper"],
        ),
        pkg("tempfile", "3.1.0", &[(Kind::Fs, 3)], &[], &[]),
    ]);
    (old, new)
}

fn text(d: &risk_report::diff::ReportDiff) -> String {
    let mut out = Vec::new();
    render::text::render(d, false, &BTreeMap::new(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn markdown(d: &risk_report::diff::ReportDiff) -> String {
    let mut out = Vec::new();
    render::markdown::render(
        d,
        &BTreeMap::new(),
        render::markdown::DEFAULT_LIMIT,
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn renderers_agree_on_one_scenario() {
    let (old, new) = scenario();
    let d = diff(&old, &new);
    insta::assert_snapshot!("scenario_text", text(&d));
    insta::assert_snapshot!("scenario_markdown", markdown(&d));
    let mut json = Vec::new();
    render::json::render(&d, &mut json).unwrap();
    insta::assert_snapshot!("scenario_json", String::from_utf8(json).unwrap());
}

#[test]
fn severity_orders_the_delta_and_gates_ci() {
    let (old, new) = scenario();
    let d = diff(&old, &new);
    assert_eq!((d.added, d.removed, d.updated), (2, 1, 2));
    let severities: Vec<Severity> = d.packages.iter().map(|p| p.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted);
    assert!(d.adds_risk());
    let foo = d.packages.iter().find(|p| p.name == "foo-sys").unwrap();
    assert!(foo.gained.contains("ffi"));
    assert!(
        foo.headlines
            .iter()
            .any(|h| h == "build script now compiles native code")
    );
    let serde = d.packages.iter().find(|p| p.name == "serde").unwrap();
    assert_eq!(serde.severity, Severity::None);
    // tempfile did not change at all: it is not in the delta.
    assert!(d.packages.iter().all(|p| p.name != "tempfile"));
}

#[test]
fn an_empty_delta_says_so_in_one_line() {
    let (old, _) = scenario();
    let d = diff(&old, &old);
    assert!(d.is_empty() && !d.adds_risk());
    assert_eq!(text(&d), "Dependency risk: no change.\n");
    assert_eq!(markdown(&d).lines().count(), 2);
}

#[test]
fn same_version_with_new_checksum_is_critical() {
    let old = Report::build(vec![pkg("serde", "1.0.0", &[], &[], &[])]);
    let mut tampered = pkg("serde", "1.0.0", &[], &[], &[]);
    tampered.checksum = Some("f".repeat(64));
    let new = Report::build(vec![tampered]);
    let d = diff(&old, &new);
    assert_eq!(d.packages[0].severity, Severity::Critical);
    assert!(d.adds_risk());
}

#[test]
fn a_new_test_fixture_is_shown_at_low_severity_and_does_not_gate() {
    let old = Report::build(vec![pkg("wasmish", "1.0.0", &[], &[], &[])]);
    let new = Report::build(vec![pkg(
        "wasmish",
        "1.1.0",
        &[],
        &[],
        &["tests/data/module.wasm"],
    )]);
    assert_eq!(new.summary.with_binaries, 0);
    let d = diff(&old, &new);
    let p = &d.packages[0];
    assert!(p.gained.is_empty(), "{:?}", p.gained);
    assert_eq!(p.severity, Severity::Low);
    assert_eq!(p.headlines, vec!["1 new binary test fixture(s)"]);
    assert!(!d.adds_risk());
    assert!(text(&d).contains("binary test fixture: tests/data/module.wasm"));
    assert!(markdown(&d).contains("- binary test fixture tests/data/module.wasm"));

    // beside a new shipped binary, the fixture is still told apart
    let both = Report::build(vec![pkg(
        "wasmish",
        "1.1.0",
        &[],
        &[],
        &["tests/data/module.wasm", "lib/helper.so"],
    )]);
    let d = diff(&old, &both);
    let p = &d.packages[0];
    assert_eq!(p.severity, Severity::High);
    assert!(p.gained.contains("binary"));
    assert!(
        p.headlines
            .contains(&"1 new binary test fixture(s)".to_string()),
        "{:?}",
        p.headlines
    );
    assert!(text(&d).contains("     binary: lib/helper.so"));
}

#[test]
fn a_binary_relabelled_as_a_fixture_is_no_new_file() {
    let mut old = Report::build(vec![pkg(
        "wasmish",
        "1.0.0",
        &[],
        &[],
        &["tests/data/module.wasm"],
    )]);
    // an older report, made before fixtures were told apart
    let row = old.packages.values_mut().next().unwrap();
    row.binaries[0].fixture = false;
    let new = Report::build(vec![pkg(
        "wasmish",
        "1.0.1",
        &[],
        &[],
        &["tests/data/module.wasm"],
    )]);
    let d = diff(&old, &new);
    let p = &d.packages[0];
    assert!(p.binaries_added.is_empty() && p.binaries_removed.is_empty());
    assert!(!d.adds_risk());
}

#[test]
fn a_bump_with_less_risk_does_not_gate() {
    let old = Report::build(vec![pkg("a", "1.0.0", &[(Kind::UnsafeBlock, 3)], &[], &[])]);
    let new = Report::build(vec![pkg("a", "1.0.1", &[(Kind::UnsafeBlock, 1)], &[], &[])]);
    let d = diff(&old, &new);
    assert_eq!(d.updated, 1);
    assert!(!d.adds_risk());
}

#[test]
fn hostile_strings_cannot_inject_markup_or_escapes() {
    let evil = "x<img src=x onerror=alert(1)>@team[a](b)|\u{1b}[31m\u{9b}2J\u{202e}\u{2066}";
    let old = Report::build(vec![]);
    let mut p = pkg(
        evil,
        "1.0.0",
        &[(Kind::IncludeBytes, 1)],
        &[],
        &["<script>.so"],
    );
    p.facts.files[0].findings[0].detail = Some("</details><script>alert(1)</script>".into());
    let new = Report::build(vec![p]);
    let d = diff(&old, &new);
    let md = markdown(&d);
    for bad in [
        "<img",
        "<script",
        "@team",
        "[a](b)",
        "\u{1b}",
        "</details><",
    ] {
        assert!(!md.contains(bad), "{bad:?} reached the markdown:\n{md}");
    }
    for c in ['\u{202e}', '\u{2066}', '\u{9b}'] {
        assert!(!md.contains(c), "{c:?} reached the markdown");
    }
    let t = text(&d);
    for c in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{2066}'] {
        assert!(!t.contains(c), "{c:?} reached the terminal: {t:?}");
    }
}

#[test]
fn markdown_is_cut_before_the_limit_with_a_note() {
    let old = Report::build(vec![]);
    let many: Vec<PackageInput> = (0..400)
        .map(|i| pkg(&format!("crate{i}"), "1.0.0", &[(Kind::Net, 1)], &[], &[]))
        .collect();
    let d = diff(&old, &Report::build(many));
    let mut out = Vec::new();
    render::markdown::render(&d, &BTreeMap::new(), 20_000, &mut out).unwrap();
    let md = String::from_utf8(out).unwrap();
    assert!(md.len() <= 20_000 + 400, "{} bytes", md.len());
    assert!(md.contains("left out"));
}

#[test]
fn policy_and_audit_marks_show_in_text_and_markdown() {
    let (old, new) = scenario();
    let mut d = diff(&old, &new);
    for p in &mut d.packages {
        match p.name.as_str() {
            "socket2" => p.violations = vec!["deny net: not granted".into()],
            "blobby" => p.violations = vec!["warn embed: not granted".into()],
            "serde" => p.audit = Some(
                "bump of an audited crate with no new risk (1.0.200 audited for safe-to-deploy)"
                    .into(),
            ),
            _ => {}
        }
    }
    insta::assert_snapshot!("marked_text", text(&d));
    insta::assert_snapshot!("marked_markdown", markdown(&d));
}

#[test]
fn settings_account_only_for_the_packages_they_can_explain() {
    use risk_report::model::{DepKind, Settings};
    let with = |inputs: Vec<PackageInput>, settings: Settings| {
        let mut r = Report::build(inputs);
        r.settings = settings;
        r
    };
    let mut dev_only = pkg("criterion", "0.5.0", &[(Kind::Fs, 1)], &[], &[]);
    dev_only.dep_kinds = [DepKind::Dev].into();
    let base = || vec![pkg("serde", "1.0.0", &[], &[], &[])];
    let everything = with(
        [base(), vec![dev_only.clone()]].concat(),
        Settings::default(),
    );

    // Narrower settings on the new side account for what is gone, never for what is new.
    let lean = Settings {
        exclude_dev: true,
        ..Settings::default()
    };
    let d = diff(
        &everything,
        &with(
            [
                base(),
                vec![pkg("evil", "1.0.0", &[(Kind::Net, 1)], &[], &[])],
            ]
            .concat(),
            lean.clone(),
        ),
    );
    let s = d.settings.clone().expect("settings differ");
    assert_eq!((s.unlisted_old, s.unlisted_new), (1, 0));
    assert_eq!(d.packages.len(), 1, "the new crate is listed: {d:#?}");
    assert!(d.adds_risk());
    assert_eq!(
        s.line(),
        "The reports were made with different settings (exclude-dev: off -> on). Not listed, as the settings account for them: 1 package only in the old report."
    );

    // A package that is not dev-only is listed as removed under exclude-dev.
    let d = diff(&everything, &with(vec![], lean));
    assert_eq!(d.packages.len(), 1);
    assert_eq!(d.packages[0].name, "serde");

    // Targets: only the side that names fewer platforms accounts for a missing package.
    let linux = Settings {
        targets: vec!["x86_64-unknown-linux-gnu".into()],
        ..Settings::default()
    };
    let d = diff(&everything, &with(base(), linux.clone()));
    assert_eq!(d.settings.as_ref().map(|s| s.unlisted_old), Some(1));
    assert!(d.packages.is_empty());
    let d = diff(&with(base(), linux), &everything);
    assert_eq!(d.settings.as_ref().map(|s| s.unlisted_new), Some(1));
    assert!(
        !d.adds_risk(),
        "the old report did not look at Windows crates"
    );

    // -p: a package reached from the other member only.
    let only_lib = Settings {
        packages: vec!["lib".into()],
        ..Settings::default()
    };
    let d = diff(&everything, &with(vec![], only_lib));
    assert_eq!(d.settings.as_ref().map(|s| s.unlisted_old), Some(2));

    // Same settings: no line, and the caps show in the line when they differ.
    assert!(diff(&everything, &everything).settings.is_none());
    let capped = Settings {
        max_entries: Some(10),
        ..Settings::default()
    };
    let d = diff(&everything, &with(base(), capped));
    assert!(
        d.settings
            .as_ref()
            .is_some_and(|s| s.changes == ["max-entries: default -> 10"]),
        "{d:#?}"
    );
    assert_eq!(d.removed, 1, "caps account for no missing package");
}

#[test]
fn the_same_version_is_changed_in_place_only_when_its_bytes_or_source_change() {
    use risk_report::diff::Change;
    use risk_report::model::DepKind;
    let old = Report::build(vec![pkg("glob", "0.3.1", &[(Kind::Fs, 2)], &[], &[])]);
    // Another analyzer finds one more call: same version, same checksum.
    let rescanned = Report::build(vec![pkg("glob", "0.3.1", &[(Kind::Fs, 3)], &[], &[])]);
    let d = diff(&old, &rescanned);
    assert!(matches!(d.packages[0].change, Change::SameVersion { .. }));
    assert_eq!((d.changed, d.same_version), (0, 1));
    assert!(
        d.headline().starts_with("Dependency risk: 1 re-analyzed."),
        "{}",
        d.headline()
    );
    assert!(!markdown(&d).contains("in place"), "{}", markdown(&d));
    assert_eq!(d.gate_line().as_deref(), Some("adds risk: glob +1 fs"));

    // The ripgrep case: a dev-dependency becomes a normal one.
    let mut dev = pkg("glob", "0.3.1", &[(Kind::Fs, 2)], &[], &[]);
    dev.dep_kinds = [DepKind::Dev].into();
    let d = diff(&Report::build(vec![dev]), &old);
    assert!(d.headline().starts_with("Dependency risk: 1 reached differently. New: now shipped (was dev-only), brings fs (glob 0.3.1)."), "{}", d.headline());
    assert_eq!(d.packages[0].severity, Severity::Medium);
    assert!(d.adds_risk());
    assert!(
        markdown(&d).contains("| glob 0.3.1 | same version, **now shipped** | fs | - | - |"),
        "{}",
        markdown(&d)
    );
}

#[test]
fn a_new_crate_with_unread_code_fails_the_gate_and_says_what_it_could_not_read() {
    use risk_report::facts::Parse;
    let mut p = pkg("fresh", "1.0.0", &[], &[], &[]);
    p.facts.files[0].parse = Parse::Fallback {
        error: "3:1: expected an item".into(),
        lexer: "plain".into(),
    };
    let d = diff(&Report::build(vec![]), &Report::build(vec![p]));
    assert_eq!(
        d.packages[0].headlines[0],
        "not fully analyzed: approximate src/lib.rs: 3:1: expected an item"
    );
    assert_eq!(
        d.gate_line().as_deref(),
        Some("adds risk: fresh not fully analyzed (1 approximate)")
    );
    // Without the unread file it is a plain new crate, listed but not gating.
    let d = diff(
        &Report::build(vec![]),
        &Report::build(vec![pkg("fresh", "1.0.0", &[], &[], &[])]),
    );
    assert!(!d.adds_risk(), "{d:#?}");
}

#[test]
fn other_rules_of_the_scanner_say_so_and_do_not_gate_unchanged_bytes() {
    let with_rules = |v: u32, fs: u32| {
        let mut r = Report::build(vec![
            pkg("glob", "0.3.1", &[(Kind::Fs, fs)], &[], &[]),
            pkg("fresh", "1.0.0", &[], &[], &[]),
        ]);
        r.rules_version = v;
        r
    };
    // the same bytes: one more finding, because the scanner changed
    let d = diff(&with_rules(4, 1), &with_rules(5, 2));
    assert_eq!(d.rules, Some((4, 5)));
    assert!(!d.adds_risk(), "{d:#?}");
    let shown = text(&d);
    assert!(
        shown.contains("different rules of the scanner (4 -> 5)"),
        "{shown}"
    );
    assert!(shown.contains("glob 0.3.1"), "still shown: {shown}");
    // an update still gates across rules
    let mut newer = Report::build(vec![
        pkg("glob", "0.3.2", &[(Kind::Fs, 1), (Kind::Net, 1)], &[], &[]),
        pkg("fresh", "1.0.0", &[], &[], &[]),
    ]);
    newer.rules_version = 5;
    assert!(diff(&with_rules(4, 1), &newer).adds_risk());
    // same rules: the same change gates
    assert!(diff(&with_rules(5, 1), &with_rules(5, 2)).adds_risk());
}
