//! Hostile input through the real binary: a project whose dependencies are hostile crates
//! (built here, served from a local registry) is scanned to the end with each problem visible
//! in the report; and `diff` given hostile report files fails cleanly with exit 2.

use std::path::{Path, PathBuf};

use risk_report::model::{Package, Report};
use testkit::EntryType;
use testkit::Tarball;

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, tool_with_env, write,
};

/// Tarball bytes for each hostile crate. Every one starts with a valid manifest and lib.
fn base(name: &str) -> (String, Tarball) {
    let root = format!("{name}-1.0.0");
    let mut t = Tarball::new();
    t.file(
        &format!("{root}/Cargo.toml"),
        manifest(Some((name, "1.0.0")), &[], "").as_bytes(),
    );
    (root, t)
}

fn evil_archive() -> Vec<u8> {
    let (r, mut t) = base("evil-archive");
    t.file(&format!("{r}/src/lib.rs"), b"pub fn f() {}\n")
        .file(&format!("{r}/../../escape.rs"), b"unsafe fn x() {}")
        .file("/etc/evil.rs", b"unsafe fn x() {}")
        .file("other-9.9.9/src/lib.rs", b"unsafe fn x() {}")
        .link(
            &format!("{r}/src/link.rs"),
            EntryType::Symlink,
            "/etc/passwd",
        )
        .link(&format!("{r}/src/hard.rs"), EntryType::Link, "/etc/shadow")
        .raw(format!("{r}/dev/tty").as_bytes(), EntryType::Char, b"")
        .raw(
            format!("{r}/src/\u{1b}[2J\u{1b}]0;pwned\u{7}.rs").as_bytes(),
            EntryType::Regular,
            b"fn e() {}",
        )
        .raw(
            &[r.as_bytes(), b"/src/\xff\xfe.rs"].concat(),
            EntryType::Regular,
            b"x",
        )
        .file(&format!("{r}/data/big.bin"), &vec![0; 300 * 1024])
        .file(
            &format!("{r}/src/lib.rs"),
            b"pub fn f() { std::fs::read(\"/etc/passwd\"); }\n",
        );
    t.gz()
}

fn evil_source() -> Vec<u8> {
    let (r, mut t) = base("evil-source");
    // deep inside a statement a rule looks into (`unsafe`), so syn cannot skip it
    let deep = format!(
        "pub fn d() {{ let c = {}unsafe {{ 1 }}; }}\n",
        "|a| ".repeat(50_000)
    );
    t.file(
        &format!("{r}/src/lib.rs"),
        "mod deep;\nmod bad;\n/* \u{202e} } \u{2066}if admin\u{2069} \u{2066} */\n\
         pub fn p\u{430}ypal() {}\n\
         pub fn f() { let _ = include_bytes!(\"</details><script>alert(1)</script>\"); }\n\
         pub fn g() { let _ = \"\u{1b}]0;pwned\u{7}\u{1b}[2J\"; unsafe {} }\n"
            .as_bytes(),
    )
    .file(&format!("{r}/src/deep.rs"), deep.as_bytes())
    .file(&format!("{r}/src/bad.rs"), b"fn f() {}\n\xc0\xaf\0\0\n");
    t.gz()
}

fn evil_manifest() -> Vec<u8> {
    let r = "evil-manifest-1.0.0";
    Tarball::new()
        .file(
            &format!("{r}/Cargo.toml"),
            b"[package]\nname = \"evil-manifest\"\nversion = = 1\n",
        )
        .file(&format!("{r}/src/lib.rs"), b"pub fn f() { unsafe {} }\n")
        .gz()
}

fn evil_build() -> Vec<u8> {
    let r = "evil-build-1.0.0";
    let m = format!(
        "{}build = \"../../../../etc/build.rs\"\n[[bin]]\nname = \"ghost\"\npath = \"src/bin/ghost.rs\"\n",
        manifest(Some(("evil-build", "1.0.0")), &[], "")
    );
    Tarball::new()
        .file(&format!("{r}/Cargo.toml"), m.as_bytes())
        .file(&format!("{r}/src/lib.rs"), b"pub fn f() {}\n")
        .gz()
}

