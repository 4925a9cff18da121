//! The exports read from one scenario: SARIF validated against the SARIF 2.1.0 schema, the
//! CycloneDX SBOM's shape, and the dashboard's size and speed on a 1,000-package report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use risk_report::diff::diff;
use risk_report::facts::{BuildKind, Kind, Parse};
use risk_report::model::{DepKind, PackageInput, Report};
use risk_report::render::html::{self, Dashboard, Snapshot};
use risk_report::render::sarif::{self, LockLines, Target};
use risk_report::sbom;
use serde_json::Value;

mod common;

/// Where `.ci/run` puts the published SARIF 2.1.0 schema (from the npm package
/// `@microsoft/jest-sarif`, which ships it); `SARIF_SCHEMA` overrides. The schema is not kept
/// in this repository: it is not our text.
fn sarif_schema() -> Option<String> {
    let path = std::env::var_os("SARIF_SCHEMA").map(std::path::PathBuf::from).unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/ci-tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
    });
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!(
                "the SARIF schema is missing in CI ({}: {e}); .ci/run installs it",
                path.display()
            )
        }
        Err(_) => {
            // On the real stderr: `eprintln!` is captured, and plain `cargo test` would hide
            // that this validation did not run.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED SARIF schema validation ({} is missing; `bash .ci/run` installs it)",
                path.display()
            );
            None
        }
    }
}

fn pkg(name: &str, version: &str, findings: &[(Kind, u32)], build: &[BuildKind]) -> PackageInput {
    common::pkg(name, version, findings, build, &[])
}

fn scenario() -> (Report, Report) {
    let old = Report::build(vec![
        pkg(
            "foo-sys",
            "0.3.2",
            &[(Kind::UnsafeBlock, 2)],
            &[BuildKind::Probe],
        ),
        pkg("leftpad", "0.1.0", &[], &[]),
        pkg("tempfile", "3.1.0", &[(Kind::Fs, 3)], &[]),
    ]);
    let new = Report::build(vec![
        pkg(
            "foo-sys",
            "0.4.0",
            &[(Kind::UnsafeBlock, 5), (Kind::Ffi, 2)],
            &[BuildKind::Probe, BuildKind::Native],
        ),
        pkg(
            "socket2",
            "0.6.1",
            &[(Kind::Net, 4), (Kind::UnsafeBlock, 9)],
            &[],
        ),
        pkg("blobby-build", "1.0.0", &[(Kind::IncludeBytes, 1)], &[]),
        pkg("quiet", "1.0.0", &[], &[]),
        pkg("tempfile", "3.1.0", &[(Kind::Fs, 3)], &[]),
    ]);
    (old, new)
}

/// A dev-dependency that starts to ship, a file that stops parsing, hidden text.
fn unknowns() -> (Report, Report) {
    let mut dev = pkg("devvy", "1.0.0", &[(Kind::Fs, 1)], &[]);
    dev.dep_kinds = [DepKind::Dev].into();
    let old = Report::build(vec![
        dev,
        pkg("hidey", "1.0.0", &[], &[]),
        pkg("tricky", "1.0.0", &[], &[]),
    ]);
    let mut hidden = pkg("hidey", "1.0.1", &[], &[]);
    hidden.facts.files[0].parse = Parse::Fallback {
        error: "4:1: cannot parse [x](https://e.vil)\u{1b}".into(),
        lexer: "plain".into(),
    };
    let new = Report::build(vec![
        pkg("devvy", "1.0.0", &[(Kind::Fs, 1)], &[]),
        hidden,
        pkg("tricky", "1.0.1", &[(Kind::BidiControl, 1)], &[]),
    ]);
    (old, new)
}

const LOCK: &str = r#"version = 4

[[package]]
name = "blobby-build"
version = "1.0.0"

[[package]]
name = "foo-sys"
version = "0.4.0"

[[package]]
name = "quiet"
version = "1.0.0"

[[package]]
name = "socket2"
version = "0.6.1"
"#;

