//! The results cache: hits give the same bytes, broken entries are rescanned, concurrent runs
//! share one folder safely, only verified tarballs are cached, and the fast path equals the
//! exhaustive scan end to end. The metadata cache: a warm run does not start `cargo metadata`,
//! every input of cargo's answer that changes makes it run again, broken entries are repaired.

use std::path::{Path, PathBuf};

use crate::support::{
    Krate, LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, tool_with_env,
    write,
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
    fixture_with(name, Vec::new())
}

/// The fixture, with `extra` crates published in its registry too.
fn fixture_with(name: &str, extra: Vec<Krate>) -> TestResult<Fixture> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    for k in extra {
        reg.publish(&k)?;
    }
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

/// The results cache's entries under `dir` (the metadata cache's are beside them).
fn facts(dir: &Path) -> Vec<PathBuf> {
    entries(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "facts"))
        .collect()
}

/// The modification times of `paths`: an entry a run rewrote has a new one.
fn modified(paths: &[PathBuf]) -> TestResult<Vec<std::time::SystemTime>> {
    Ok(paths
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()))
        .collect::<Result<_, _>>()?)
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
    let stored = facts(&dir);
    assert_eq!(
        stored.len(),
        2,
        "one entry per verified registry tarball, none for the path dependency: {stored:?}"
    );
    assert_eq!(entries(&dir).len(), 3, "and one metadata entry");
    let stamps = modified(&stored)?;

    let warm = f.report("warm.toml", &["--cache-dir", &dir_arg])?;
    assert_eq!(cold, warm, "a cache hit gives the same bytes");
    assert_eq!(stamps, modified(&stored)?, "hits are read, not rewritten");

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
        facts(&f.home.join("results-cache/cargo-risk-report")).len(),
        2
    );
    Ok(())
}

/// Runs that share one cache folder at the same time (CI jobs with one `--cache-dir`): each
/// writes its entries to a temporary file and renames it into place, so none fails, none
/// reads half an entry, all give the bytes of an uncached run, and what they leave is whole.
#[test]
fn concurrent_runs_share_one_cache_safely() -> TestResult {
    const RUNS: usize = 6;
    let f = fixture("cache-concurrent")?;
    let dir = f.root.join("shared-cache");
    let dir_arg = dir.to_string_lossy().into_owned();
    let reference = f.report("reference.toml", &["--no-cache"])?;
    for round in 0..2 {
        // round 0 races on an empty folder (every run writes every entry), round 1 races
        // readers of the entries round 0 left
        let reports: Vec<TestResult<Vec<u8>>> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..RUNS)
                .map(|i| {
                    let (f, dir_arg) = (&f, &dir_arg);
                    s.spawn(move || {
                        f.report(&format!("run-{round}-{i}.toml"), &["--cache-dir", dir_arg])
                    })
                })
                .collect();
            runs.into_iter()
                .map(|r| r.join().unwrap_or_else(|_| Err("a run panicked".into())))
                .collect()
        });
        for (i, report) in reports.into_iter().enumerate() {
            assert_eq!(report?, reference, "round {round}, run {i}");
        }
        assert_eq!(facts(&dir).len(), 2, "one entry per tarball");
        assert_eq!(
            entries(&dir).len(),
            3,
            "and one metadata entry; no temporary file left behind"
        );
    }
    // what the races left is whole: a run that may only read it gives the same bytes
    let before = modified(&facts(&dir))?;
    assert_eq!(
        f.report("after.toml", &["--cache-dir", &dir_arg])?,
        reference
    );
    assert_eq!(modified(&facts(&dir))?, before, "every entry was a hit");
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

/// A `cargo` that logs its subcommand to `cargo.log` in the fixture, then runs the real one.
#[cfg(unix)]
struct Logged<'a> {
    f: &'a Fixture,
    wrapper: String,
    log: PathBuf,
    cache: String,
}

