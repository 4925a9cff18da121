//! End-to-end tests of the real binary on cargo projects made at test time, whose dependencies
//! come from a local registry of tiny crates packed here. No network, no `~/.cargo`: every
//! child process gets a private `CARGO_HOME`.

mod support;

use std::path::PathBuf;
use std::sync::OnceLock;

use support::report::{Row, rows_from_json, rows_from_toml};
use support::{LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, write};

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
struct Graph {
    root: PathBuf,
    ws: PathBuf,
    home: PathBuf,
}

fn graph() -> TestResult<&'static Graph> {
    static FIXTURE: OnceLock<Result<Graph, String>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| make_graph().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("fixture: {e}").into())
}

fn make_graph() -> TestResult<Graph> {
    let root = fresh_dir("graph")?;
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
            .starts_with("alpha 1.0.0 (crates.io, sha256 verified)\n"),
        "{}",
        out.stdout
    );
    let out = tool(&g.ws, &g.home, &["show", "localdep@0.3.0", "--offline"])?.ok()?;
    assert!(
        out.stdout
            .starts_with("localdep 0.3.0 (path ../localdep, unverified)\n"),
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

/// One crate in its own registry, for the tests that break it.
#[test]
fn tampered_and_missing_tarballs_are_refused() -> TestResult {
    let root = fresh_dir("tamper")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    let crate_file = reg.publish(&krate("victim", "1.0.0"))?;
    let good = std::fs::read(&crate_file)?;
    let p = root.join("p");
    write(
        &p.join("Cargo.toml"),
        &manifest(Some(("p", "0.1.0")), &[dep("victim")], "\n[workspace]\n"),
    )?;
    write(&p.join("src/lib.rs"), "")?;
    write(&p.join(".cargo/config.toml"), &reg.source_replacement())?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    tool(&p, &home, &["--offline", "-q"])?.ok()?;
    let report = p.join("risk-report.toml");
    let before = std::fs::read(&report)?;

    // Same name and version, other content: what a poisoned cache looks like. Cargo's own
    // unpacked copy is already there, so only the tarball check can catch it.
    let evil = support::pack(
        "victim",
        "1.0.0",
        &[
            ("Cargo.toml", manifest(Some(("victim", "1.0.0")), &[], "")),
            (
                "src/lib.rs",
                "pub fn f() { std::process::Command::new(\"sh\"); }\n".to_owned(),
            ),
        ],
    )?;
    std::fs::write(&crate_file, &evil)?;
    let out = tool(&p, &home, &["--offline", "-q"])?.failed()?;
    let msg = &out.stderr;
    assert!(
        msg.contains("checksum mismatch") && msg.contains("victim 1.0.0"),
        "{msg}"
    );
    assert!(
        msg.contains(&support::sha256_hex(&good)),
        "pinned digest in: {msg}"
    );
    assert!(
        msg.contains(&support::sha256_hex(&evil)),
        "actual digest in: {msg}"
    );
    assert!(
        msg.contains(&crate_file.to_string_lossy().into_owned()),
        "file in: {msg}"
    );
    assert_eq!(
        std::fs::read(&report)?,
        before,
        "the previous report is untouched"
    );

    let out = tool(&p, &home, &["show", "victim", "--offline"])?.failed()?;
    assert!(
        out.stderr.contains("checksum mismatch"),
        "show verifies too: {}",
        out.stderr
    );

    // Gone altogether: cargo itself wants it back (it needs the manifests), so the message
    // says what to run.
    std::fs::remove_file(&crate_file)?;
    let out = tool(&p, &home, &["--offline", "-q"])?.failed()?;
    assert!(out.stderr.contains("victim v1.0.0"), "{}", out.stderr);
    assert!(
        out.stderr.contains("Run `cargo fetch` with network access"),
        "{}",
        out.stderr
    );
    let out = tool(&p, &home, &["-q"])?.failed()?;
    assert!(
        out.stderr.contains("then run `cargo fetch`"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read(&report)?,
        before,
        "the previous report is untouched"
    );
    Ok(())
}

/// The usual case: a remote registry whose tarballs cargo keeps in
/// `$CARGO_HOME/registry/cache/<registry>/`. Here the "remote" is a git index over `file://`.
#[test]
fn registry_tarballs_are_found_in_the_cargo_cache_and_verified() -> TestResult {
    let root = fresh_dir("cache")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("cached", "1.2.3"))?;
    let url = reg.git_index()?;
    let p = root.join("p");
    write(
        &p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[],
            "\n[dependencies]\ncached = { version = \"1\", registry = \"fixture\" }\n\n[workspace]\n",
        ),
    )?;
    write(&p.join("src/lib.rs"), "")?;
    write(
        &p.join(".cargo/config.toml"),
        &format!("[registries.fixture]\nindex = {url:?}\n"),
    )?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile"])?.ok()?;

    // Not offline: `cargo metadata` downloads the tarball into the cache first.
    let out = tool(&p, &home, &["--format", "json"])?.ok()?;
    let rows = rows_from_json(&out.stdout)?;
    let row = rows.get("cached@1.2.3").ok_or("cached@1.2.3 missing")?;
    assert_eq!(
        (row.source_kind.as_str(), row.source_value.as_str()),
        ("registry", format!("registry+{url}").as_str())
    );
    assert!(row.checksum_verified);

    let cache = std::fs::read_dir(home.join("registry/cache"))?
        .next()
        .ok_or("no cache folder")??
        .path()
        .join("cached-1.2.3.crate");
    std::fs::write(&cache, b"not the pinned bytes")?;
    let out = tool(&p, &home, &["--offline", "-q"])?.failed()?;
    assert!(out.stderr.contains("cached 1.2.3"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&cache.to_string_lossy().into_owned()),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&support::sha256_hex(b"not the pinned bytes")),
        "{}",
        out.stderr
    );
    Ok(())
}

