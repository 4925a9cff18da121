//! The risk delta through the real binary: `update` against a local registry that gains a
//! newer version, `diff` of two reports and of a report committed in git, exit codes, and the
//! delta a plain run prints against the report it replaces.

use std::path::{Path, PathBuf};

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, git_repo, krate, manifest, tool, write,
};

/// `growing` 1.0.0 does nothing risky; 1.1.0 opens sockets, uses unsafe code and gains a
/// native build script. `shrinking` goes the other way. `steady` 1.0.1 changes nothing risky.
fn registry(root: &Path) -> TestResult<LocalRegistry> {
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("cc", "1.0.0"))?;
    reg.publish(&krate("growing", "1.0.0"))?;
    reg.publish(&krate("shrinking", "1.0.0").file(
        "src/lib.rs",
        "pub fn get(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n",
    ))?;
    reg.publish(&krate("steady", "1.0.0"))?;
    Ok(reg)
}

fn publish_new_versions(reg: &LocalRegistry) -> TestResult {
    reg.publish(
        &krate("growing", "1.1.0")
            .deps(vec![dep("cc").build()])
            .file("build.rs", "fn main() {\n    cc::Build::new().file(\"x.c\").compile(\"x\");\n}\n")
            .file(
                "src/lib.rs",
                "use std::net::TcpStream;\n\npub fn call(addr: &str) -> bool {\n    let ok = TcpStream::connect(addr).is_ok();\n    ok && unsafe { std::ptr::read(&1u8) } == 1\n}\n",
            ),
    )?;
    reg.publish(&krate("shrinking", "1.1.0"))?;
    reg.publish(&krate("steady", "1.0.1").file("src/lib.rs", "pub fn f() -> u8 { 1 }\n"))?;
    Ok(())
}

struct Project {
    dir: PathBuf,
    home: PathBuf,
    reg: LocalRegistry,
}