fn evil_bomb() -> Vec<u8> {
    let m = manifest(Some(("evil-bomb", "1.0.0")), &[], "");
    testkit::bomb(
        "evil-bomb-1.0.0",
        &[
            ("Cargo.toml", m.as_bytes()),
            ("src/lib.rs", b"pub fn f() {}\n"),
        ],
        1,
    )
}

/// Cargo unpacks a crate before `cargo metadata` can read its manifest, and refuses (rightly)
/// most of these tarballs. The unpacked copy is what an attacker controls least, so give
/// cargo a plain one, as a poisoned or hand-made cache would: the tool must read the pinned
/// `.crate` bytes, not this copy.
fn plain_unpacked_copy(src_dir: &Path, name: &str) -> TestResult {
    let dir = src_dir.join(format!("{name}-1.0.0"));
    write(
        &dir.join("Cargo.toml"),
        &manifest(Some((name, "1.0.0")), &[], ""),
    )?;
    write(&dir.join("src/lib.rs"), "pub fn f() {}\n")?;
    write(&dir.join(".cargo-ok"), "{\"v\":1}")?;
    Ok(())
}

const HOSTILE: &[&str] = &[
    "evil-archive",
    "evil-source",
    "evil-manifest",
    "evil-build",
    "evil-bomb",
];

/// The project and its CARGO_HOME, ready to scan.
fn hostile_project() -> TestResult<(PathBuf, PathBuf)> {
    let root = fresh_dir("hostile")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("anchor", "1.0.0"))?;
    let makers: [fn() -> Vec<u8>; 5] = [
        evil_archive,
        evil_source,
        evil_manifest,
        evil_build,
        evil_bomb,
    ];
    for (name, make) in HOSTILE.iter().zip(makers) {
        reg.publish_bytes(&krate(name, "1.0.0"), &make())?;
    }
    let p = root.join("p");
    let home = root.join("home");
    write(&p.join(".cargo/config.toml"), &reg.source_replacement())?;
    write(&p.join("src/lib.rs"), "")?;
    // First with the plain crate only, to learn where cargo unpacks this registry.
    write(
        &p.join("Cargo.toml"),
        &manifest(Some(("p", "0.1.0")), &[dep("anchor")], "\n[workspace]\n"),
    )?;
    cargo(
        &p,
        &home,
        &["metadata", "--offline", "--format-version", "1"],
    )?
    .ok()?;
    let src_dir = std::fs::read_dir(home.join("registry/src"))?
        .next()
        .ok_or("cargo unpacked nothing")??
        .path();
    for name in HOSTILE {
        plain_unpacked_copy(&src_dir, name)?;
    }
    let mut deps = vec![dep("anchor")];
    deps.extend(HOSTILE.iter().map(|n| dep(n)));
    write(
        &p.join("Cargo.toml"),
        &manifest(Some(("p", "0.1.0")), &deps, "\n[workspace]\n"),
    )?;
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok((p, home))
}

fn package<'r>(report: &'r Report, name: &str) -> &'r Package {
    &report.packages[&format!("{name}@1.0.0")]
}

fn reasons(p: &Package) -> String {
    p.coverage
        .skipped
        .iter()
        .map(|s| format!("{}: {}\n", s.path, s.reason))
        .collect()
}