#[cfg(unix)]
impl<'a> Logged<'a> {
    fn new(f: &'a Fixture) -> TestResult<Logged<'a>> {
        use std::os::unix::fs::PermissionsExt;
        let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let log = f.root.join("cargo.log");
        let wrapper = f.root.join("cargo-wrapper.sh");
        write(
            &wrapper,
            &format!(
                "#!/bin/sh\necho \"$1\" >> '{}'\nexec '{real}' \"$@\"\n",
                log.display()
            ),
        )?;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))?;
        Ok(Logged {
            f,
            wrapper: wrapper.to_string_lossy().into_owned(),
            log,
            cache: f.root.join("meta-cache").to_string_lossy().into_owned(),
        })
    }

    /// Runs a report through the wrapper; its bytes, and whether `cargo metadata` ran.
    fn report(&self, name: &str, extra: &[&str]) -> TestResult<(Vec<u8>, bool)> {
        let before = self.metadata_runs();
        let out = self.f.root.join(name);
        let out_arg = out.to_string_lossy().into_owned();
        let mut args = vec![
            "--offline",
            "-q",
            "-o",
            &out_arg,
            "--cache-dir",
            &self.cache,
        ];
        args.extend_from_slice(extra);
        tool_with_env(&self.f.p, &self.f.home, &args, &[("CARGO", &self.wrapper)])?.ok()?;
        let ran = self.metadata_runs() - before;
        assert!(ran <= 1, "cargo metadata ran {ran} times");
        Ok((std::fs::read(out)?, ran == 1))
    }

    fn metadata_runs(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| *l == "metadata")
            .count()
    }

    fn entries(&self) -> Vec<PathBuf> {
        entries(&PathBuf::from(&self.cache).join("metadata-v1"))
    }
}

/// `name@version (source)` of every package of a report.
fn packages(report: &[u8]) -> TestResult<Vec<String>> {
    let value: toml::Table = toml::from_str(std::str::from_utf8(report)?)?;
    let table = value
        .get("packages")
        .and_then(toml::Value::as_table)
        .ok_or("no packages")?;
    Ok(table
        .values()
        .map(|p| {
            let get = |k: &str| p.get(k).and_then(toml::Value::as_str).unwrap_or("?");
            format!("{}@{} ({})", get("name"), get("version"), get("source"))
        })
        .collect())
}

#[cfg(unix)]
#[test]
fn warm_runs_skip_cargo_metadata_with_identical_bytes() -> TestResult {
    let f = fixture("meta-warm")?;
    let l = Logged::new(&f)?;
    let (cold, ran) = l.report("cold.toml", &[])?;
    assert!(ran, "a cold run asks cargo");
    assert_eq!(l.entries().len(), 1, "one metadata entry");
    let (warm, ran) = l.report("warm.toml", &[])?;
    assert!(!ran, "a warm run does not start cargo metadata");
    assert_eq!(cold, warm, "the cached metadata gives the same bytes");

    // the bypasses ask cargo every time and agree
    let (no_cache, ran) = l.report("no-cache.toml", &["--no-cache"])?;
    assert!(ran, "--no-cache runs cargo metadata");
    assert_eq!(cold, no_cache);
    let (exhaustive, ran) = l.report("exhaustive.toml", &["--exhaustive"])?;
    assert!(ran, "--exhaustive runs cargo metadata");
    assert_eq!(cold, exhaustive);

    // another pass-through flag is another key
    let (locked, ran) = l.report("locked.toml", &["--locked"])?;
    assert!(ran, "--locked is part of the key");
    assert_eq!(cold, locked);
    let (_, ran) = l.report("locked.toml", &["--locked"])?;
    assert!(!ran);
    assert_eq!(l.entries().len(), 2);
    Ok(())
}

