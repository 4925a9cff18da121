//! One workspace fixture, shared by the tests that only read it.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::report::{Row, rows_from_json, rows_from_toml};
use crate::support::{
    LocalRegistry, TestResult, cargo, dep, krate, manifest, shared_dir, tool, write,
};

/// A virtual-manifest workspace with two members, reaching registry crates by every kind of
/// edge, a platform-specific dependency and a path dependency outside the workspace:
///
/// ```text
/// app (member) -> alpha            normal   -> shared normal, -> beta build
///              -> gamma            build    -> delta normal
///              -> epsilon          dev      -> zeta normal
///              -> shared           dev
///              -> winonly          normal, cfg(windows) only
///              -> localdep         normal, path ../../localdep
/// lib2 (member), no dependencies
/// ```
pub struct Graph {
    pub root: PathBuf,
    pub ws: PathBuf,
    pub home: PathBuf,
}

pub fn graph() -> TestResult<&'static Graph> {
    static FIXTURE: OnceLock<Result<Graph, String>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| make_graph().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("fixture: {e}").into())
}

fn make_graph() -> TestResult<Graph> {
    let root = shared_dir("graph")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    for k in [
        krate("beta", "1.0.0"),
        krate("shared", "1.0.0"),
        krate("alpha", "1.0.0")
            .deps(vec![dep("shared"), dep("beta").build()])
            .file("build.rs", "fn main() {}\n")
            .file(
                "src/lib.rs",
                "pub fn f() -> u8 {\n    unsafe { *(&7u8 as *const u8) }\n}\n",
            ),
        krate("delta", "1.0.0"),
        krate("gamma", "1.0.0").deps(vec![dep("delta")]),
        krate("zeta", "1.0.0"),
        krate("epsilon", "1.0.0").deps(vec![dep("zeta")]),
        krate("winonly", "1.0.0"),
    ] {
        reg.publish(&k)?;
    }
    let ws = root.join("ws");
    write(
        &ws.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\", \"lib2\"]\nresolver = \"2\"\n",
    )?;
    write(
        &ws.join("app/Cargo.toml"),
        &manifest(
            Some(("app", "0.1.0")),
            &[
                dep("alpha"),
                dep("gamma").build(),
                dep("epsilon").dev(),
                dep("shared").dev(),
                dep("winonly").target("cfg(windows)"),
            ],
            "\n[dependencies.localdep]\npath = \"../../localdep\"\n",
        ),
    )?;
    write(&ws.join("app/src/lib.rs"), "")?;
    write(
        &ws.join("lib2/Cargo.toml"),
        &manifest(Some(("lib2", "0.1.0")), &[], ""),
    )?;
    write(&ws.join("lib2/src/lib.rs"), "")?;
    write(
        &root.join("localdep/Cargo.toml"),
        &manifest(Some(("localdep", "0.3.0")), &[], ""),
    )?;
    write(&root.join("localdep/src/lib.rs"), "pub fn g() {}\n")?;
    // Source replacement in CARGO_HOME's config rather than the project's: cargo reads
    // project config from the current directory, and one test runs from outside it.
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    cargo(&ws, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok(Graph { root, ws, home })
}

fn kinds(row: &Row) -> Vec<&str> {
    row.dep_kinds.iter().map(String::as_str).collect()
}

#[test]
fn report_lists_every_dependency_with_its_source_and_dependency_kinds() -> TestResult {
    let g = graph()?;
    // Invoked the way cargo runs a subcommand: `risk-report` as the first argument.
    let out = tool(&g.ws, &g.home, &["risk-report", "--offline", "-q"])?.ok()?;
    assert_eq!(out.stderr, "", "--quiet prints nothing");
    let text = std::fs::read_to_string(g.ws.join("risk-report.toml"))?;
    assert!(
        !text.contains(g.root.to_string_lossy().as_ref()),
        "no absolute paths in the report:\n{text}"
    );
    let rows = rows_from_toml(&text)?;
    let keys: Vec<&str> = rows.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "alpha@1.0.0",
            "beta@1.0.0",
            "delta@1.0.0",
            "epsilon@1.0.0",
            "gamma@1.0.0",
            "localdep@0.3.0",
            "shared@1.0.0",
            "winonly@1.0.0",
            "zeta@1.0.0",
        ],
        "every package of every platform, members left out:\n{text}"
    );
    let expect = [
        ("alpha@1.0.0", vec!["normal"]),
        ("beta@1.0.0", vec!["build"]),
        ("delta@1.0.0", vec!["build"]),
        ("epsilon@1.0.0", vec!["dev"]),
        ("gamma@1.0.0", vec!["build"]),
        ("localdep@0.3.0", vec!["normal"]),
        ("shared@1.0.0", vec!["normal", "dev"]),
        ("winonly@1.0.0", vec!["normal"]),
        ("zeta@1.0.0", vec!["dev"]),
    ];
    for (key, want) in expect {
        assert_eq!(kinds(&rows[key]), want, "{key}");
        // Only `app` has dependencies.
        let from: Vec<&str> = rows[key].reached_from.keys().map(String::as_str).collect();
        assert_eq!(from, ["app"], "{key}");
        assert_eq!(rows[key].reached_from["app"], want, "{key}");
    }
    for (key, row) in &rows {
        if key.starts_with("localdep") {
            assert_eq!(
                (row.source_kind.as_str(), row.source_value.as_str()),
                ("path", "../localdep")
            );
            assert!(!row.checksum_verified && row.checksum.is_none(), "{row:?}");
        } else {
            assert_eq!(
                row.source_kind, "crates-io",
                "{key}: source replacement keeps the source"
            );
            assert!(
                row.checksum_verified,
                "{key} was verified against Cargo.lock"
            );
            assert_eq!(row.checksum.as_ref().map(String::len), Some(64), "{key}");
        }
    }
    Ok(())
}