#[test]
fn a_project_of_hostile_crates_is_scanned_to_the_end() -> TestResult {
    let (p, home) = hostile_project()?;
    let caps = [
        "--max-entry-bytes",
        "256K",
        "--max-total-bytes",
        "8M",
        "--max-entries",
        "1000",
    ];
    let mut args = vec!["--offline"];
    args.extend(caps);
    let run = tool(&p, &home, &args)?.ok()?;
    assert!(
        !run.stderr.contains('\u{1b}'),
        "raw escape in the summary: {:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tarball entries not read"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(p.join("risk-report.toml"))?;
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "raw controls in the report"
    );
    let report = Report::from_toml(&text)?;

    let archive = package(&report, "evil-archive");
    let why = reasons(archive);
    for expected in [
        "evil-archive-1.0.0/../../escape.rs: path contains `..`",
        "/etc/evil.rs: absolute path",
        "other-9.9.9/src/lib.rs: outside the crate root folder",
        "evil-archive-1.0.0/src/link.rs: symbolic link",
        "evil-archive-1.0.0/src/hard.rs: hard link",
        "evil-archive-1.0.0/dev/tty: device or fifo",
        "evil-archive-1.0.0/src/\\xff\\xfe.rs: name is not valid UTF-8",
        "evil-archive-1.0.0/data/big.bin: over entry size cap (307200 bytes > 262144)",
        "evil-archive-1.0.0/src/lib.rs: duplicate path; a later entry with the same path is scanned",
    ] {
        assert!(why.contains(expected), "missing {expected:?} in\n{why}");
    }
    assert_eq!(
        archive
            .capabilities
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        ["fs"],
        "the later lib.rs"
    );

    let source = package(&report, "evil-source");
    assert!(
        source.capabilities.contains("hidden-text"),
        "{:?}",
        source.capabilities
    );
    let codes: Vec<&str> = source.shipped.keys().map(|k| k.code()).collect();
    for code in [
        "bidi-control",
        "confusable-ident",
        "include-bytes",
        "unsafe-block",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    assert!(
        source
            .coverage
            .approximate
            .iter()
            .any(|a| a.starts_with("src/deep.rs: nesting deeper")),
        "{:?}",
        source.coverage.approximate
    );
    assert!(
        source
            .coverage
            .not_analyzed
            .iter()
            .any(|a| a.starts_with("src/bad.rs: not valid UTF-8")),
        "{:?}",
        source.coverage.not_analyzed
    );

    let broken = package(&report, "evil-manifest");
    let error = broken
        .coverage
        .manifest_error
        .as_deref()
        .unwrap_or_default();
    assert!(error.starts_with("Cargo.toml:3:"), "{error}");
    assert!(
        broken.capabilities.contains("unsafe"),
        "the code is still read"
    );

    let build = package(&report, "evil-build");
    let error = build.coverage.manifest_error.as_deref().unwrap_or_default();
    assert!(error.contains("outside the crate"), "{error}");
    assert!(
        error.contains("`src/bin/ghost.rs`, which is not in the crate"),
        "{error}"
    );
    assert!(build.build_script.is_none());

    let bomb = reasons(package(&report, "evil-bomb"));
    assert!(
        bomb.contains("bomb.bin: over entry size cap (1073741824 bytes > 262144)"),
        "{bomb}"
    );
    assert!(
        bomb.contains("<archive>: inflated stream cap reached"),
        "{bomb}"
    );
    assert_eq!(
        report.summary.not_analyzed, 0,
        "every crate was read, none silently"
    );

    // `show` prints the crate's own strings neutralized.
    let shown = tool(
        &p,
        &home,
        &["show", "evil-source", "--offline", "--color", "never"],
    )?
    .ok()?;
    assert!(
        !shown.stdout.contains('\u{1b}') && !shown.stdout.contains('\u{202e}'),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("\\u{202e}"), "{}", shown.stdout);
    let shown = tool(&p, &home, &["show", "evil-archive", "--offline"])?.ok()?;
    assert!(!shown.stdout.contains('\u{1b}'), "{}", shown.stdout);

    // The delta from an empty report, in every format.
    let empty = p.join("empty.toml");
    std::fs::write(&empty, Report::build(Vec::new()).to_toml()?)?;
    let new = p.join("risk-report.toml").to_string_lossy().into_owned();
    let old = empty.to_string_lossy().into_owned();
    for format in ["text", "markdown", "json"] {
        let out = tool(
            &p,
            &home,
            &["diff", &old, &new, "--format", format, "--color", "always"],
        )?
        .ok()?;
        assert!(!out.stdout.contains("]0;pwned"), "{format}: {}", out.stdout);
        if format == "markdown" {
            assert!(!out.stdout.contains("<script"), "{}", out.stdout);
            assert!(!out.stdout.contains("</details><"), "{}", out.stdout);
        }
        assert!(!out.stdout.contains('\u{202e}'), "{format}: {}", out.stdout);
        assert!(
            out.stdout.contains("hidden-text") || out.stdout.contains("hides text"),
            "{format}: the new capability is named"
        );
    }
    Ok(())
}

/// What `diff` says about a report file that is not one.
fn diff_error(name: &str, content: &[u8]) -> TestResult<String> {
    let dir = fresh_dir(&format!("hostile-diff-{name}"))?;
    let good = dir.join("good.toml");
    std::fs::write(&good, Report::build(Vec::new()).to_toml()?)?;
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, content)?;
    let home = dir.join("home");
    let args = [
        "diff",
        good.to_str().ok_or("path")?,
        bad.to_str().ok_or("path")?,
    ];
    let out = tool_with_env(&dir, &home, &args, &[("RUST_BACKTRACE", "1")])?.failed()?;
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    Ok(out.stderr)
}

