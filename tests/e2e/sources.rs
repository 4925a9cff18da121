//! Where the bytes come from, and refusing the wrong ones.

use crate::support::report::rows_from_json;
use crate::support::{
    self, LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, write,
};

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
/// Also a git dependency, read from cargo's checkout.
#[test]
fn registry_tarballs_are_found_in_the_cargo_cache_and_verified() -> TestResult {
    let root = fresh_dir("cache")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("cached", "1.2.3"))?;
    let url = reg.git_index()?;
    let gitdep = root.join("gitdep");
    write(
        &gitdep.join("Cargo.toml"),
        &manifest(Some(("gitdep", "0.4.0")), &[], ""),
    )?;
    write(&gitdep.join("src/lib.rs"), "pub fn g() {}\n")?;
    let git_url = support::git_repo(&gitdep)?;
    let p = root.join("p");
    write(
        &p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[],
            &format!(
                "\n[dependencies]\ncached = {{ version = \"1\", registry = \"fixture\" }}\ngitdep = {{ git = {git_url:?} }}\n\n[workspace]\n"
            ),
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
    let git = rows.get("gitdep@0.4.0").ok_or("gitdep@0.4.0 missing")?;
    assert_eq!(git.source_kind, "git");
    assert!(
        git.source_value.starts_with(&format!("git+{git_url}#")),
        "{git:?}"
    );
    assert!(!git.checksum_verified && git.checksum.is_none());

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