fn project(name: &str) -> TestResult<Project> {
    let root = fresh_dir(name)?;
    let reg = registry(&root)?;
    let dir = root.join("app");
    write(
        &dir.join("Cargo.toml"),
        &manifest(
            Some(("app", "0.1.0")),
            &[dep("growing"), dep("shrinking"), dep("steady")],
            // Its own workspace: temp projects live under this repository's target dir.
            "\n[workspace]\n",
        ),
    )?;
    write(&dir.join("src/lib.rs"), "")?;
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    cargo(&dir, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok(Project { dir, home, reg })
}

#[test]
fn update_reports_the_delta_and_rewrites_lockfile_and_report_together() -> TestResult {
    let p = project("delta-update")?;
    tool(&p.dir, &p.home, &["--offline", "-q"])?.ok()?;
    let before = std::fs::read_to_string(p.dir.join("risk-report.toml"))?;
    assert!(before.contains("growing@1.0.0"));

    publish_new_versions(&p.reg)?;
    let out = tool(&p.dir, &p.home, &["update", "--offline"])?.ok()?;
    let err = &out.stderr;
    assert!(
        err.contains("Dependency risk: +1 crate, 3 updated. New: now uses the network (growing 1.0.0 -> 1.1.0)."),
        "the one-line total comes first:\n{err}"
    );
    assert!(
        err.contains("growing 1.0.0 -> 1.1.0 (updated): now uses the network"),
        "{err}"
    );
    assert!(
        err.contains("build script now compiles native code"),
        "{err}"
    );
    assert!(
        err.contains("steady 1.0.0 -> 1.0.1 (updated): no risk change"),
        "{err}"
    );
    // The new graph's tarball (cc, a build dependency) came in too.
    assert!(err.contains("cc 1.0.0 (added)"), "{err}");

    let lock = std::fs::read_to_string(p.dir.join("Cargo.lock"))?;
    assert!(
        lock.contains("name = \"growing\"\nversion = \"1.1.0\""),
        "{lock}"
    );
    let after = std::fs::read_to_string(p.dir.join("risk-report.toml"))?;
    assert!(after.contains("growing@1.1.0") && !after.contains("growing@1.0.0"));

    // A plain run now has nothing to say but that nothing changed.
    let again = tool(&p.dir, &p.home, &["--offline"])?.ok()?;
    assert!(
        again.stderr.starts_with("Dependency risk: no change.\n"),
        "{}",
        again.stderr
    );
    Ok(())
}

#[test]
fn diff_reads_git_history_gates_on_risk_and_renders_every_format() -> TestResult {
    let p = project("delta-git")?;
    tool(&p.dir, &p.home, &["--offline", "-q"])?.ok()?;
    git_repo(&p.dir)?;

    publish_new_versions(&p.reg)?;
    cargo(&p.dir, &p.home, &["update", "--offline"])?.ok()?;
    tool(&p.dir, &p.home, &["--offline", "-q"])?.ok()?;

    let md = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "git:HEAD",
            "risk-report.toml",
            "--format",
            "markdown",
        ],
    )?
    .ok()?;
    let first: Vec<&str> = md.stdout.lines().take(2).collect();
    assert_eq!(first[0], "<!-- cargo-risk-report -->");
    assert!(
        first[1].starts_with("### Dependency risk: +1 crate, 3 updated."),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("| growing 1.0.0 -&#62; 1.1.0 | updated | net, build-script, unsafe |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("https://diff.rs/growing/1.0.0/1.1.0"),
        "{}",
        md.stdout
    );

    let gate = tool(
        &p.dir,
        &p.home,
        &["diff", "git:HEAD", "risk-report.toml", "--fail-on-increase"],
    )?;
    assert_eq!(gate.code, Some(1), "risk was added: {gate:#?}");
    assert_eq!(
        gate.stdout.lines().nth(1),
        Some("adds risk: growing +net, +build-script, +unsafe, build script +native"),
        "the gate says why, at the top:\n{}",
        gate.stdout
    );

    let json = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "git:HEAD:risk-report.toml",
            "risk-report.toml",
            "--format",
            "json",
        ],
    )?
    .ok()?;
    let v: serde_json::Value = serde_json::from_str(&json.stdout)?;
    assert_eq!(v["adds_risk"], true);
    assert_eq!(v["updated"], 3);
    assert_eq!(v["packages"][0]["severity"], "high");

    // No change, no gate, one line.
    let same = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "risk-report.toml",
            "risk-report.toml",
            "--fail-on-increase",
        ],
    )?
    .ok()?;
    assert_eq!(same.stdout, "Dependency risk: no change.\n");
    Ok(())
}

#[test]
fn diff_source_shows_the_new_risky_code_from_both_tarballs() -> TestResult {
    let p = project("delta-source")?;
    // Through a git index, so both versions' tarballs land in CARGO_HOME's cache.
    let url = p.reg.git_index()?;
    write(
        &p.home.join("config.toml"),
        &format!(
            "[registries.fixture]\nindex = \"{url}\"\n[source.crates-io]\nreplace-with = \"fixture\"\n[source.fixture]\nregistry = \"{url}\"\n"
        ),
    )?;
    cargo(&p.dir, &p.home, &["generate-lockfile"])?.ok()?;
    tool(&p.dir, &p.home, &["-q", "-o", "old.toml"])?.ok()?;
    publish_new_versions(&p.reg)?;
    std::fs::remove_dir_all(p.reg.root.join("index/.git"))?;
    p.reg.git_index()?;
    cargo(&p.dir, &p.home, &["update"])?.ok()?;
    tool(&p.dir, &p.home, &["-q", "-o", "new.toml"])?.ok()?;

    let out = tool(
        &p.dir,
        &p.home,
        &["diff", "old.toml", "new.toml", "--source"],
    )?
    .ok()?;
    let s = &out.stdout;
    assert!(s.contains("--- src/lib.rs (changed)"), "{s}");
    assert!(
        s.contains("TcpStream::connect(addr)"),
        "the new network call is shown:\n{s}"
    );
    assert!(s.contains("--- build.rs (new file)"), "{s}");
    assert!(s.contains("cc::Build::new()"), "{s}");
    Ok(())
}