#[cfg(unix)]
#[test]
fn edited_inputs_rerun_cargo_metadata_and_the_report_follows() -> TestResult {
    let f = fixture_with(
        "meta-edits",
        vec![krate("three", "1.0.0"), krate("one", "1.0.1")],
    )?;
    let l = Logged::new(&f)?;
    let (first, ran) = l.report("r0.toml", &[])?;
    assert!(ran);
    let pkgs = packages(&first)?;
    assert!(
        pkgs.contains(&"one@1.0.1 (crates-io)".to_owned()),
        "{pkgs:?}"
    );
    assert!(!pkgs.iter().any(|p| p.starts_with("three@")), "{pkgs:?}");
    assert!(!l.report("r0.toml", &[])?.1, "warm");

    // a path dependency's manifest
    write(
        &f.p.join("local/Cargo.toml"),
        &manifest(Some(("local", "0.1.0")), &[dep("three")], ""),
    )?;
    let (r1, ran) = l.report("r1.toml", &[])?;
    assert!(ran, "a path dependency's Cargo.toml is watched");
    assert!(packages(&r1)?.contains(&"three@1.0.0 (crates-io)".to_owned()));
    assert!(!l.report("r1.toml", &[])?.1, "warm again");

    // a member's manifest
    write(
        &f.p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[dep("one")],
            "\n[dependencies.local]\npath = \"local\"\n\n[workspace]\n",
        ),
    )?;
    let (r2, ran) = l.report("r2.toml", &[])?;
    assert!(ran, "the member's Cargo.toml is watched");
    let pkgs = packages(&r2)?;
    assert!(!pkgs.iter().any(|p| p.starts_with("gen@")), "{pkgs:?}");
    assert!(!l.report("r2.toml", &[])?.1, "warm again");

    // Cargo.lock
    cargo(
        &f.p,
        &f.home,
        &["update", "--offline", "-p", "one", "--precise", "1.0.0"],
    )?
    .ok()?;
    let (r3, ran) = l.report("r3.toml", &[])?;
    assert!(ran, "Cargo.lock is watched");
    let pkgs = packages(&r3)?;
    assert!(
        pkgs.contains(&"one@1.0.0 (crates-io)".to_owned()),
        "{pkgs:?}"
    );
    assert!(!l.report("r3.toml", &[])?.1, "warm again");

    // .cargo/config.toml: patch `three` with a local copy
    write(
        &f.p.join("three-local/Cargo.toml"),
        &manifest(Some(("three", "1.0.0")), &[], ""),
    )?;
    write(
        &f.p.join("three-local/src/lib.rs"),
        "pub fn t() { unsafe {} }\n",
    )?;
    let config = std::fs::read_to_string(f.p.join(".cargo/config.toml"))?;
    write(
        &f.p.join(".cargo/config.toml"),
        &format!("{config}\n[patch.crates-io]\nthree = {{ path = \"three-local\" }}\n"),
    )?;
    let (r4, ran) = l.report("r4.toml", &[])?;
    assert!(ran, ".cargo/config.toml is watched");
    let pkgs = packages(&r4)?;
    assert!(
        pkgs.iter()
            .any(|p| p.starts_with("three@1.0.0 (path+") && p.ends_with("three-local)")),
        "{pkgs:?}"
    );
    let (r5, ran) = l.report("r5.toml", &[])?;
    assert!(!ran, "warm again");
    assert_eq!(r4, r5);

    // a config file created where there was none
    write(&f.root.join(".cargo/config.toml"), "[net]\nretry = 3\n")?;
    assert!(
        l.report("r6.toml", &[])?.1,
        "a new ancestor config is watched"
    );
    // and, each time, the cache agrees with cargo
    let (fresh, _) = l.report("fresh.toml", &["--no-cache"])?;
    assert_eq!(r5, fresh);
    Ok(())
}