#[test]
fn one_thread_many_threads_and_reruns_give_identical_bytes() -> TestResult {
    let g = graph()?;
    let out = g.root.join("out");
    std::fs::create_dir_all(&out)?;
    let mut reports = Vec::new();
    for (jobs, name) in [("1", "a.toml"), ("4", "b.toml"), ("4", "c.toml")] {
        let path = out.join(name);
        let path_arg = path.to_string_lossy().into_owned();
        tool(
            &g.ws,
            &g.home,
            &["--offline", "-j", jobs, "--output", &path_arg],
        )?
        .ok()?;
        reports.push(std::fs::read(&path)?);
    }
    assert!(!reports[0].is_empty());
    assert_eq!(reports[0], reports[1], "-j1 and -j4 differ");
    assert_eq!(reports[1], reports[2], "two runs differ");
    Ok(())
}

#[test]
fn members_are_reported_on_request_and_json_goes_to_stdout() -> TestResult {
    let g = graph()?;
    let manifest = g.ws.join("Cargo.toml").to_string_lossy().into_owned();
    // From outside the workspace, through --manifest-path.
    let out = tool(
        &g.root,
        &g.home,
        &[
            "--manifest-path",
            &manifest,
            "--offline",
            "--format",
            "json",
            "--include-members",
        ],
    )?
    .ok()?;
    let rows = rows_from_json(&out.stdout)?;
    for member in ["app@0.1.0", "lib2@0.1.0"] {
        let row = rows
            .get(member)
            .ok_or_else(|| format!("{member} missing"))?;
        assert!(row.workspace_member, "{member}");
        assert_eq!(row.source_kind, "path");
    }
    assert_eq!(rows["app@0.1.0"].source_value, "app");
    assert!(
        kinds(&rows["lib2@0.1.0"]).is_empty(),
        "nothing depends on lib2"
    );
    assert!(!rows["alpha@1.0.0"].workspace_member);
    assert_eq!(rows.len(), 11);
    Ok(())
}

#[test]
fn target_restricts_the_graph_to_one_platform() -> TestResult {
    let g = graph()?;
    let path = g.root.join("linux.toml");
    let path_arg = path.to_string_lossy().into_owned();
    let triple = "x86_64-unknown-linux-gnu";
    tool(
        &g.ws,
        &g.home,
        &["--offline", "-q", "--target", triple, "-o", &path_arg],
    )?
    .ok()?;
    let rows = rows_from_toml(&std::fs::read_to_string(&path)?)?;
    assert!(
        !rows.contains_key("winonly@1.0.0"),
        "cfg(windows) dependency left out"
    );
    assert!(rows.contains_key("alpha@1.0.0"));
    Ok(())
}

#[test]
fn summary_names_the_report_path() -> TestResult {
    let g = graph()?;
    let path = g.root.join("summary.toml");
    let path_arg = path.to_string_lossy().into_owned();
    let out = tool(&g.ws, &g.home, &["--offline", "-o", &path_arg])?.ok()?;
    assert!(out.stderr.contains("Scanned 9 packages"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("Report written to {path_arg}")),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
    Ok(())
}

#[test]
fn show_prints_one_verified_package() -> TestResult {
    let g = graph()?;
    let out = tool(
        &g.ws,
        &g.home,
        &["risk-report", "show", "alpha", "--offline"],
    )?
    .ok()?;
    assert!(
        out.stdout
            .starts_with("alpha 1.0.0 (crates-io, sha256 verified)\n"),
        "{}",
        out.stdout
    );
    let out = tool(&g.ws, &g.home, &["show", "localdep@0.3.0", "--offline"])?.ok()?;
    assert!(
        out.stdout
            .starts_with("localdep 0.3.0 (path+../localdep, unverified)\n"),
        "{}",
        out.stdout
    );

    let out = tool(&g.ws, &g.home, &["show", "alhpa", "--offline"])?.failed()?;
    assert!(out.stderr.contains("no package `alhpa`"), "{}", out.stderr);
    let out = tool(&g.ws, &g.home, &["show", "alpha@9.9.9", "--offline"])?.failed()?;
    assert!(
        out.stderr.contains("alpha@1.0.0"),
        "suggests the version there is: {}",
        out.stderr
    );
    Ok(())
}

#[test]
fn an_unwritable_output_path_is_an_error() -> TestResult {
    let g = graph()?;
    let bad = g.root.join("no-such-dir/report.toml");
    let bad_arg = bad.to_string_lossy().into_owned();
    let out = tool(&g.ws, &g.home, &["--offline", "-q", "-o", &bad_arg])?.failed()?;
    assert!(
        out.stderr.contains("cannot write the report to"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&bad_arg), "{}", out.stderr);
    Ok(())
}