#[test]
fn diff_source_reads_tarballs_from_a_local_registry_as_the_scan_does() -> TestResult {
    // The project's own source replacement: a local registry, no copy in CARGO_HOME's cache.
    let p = project("delta-source-local")?;
    tool(&p.dir, &p.home, &["--offline", "-q", "-o", "old.toml"])?.ok()?;
    publish_new_versions(&p.reg)?;
    cargo(&p.dir, &p.home, &["update", "--offline"])?.ok()?;
    tool(&p.dir, &p.home, &["--offline", "-q", "-o", "new.toml"])?.ok()?;
    let out = tool(
        &p.dir,
        &p.home,
        &["diff", "old.toml", "new.toml", "--source"],
    )?
    .ok()?;
    let s = &out.stdout;
    assert!(
        s.contains("TcpStream::connect(addr)"),
        "the new network call is shown:\n{s}"
    );
    assert!(s.contains("cc::Build::new()"), "{s}");
    Ok(())
}

#[test]
fn diff_refuses_a_report_of_another_schema_version() -> TestResult {
    let dir = fresh_dir("delta-schema")?;
    write(&dir.join("old.toml"), "schema_version = 99\n[summary]\n")?;
    write(&dir.join("new.toml"), "schema_version = 99\n")?;
    let out = tool(&dir, &dir, &["diff", "old.toml", "new.toml"])?.failed()?;
    assert!(out.stderr.contains("schema_version 99"), "{}", out.stderr);
    assert!(out.stderr.contains("regenerate"), "{}", out.stderr);
    Ok(())
}

#[test]
fn diff_and_html_read_the_json_report_as_well_as_the_toml() -> TestResult {
    let p = project("delta-json")?;
    tool(
        &p.dir,
        &p.home,
        &["--offline", "-q", "--format", "json", "-o", "old.json"],
    )?
    .ok()?;
    publish_new_versions(&p.reg)?;
    cargo(&p.dir, &p.home, &["update", "--offline"])?.ok()?;
    tool(&p.dir, &p.home, &["--offline", "-q"])?.ok()?;
    tool(
        &p.dir,
        &p.home,
        &["--offline", "-q", "--format", "json", "-o", "new.json"],
    )?
    .ok()?;

    // Either form on either side gives the same delta, gate included.
    let from_json = tool(&p.dir, &p.home, &["diff", "old.json", "risk-report.toml"])?.ok()?;
    assert!(
        from_json
            .stdout
            .starts_with("Dependency risk: +1 crate, 3 updated."),
        "{}",
        from_json.stdout
    );
    let both = tool(&p.dir, &p.home, &["diff", "old.json", "new.json"])?.ok()?;
    assert_eq!(both.stdout, from_json.stdout);
    let gate = tool(
        &p.dir,
        &p.home,
        &["diff", "old.json", "new.json", "--fail-on-increase"],
    )?;
    assert_eq!(gate.code, Some(1), "{gate:#?}");

    // With a policy marking the delta.
    write(
        &p.dir.join("risk-policy.toml"),
        "[policy]\ndefault = \"allow\"\n\n[capabilities]\nnet = \"deny\"\n",
    )?;
    let marked = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "old.json",
            "new.json",
            "--policy",
            "risk-policy.toml",
        ],
    )?
    .ok()?;
    assert!(
        marked.stdout.contains("policy: deny net: not granted"),
        "{}",
        marked.stdout
    );

    tool(
        &p.dir,
        &p.home,
        &["html", "old.json", "new.json", "-o", "page.html", "-q"],
    )?
    .ok()?;
    let page = std::fs::read_to_string(p.dir.join("page.html"))?;
    assert!(page.contains("growing"), "the page holds both reports");

    // A JSON file that is no report says so, as a TOML one does.
    write(&p.dir.join("other.json"), "{\"name\": \"x\"}\n")?;
    let bad = tool(&p.dir, &p.home, &["diff", "other.json", "new.json"])?.failed()?;
    assert!(bad.stderr.contains("not a risk report"), "{}", bad.stderr);
    Ok(())
}