#[cfg(unix)]
#[test]
fn corrupt_metadata_entries_are_repaired() -> TestResult {
    let f = fixture("meta-corrupt")?;
    let l = Logged::new(&f)?;
    let (cold, ran) = l.report("cold.toml", &[])?;
    assert!(ran);
    let stored = l.entries();
    assert_eq!(stored.len(), 1, "{stored:?}");
    let good = std::fs::read(&stored[0])?;

    let mut flipped = good.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 0x01;
    for bad in [good[..good.len() / 2].to_vec(), flipped, Vec::new()] {
        std::fs::write(&stored[0], &bad)?;
        let (report, ran) = l.report("repaired.toml", &[])?;
        assert!(ran, "a broken entry is a miss");
        assert_eq!(cold, report);
        assert_eq!(std::fs::read(&stored[0])?, good, "rewritten whole");
    }
    let (warm, ran) = l.report("warm.toml", &[])?;
    assert!(!ran, "the repaired entry is used");
    assert_eq!(cold, warm);
    Ok(())
}

/// What runs beside `cargo metadata` (`ahead.rs`): the lockfile's tarballs, found where the
/// report looks, each scanned once; a result is handed out only for the same name, version
/// and verified checksum, and only once, and it equals a scan made afterwards.
#[test]
fn the_scan_ahead_hands_out_only_results_of_the_same_verified_tarball() -> TestResult {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use cargo_risk_report::plumbing::ahead::Ahead;
    use cargo_risk_report::plumbing::locate::Input;
    use cargo_risk_report::plumbing::lockfile::Checksums;
    use cargo_risk_report::plumbing::options::{Options as Config, Scope};
    use cargo_risk_report::plumbing::scan::{self, Job, Options, Progress};

    let f = fixture("scan-ahead")?;
    let config = Config {
        manifest_path: Some(f.p.join("Cargo.toml")),
        ..Config::default()
    };
    let pool = scan::pool(Some(2))?;
    let options = Options::default();
    let done = AtomicUsize::new(0);
    let progress = Progress {
        total: &|_, _| {},
        done: &|| {
            done.fetch_add(1, Ordering::Relaxed);
        },
    };
    let ahead = Ahead::default();
    ahead.run(
        config.cargo_run(),
        &pool,
        &options,
        &progress,
        &AtomicBool::new(false),
    );
    assert_eq!(
        done.load(Ordering::Relaxed),
        2,
        "the two registry packages, not the path dependency"
    );

    let lock = Checksums::read(&f.p.join("Cargo.lock"))?;
    let sum = lock
        .pinned()
        .find(|(name, _, _)| *name == "one")
        .map(|(_, _, sum)| sum.to_owned())
        .ok_or("one is pinned")?;
    let job = |sum: &str| Job {
        name: "one".into(),
        version: "1.0.0".into(),
        input: Input::Tarball {
            candidates: vec![f.root.join("registry/one-1.0.0.crate")],
            checksum: Some(sum.to_owned()),
        },
    };
    assert!(
        ahead.take(&job(&"0".repeat(64))).is_none(),
        "another checksum"
    );
    let taken = ahead.take(&job(&sum)).ok_or("scanned ahead")?;
    assert!(taken.verified);
    assert!(ahead.take(&job(&sum)).is_none(), "handed out once");
    let now = scan::scan_all(&pool, &[job(&sum)], &options, &progress, &|_| None)?;
    assert_eq!(now[0].facts, taken.facts);
    assert!(!taken.facts.files.is_empty());

    // cargo failed before it started: nothing is scanned; `--target`: nothing either
    let before = done.load(Ordering::Relaxed);
    let stopped = Ahead::default();
    stopped.run(
        config.cargo_run(),
        &pool,
        &options,
        &progress,
        &AtomicBool::new(true),
    );
    let targeted = Config {
        scope: Scope {
            targets: vec!["x86_64-unknown-linux-gnu".into()],
            ..config.scope.clone()
        },
        ..config.clone()
    };
    stopped.run(
        targeted.cargo_run(),
        &pool,
        &options,
        &progress,
        &AtomicBool::new(false),
    );
    assert!(stopped.take(&job(&sum)).is_none());
    assert_eq!(
        done.load(Ordering::Relaxed),
        before,
        "nothing more was scanned"
    );
    Ok(())
}
