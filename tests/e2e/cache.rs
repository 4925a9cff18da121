//! The results cache: hits give the same bytes, broken entries are rescanned, only verified
//! tarballs are cached, and the fast path equals the exhaustive scan end to end.

use std::path::{Path, PathBuf};

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, write,
};

const GENERATED: &str = "#[repr(C)]\n#[derive(Clone, Copy)]\npub struct S { pub a: u32 }\n\
    pub const A: u32 = 1u32;\npub type H = *mut u8;\n\
    impl Clone for T { fn clone(&self) -> Self { unsafe { std::mem::zeroed() } } }\n";

struct Fixture {
    p: PathBuf,
    home: PathBuf,
    root: PathBuf,
}

fn fixture(name: &str) -> TestResult<Fixture> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    for k in [
        krate("one", "1.0.0").file(
            "src/lib.rs",
            "pub fn f() { unsafe {} std::fs::read(\"x\").ok(); }\n",
        ),
        krate("gen", "1.2.0").file("src/lib.rs", GENERATED),
    ] {
        reg.publish(&k)?;
    }
    let p = root.join("p");
    write(
        &p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[dep("one"), dep("gen")],
            "\n[dependencies.local]\npath = \"local\"\n\n[workspace]\n",
        ),
    )?;
    write(&p.join("src/lib.rs"), "")?;
    write(
        &p.join("local/Cargo.toml"),
        &manifest(Some(("local", "0.1.0")), &[], ""),
    )?;
    write(&p.join("local/src/lib.rs"), "pub fn g() { unsafe {} }\n")?;
    write(&p.join(".cargo/config.toml"), &reg.source_replacement())?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok(Fixture { p, home, root })
}

impl Fixture {
    /// Runs a report with `extra` flags and returns its bytes.
    fn report(&self, name: &str, extra: &[&str]) -> TestResult<Vec<u8>> {
        let out = self.root.join(name);
        let out_arg = out.to_string_lossy().into_owned();
        let mut args = vec!["--offline", "-q", "-o", &out_arg];
        args.extend_from_slice(extra);
        tool(&self.p, &self.home, &args)?.ok()?;
        Ok(std::fs::read(out)?)
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cache_hits_and_rescans_give_identical_reports() -> TestResult {
    let f = fixture("cache-hits")?;
    let dir = f.root.join("shared-cache");
    let dir_arg = dir.to_string_lossy().into_owned();
    let cold = f.report("cold.toml", &["--cache-dir", &dir_arg])?;
    let stored = entries(&dir);
    assert_eq!(
        stored.len(),
        2,
        "one entry per verified registry tarball, none for the path dependency: {stored:?}"
    );
    assert!(
        stored
            .iter()
            .all(|p| p.extension().is_some_and(|x| x == "facts"))
    );
    let stamps: Vec<_> = stored
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()))
        .collect::<Result<_, _>>()?;

    let warm = f.report("warm.toml", &["--cache-dir", &dir_arg])?;
    assert_eq!(cold, warm, "a cache hit gives the same bytes");
    let again: Vec<_> = stored
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()))
        .collect::<Result<_, _>>()?;
    assert_eq!(stamps, again, "hits are read, not rewritten");

    // truncated and bit-flipped entries are detected, rescanned and rewritten
    let first = std::fs::read(&stored[0])?;
    std::fs::write(&stored[0], &first[..first.len() / 2])?;
    let mut flipped = std::fs::read(&stored[1])?;
    let last = flipped.len() - 2;
    flipped[last] ^= 0x20;
    std::fs::write(&stored[1], &flipped)?;
    let repaired = f.report("repaired.toml", &["--cache-dir", &dir_arg])?;
    assert_eq!(cold, repaired);
    assert_eq!(std::fs::read(&stored[0])?, first, "rewritten whole");

    // the default location is the user's cache folder (XDG_CACHE_HOME in these tests)
    let default = f.report("default.toml", &[])?;
    assert_eq!(cold, default);
    assert_eq!(
        entries(&f.home.join("results-cache/cargo-risk-report")).len(),
        2
    );
    Ok(())
}

#[test]
fn no_cache_and_exhaustive_scan_everything_and_agree() -> TestResult {
    let f = fixture("no-cache")?;
    let dir = f.root.join("unused-cache");
    let dir_arg = dir.to_string_lossy().into_owned();
    let plain = f.report("plain.toml", &["--no-cache", "--cache-dir", &dir_arg])?;
    assert!(entries(&dir).is_empty(), "--no-cache writes nothing");
    let exhaustive = f.report(
        "exhaustive.toml",
        &["--exhaustive", "--cache-dir", &dir_arg],
    )?;
    assert!(entries(&dir).is_empty(), "--exhaustive uses no cache");
    assert_eq!(
        plain, exhaustive,
        "fast and exhaustive reports are the same bytes"
    );
    let text = String::from_utf8(plain)?;
    assert!(text.contains("gen"), "{text}");
    Ok(())
}