/// Source replacement by a `cargo vendor` directory: no tarball exists, the vendored folder
/// is read and recorded as unverified.
#[test]
fn vendored_sources_are_scanned_from_their_directory() -> TestResult {
    let root = fresh_dir("vendor")?;
    let p = root.join("p");
    let lib = "pub fn v() {}\n";
    let toml = manifest(Some(("vendored", "2.0.0")), &[], "");
    let tarball = support::pack(
        "vendored",
        "2.0.0",
        &[("Cargo.toml", toml.clone()), ("src/lib.rs", lib.to_owned())],
    )?;
    let dir = p.join("vendor/vendored");
    write(&dir.join("Cargo.toml"), &toml)?;
    write(&dir.join("src/lib.rs"), lib)?;
    let checksums = serde_json::json!({
        "files": {
            "Cargo.toml": support::sha256_hex(toml.as_bytes()),
            "src/lib.rs": support::sha256_hex(lib.as_bytes()),
        },
        "package": support::sha256_hex(&tarball),
    });
    write(&dir.join(".cargo-checksum.json"), &checksums.to_string())?;
    write(
        &p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[support::Dep {
                req: "2",
                ..dep("vendored")
            }],
            "\n[workspace]\n",
        ),
    )?;
    write(&p.join("src/lib.rs"), "")?;
    write(
        &p.join(".cargo/config.toml"),
        "[source.crates-io]\nreplace-with = \"vendored-sources\"\n\n[source.vendored-sources]\ndirectory = \"vendor\"\n",
    )?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    let out = tool(&p, &home, &["--offline", "--format", "json"])?.ok()?;
    let rows = rows_from_json(&out.stdout)?;
    let row = rows
        .get("vendored@2.0.0")
        .ok_or("vendored package missing")?;
    assert_eq!(row.source_kind, "crates-io");
    assert!(
        !row.checksum_verified,
        "a directory is never a verified tarball"
    );
    assert_eq!(row.dep_kinds, ["normal"]);
    Ok(())
}

#[test]
fn outside_a_cargo_project_says_so() -> TestResult {
    // A folder with no Cargo.toml above it: not under this repository.
    let empty = tempfile::tempdir()?;
    let home = empty.path().join("home");
    let out = tool(empty.path(), &home, &[])?.failed()?;
    assert!(
        out.stderr.contains("is not a Cargo project"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--manifest-path"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&empty.path().display().to_string()),
        "{}",
        out.stderr
    );

    let missing = empty.path().join("nope/Cargo.toml");
    let arg = missing.to_string_lossy().into_owned();
    let out = tool(empty.path(), &home, &["--manifest-path", &arg])?.failed()?;
    assert!(
        out.stderr
            .contains(&format!("{arg} is not a Cargo project")),
        "{}",
        out.stderr
    );
    Ok(())
}

#[test]
fn locked_without_a_lockfile_says_what_to_do() -> TestResult {
    let root = fresh_dir("locked")?;
    write(
        &root.join("Cargo.toml"),
        &manifest(Some(("nolock", "0.1.0")), &[], "\n[workspace]\n"),
    )?;
    write(&root.join("src/lib.rs"), "")?;
    let out = tool(&root, &root.join("home"), &["--locked", "--offline"])?.failed()?;
    assert!(
        out.stderr.contains("Cargo.lock is missing or out of date"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("cargo generate-lockfile"),
        "{}",
        out.stderr
    );
    assert!(
        !root.join("Cargo.lock").exists(),
        "--locked never writes a lockfile"
    );
    Ok(())
}

#[test]
fn bad_arguments_exit_2_and_help_exits_0() -> TestResult {
    let dir = std::env::temp_dir();
    let out = tool(&dir, &dir, &["--color", "sometimes"])?.failed()?;
    assert!(out.stderr.contains("sometimes"), "{}", out.stderr);
    let out = tool(&dir, &dir, &["risk-report", "--help"])?.ok()?;
    assert!(out.stdout.contains("cargo risk-report"), "{}", out.stdout);
    Ok(())
}
