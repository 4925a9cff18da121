//! The report of a project whose dependencies are corpus crates, reviewed by eye and pinned
//! as a named snapshot: the whole pipeline (registry, verification, scan, report) in one file.

use crate::support::{LocalRegistry, TestResult, cargo, fresh_dir, manifest, tool, write};

/// A cross-section of the corpus: each risk family once, plus a file that does not parse.
const CASES: &[&str] = &[
    "broken-syntax",
    "build-native",
    "build-probe",
    "clean",
    "embedded",
    "net-api",
    "proc-macro",
    "test-split",
    "unsafe-code",
];

#[test]
fn report_of_a_corpus_project() -> TestResult {
    let root = fresh_dir("snapshot")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    let mut deps = String::from("\n[workspace]\n\n[dependencies]\n");
    for case in CASES {
        let files = testkit::read_tree(&testkit::corpus_dir().join(case), &["expected.txt"]);
        let (name, version) = testkit::name_version(&files);
        let (_, gz) = testkit::pack_crate(&files);
        reg.publish_packed(&name, &version, &gz, &[])?;
        deps.push_str(&format!("{name} = \"={version}\"\n"));
    }
    let dir = root.join("app");
    write(
        &dir.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), &[], &deps),
    )?;
    write(&dir.join("src/lib.rs"), "")?;
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    cargo(&dir, &home, &["generate-lockfile", "--offline"])?.ok()?;

    tool(&dir, &home, &["--offline", "-q"])?.ok()?;
    let report = std::fs::read_to_string(dir.join("risk-report.toml"))?;
    insta::assert_snapshot!("corpus_project_report", report);
    Ok(())
}