#[test]
fn diff_refuses_hostile_reports_with_exit_2() -> TestResult {
    let good = Report::build(Vec::new()).to_toml()?;

    let e = diff_error("syntax", b"schema_version = 1\n[summary\npackages = 1\n")?;
    assert!(e.contains("line 2, column"), "{e}");

    let wrong_type = good.replace("packages = 0", "packages = \"many\"");
    let e = diff_error("types", wrong_type.as_bytes())?;
    assert!(e.contains("line") && e.contains("column"), "{e}");
    assert!(e.contains("packages"), "{e}");

    let e = diff_error("missing", b"schema_version = 1\n")?;
    assert!(e.contains("missing field"), "{e}");

    let e = diff_error(
        "future",
        good.replace("schema_version = 1", "schema_version = 99")
            .as_bytes(),
    )?;
    assert!(e.contains("schema_version 99"), "{e}");
    let e = diff_error(
        "not-a-number",
        good.replace("schema_version = 1", "schema_version = \"1\"")
            .as_bytes(),
    )?;
    assert!(e.contains("schema_version"), "{e}");
    let e = diff_error("none", b"title = \"not a report\"\n")?;
    assert!(e.contains("no `schema_version`"), "{e}");

    let e = diff_error(
        "escapes",
        b"schema_version = 1\nx = \"\x1b]0;pwned\x07\x1b[2J\n",
    )?;
    assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");
    assert!(e.contains("line 2, column"), "{e}");

    let e = diff_error("binary", b"\xff\xfe\0\0garbage")?;
    assert!(e.contains("not UTF-8"), "{e}");

    let deep = format!(
        "schema_version = 1\nx = {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = diff_error("deep", deep.as_bytes())?;
    assert!(e.contains("recursion"), "{e}");
    assert!(
        e.len() < 2_000,
        "the 200 KB line is not echoed back: {} bytes",
        e.len()
    );

    // Huge: refused by size before it is read (a sparse file, so the test writes nothing).
    let dir = fresh_dir("hostile-diff-huge")?;
    let huge = dir.join("huge.toml");
    std::fs::File::create(&huge)?.set_len(300 * 1024 * 1024)?;
    let good_path = dir.join("good.toml");
    std::fs::write(&good_path, &good)?;
    let args = [
        "diff",
        good_path.to_str().ok_or("path")?,
        huge.to_str().ok_or("path")?,
    ];
    let out = tool(&dir, &dir.join("home"), &args)?.failed()?;
    assert!(
        out.stderr.contains("over the 268435456-byte limit"),
        "{}",
        out.stderr
    );
    Ok(())
}
