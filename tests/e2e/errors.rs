//! Failed runs: each says what is wrong and what to do, and exits 2.

use crate::support::{TestResult, fresh_dir, manifest, tool, tool_with_env, write};

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

#[test]
fn a_missing_cargo_says_how_to_get_one() -> TestResult {
    let root = fresh_dir("nocargo")?;
    write(
        &root.join("Cargo.toml"),
        &manifest(Some(("x", "0.1.0")), &[], "\n[workspace]\n"),
    )?;
    let out = tool_with_env(
        &root,
        &root.join("home"),
        &[],
        &[("CARGO", "/nonexistent/bin/cargo")],
    )?
    .failed()?;
    assert!(out.stderr.contains("cargo was not found"), "{}", out.stderr);
    assert!(out.stderr.contains("rustup"), "{}", out.stderr);
    Ok(())
}

#[test]
fn an_error_and_its_cause_are_printed_once() -> TestResult {
    // A folder where a report is expected: the OS's reason comes once, after what failed.
    let dir = fresh_dir("error-once")?;
    std::fs::create_dir_all(dir.join("a-folder"))?;
    let home = dir.join("home");
    let out = tool(
        &dir,
        &home,
        &["risk-report", "diff", "a-folder", "a-folder"],
    )?
    .failed()?;
    let io = std::fs::read(dir.join("a-folder"))
        .err()
        .ok_or("reading a folder fails")?
        .to_string();
    assert_eq!(
        out.stderr.trim_end(),
        format!("error: cannot read a-folder: {io}"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches(&io).count(), 1, "{}", out.stderr);
    Ok(())
}