fn sarif_of(old: &Report, new: &Report) -> Value {
    let d = diff(old, new);
    let results = sarif::results_from_diff(&d, &|_, _, kinds: &[Kind]| {
        if kinds.contains(&Kind::Net) {
            vec!["src/net.rs:12".to_owned()]
        } else {
            Vec::new()
        }
    });
    let lines = LockLines::parse(LOCK);
    let target = Target {
        tool_version: "0.1.0",
        lockfile_uri: "Cargo.lock",
        lock_lines: &lines,
    };
    let mut out = Vec::new();
    sarif::render(&results, &target, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let Some(text) = sarif_schema() else {
        return;
    };
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The language-tag pattern of the published schema is not a valid regex outside
    // JavaScript: its stray `]` is a literal in ECMAScript, so escape it to mean the same.
    let fixed = escape_stray_bracket(&mut schema);
    assert_eq!(fixed, 2, "the schema's known pattern quirk moved");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
}

fn escape_stray_bracket(v: &mut Value) -> usize {
    const QUIRK: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        Value::Object(map) => {
            let mut n = 0;
            for (k, child) in map.iter_mut() {
                if k == "pattern" && child == QUIRK {
                    *child = Value::from(QUIRK.replace("}]?", "}\\]?"));
                    n += 1;
                } else {
                    n += escape_stray_bracket(child);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_of_a_delta_validates_and_points_into_the_lockfile() {
    let (old, new) = scenario();
    let log = sarif_of(&old, &new);
    assert_valid_sarif(&log);

    let run = &log["runs"][0];
    let rule_ids: BTreeSet<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    let by_rule = |rule: &str, package: &str| {
        results.iter().find(|r| {
            r["ruleId"] == rule
                && r["locations"][0]["logicalLocations"][0]["name"].as_str() == Some(package)
        })
    };
    for r in results {
        assert!(rule_ids.contains(r["ruleId"].as_str().unwrap()), "{r}");
    }
    let net = by_rule("net", "socket2").expect("a net result for socket2");
    assert_eq!(net["level"], "error");
    let loc = &net["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "Cargo.lock");
    assert_eq!(loc["region"]["startLine"], 16);
    assert!(
        net["message"]["text"]
            .as_str()
            .unwrap()
            .contains("src/net.rs:12")
    );
    assert!(by_rule("ffi", "foo-sys").is_some());
    assert!(by_rule("build-script", "foo-sys").is_some(), "native build");
    assert!(by_rule("unsafe-block", "foo-sys").is_some(), "+3 unsafe");
    assert!(by_rule("embed", "blobby-build").is_some());
    assert!(by_rule("new-dependency", "quiet").is_some());
    assert!(
        !results
            .iter()
            .any(|r| r["message"]["text"].as_str().unwrap().contains("leftpad"))
    );

    // Unknown is risk, and the capability table decides the levels.
    let (old, new) = unknowns();
    let log = sarif_of(&old, &new);
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let find = |rule: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule} result in {results:#?}"))
    };
    let shipped = find("now-shipped");
    assert_eq!(shipped["level"], "warning", "fs is of medium severity");
    assert_eq!(
        shipped["message"]["text"],
        "devvy 1.0.0: now shipped (was dev-only), brings fs"
    );
    let lost = find("coverage-lost");
    assert_eq!(lost["level"], "error");
    assert_eq!(
        lost["message"]["text"],
        "hidey 1.0.0 -> 1.0.1: the scanner can no longer see part of it: approximate src/lib.rs: 4:1: cannot parse \\[x\\](https://e.vil)U+001B"
    );
    assert_eq!(find("hidden-text")["level"], "error", "as in the delta");

    let empty = sarif_of(&new, &new);
    assert_valid_sarif(&empty);
    assert_eq!(empty["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn the_sbom_carries_pins_scope_and_risk_properties() {
    let (_, new) = scenario();
    let graph = sbom::Graph {
        name: "ws".into(),
        members: vec![("app".into(), "0.1.0".into())],
        edges: BTreeMap::from([(
            "app@0.1.0".to_owned(),
            BTreeSet::from(["socket2@0.6.1".to_owned(), "foo-sys@0.4.0".to_owned()]),
        )]),
        applications: BTreeSet::new(),
        licenses: BTreeMap::from([
            (
                "socket2@0.6.1".to_owned(),
                sbom::License::Expression("MIT/Apache-2.0".into()),
            ),
            (
                "foo-sys@0.4.0".to_owned(),
                sbom::License::File("LICENSE.txt".into()),
            ),
            (
                "app@0.1.0".to_owned(),
                sbom::License::Expression("MIT".into()),
            ),
        ]),
    };
    let bom = sbom::cyclonedx(&new, &graph, "0.1.0");
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["component"]["bom-ref"], "app@0.1.0");
    // A member with no binary target is a library; licenses come from the manifests.
    assert_eq!(bom["metadata"]["component"]["type"], "library");
    assert_eq!(
        bom["metadata"]["component"]["licenses"][0]["expression"],
        "MIT"
    );
    let by_name = |n: &str| {
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_name("socket2")["licenses"][0]["expression"],
        "MIT OR Apache-2.0"
    );
    assert_eq!(
        by_name("foo-sys")["licenses"][0]["license"]["name"],
        "LicenseRef-file: LICENSE.txt"
    );
    assert!(by_name("tempfile").get("licenses").is_none());
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), 5);
    let socket2 = components.iter().find(|c| c["name"] == "socket2").unwrap();
    assert_eq!(socket2["purl"], "pkg:cargo/socket2@0.6.1");
    assert_eq!(socket2["scope"], "required");
    assert_eq!(socket2["hashes"][0]["alg"], "SHA-256");
    let props: Vec<(String, String)> = socket2["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        props
            .iter()
            .all(|(n, _)| n.starts_with("cargo-risk-report:"))
    );
    assert!(props.contains(&("cargo-risk-report:capability".into(), "net".into())));
    assert!(props.contains(&("cargo-risk-report:shipped:unsafe-block".into(), "9".into())));
    let build_only = components
        .iter()
        .find(|c| c["name"] == "blobby-build")
        .unwrap();
    assert_eq!(build_only["scope"], "optional");
    let app_deps = bom["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "app@0.1.0")
        .unwrap();
    assert_eq!(
        app_deps["dependsOn"],
        serde_json::json!(["foo-sys@0.4.0", "socket2@0.6.1"])
    );
    // The SBOM's own pins are the report's: verifying a report against its SBOM finds nothing.
    let pins = sbom::pins_of_sbom(&bom).unwrap();
    assert!(sbom::compare(&pins, &sbom::pins_of_report(&new)).is_empty());
}

#[test]
fn the_dashboard_of_a_thousand_packages_is_small() {
    let report = Report::build(testkit::packages::spread(1000, 0));
    let d = Dashboard {
        title: "synthetic".into(),
        generator: "test".into(),
        snapshots: vec![Snapshot {
            label: "r".into(),
            detail: "r".into(),
            report: &report,
        }],
        paths: BTreeMap::new(),
    };
    let mut out = Vec::new();
    html::render(&d, &mut out).unwrap();
    assert!(out.len() < 2_000_000, "{} bytes", out.len());
    let page = String::from_utf8(out).unwrap();
    assert_eq!(page.matches("\"key\":\"crate-").count(), 1000);
}
