//! How often each command starts cargo, counted by a `$CARGO` wrapper: `check`, `show`,
//! `sbom` and `html` run it at most once (the graph, shared by everything the command
//! needs), and not at all when the metadata cache answers; `diff --source` never.

use std::path::{Path, PathBuf};

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool_with_env, write,
};

struct Project {
    root: PathBuf,
    p: PathBuf,
    home: PathBuf,
    wrapper: String,
    log: PathBuf,
}

#[cfg(unix)]
fn project(name: &str) -> TestResult<Project> {
    use std::os::unix::fs::PermissionsExt;
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("one", "1.0.0").file(
        "src/lib.rs",
        "pub fn f() { unsafe {} std::fs::read(\"x\").ok(); }\n",
    ))?;
    reg.publish(&krate("two", "1.0.0").file("src/lib.rs", "pub fn g() {}\n"))?;
    let p = root.join("p");
    write(
        &p.join("Cargo.toml"),
        &manifest(
            Some(("p", "0.1.0")),
            &[dep("one"), dep("two")],
            "\n[workspace]\n",
        ),
    )?;
    write(&p.join("src/main.rs"), "fn main() {}\n")?;
    write(&p.join(".cargo/config.toml"), &reg.source_replacement())?;
    // the starting policy denies every capability: `one` violates it with located findings
    write(&p.join("risk-policy.toml"), "")?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let log = root.join("cargo.log");
    let wrapper = root.join("cargo-wrapper.sh");
    write(
        &wrapper,
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )?;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))?;
    Ok(Project {
        root,
        p,
        home,
        wrapper: wrapper.to_string_lossy().into_owned(),
        log,
    })
}

impl Project {
    /// Runs the tool through the wrapper; the cargo commands it started.
    fn cargo_runs(&self, args: &[&str], cache: &Path) -> TestResult<Vec<String>> {
        let _ = std::fs::remove_file(&self.log);
        let cache = cache.to_string_lossy().into_owned();
        let mut all = vec!["--offline", "-q", "--cache-dir", &cache];
        all.extend_from_slice(args);
        let out = tool_with_env(&self.p, &self.home, &all, &[("CARGO", &self.wrapper)])?;
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{args:?} failed: {}",
            out.stderr
        );
        Ok(std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect())
    }
}

#[cfg(unix)]
#[test]
fn commands_start_cargo_at_most_once_and_not_when_the_metadata_cache_answers() -> TestResult {
    let f = project("invocations")?;
    let html = f.root.join("d.html").to_string_lossy().into_owned();
    // html reads the report a run writes
    let cache = f.root.join("cache-report");
    f.cargo_runs(&[], &cache)?;
    // diff reads reports and tarballs: no cargo at all
    let report = f.p.join("risk-report.toml").to_string_lossy().into_owned();
    let diff = f.cargo_runs(&["diff", &report, &report, "--source"], &cache)?;
    assert!(diff.is_empty(), "diff --source: cargo ran {diff:?}");
    let commands: [&[&str]; 4] = [
        &["check"],
        &["show", "one"],
        &["sbom"],
        &["html", "-o", &html],
    ];
    for (i, args) in commands.iter().enumerate() {
        let cache = f.root.join(format!("cache-{i}"));
        let cold = f.cargo_runs(args, &cache)?;
        assert!(cold.len() <= 1, "{args:?}, cold: cargo ran {cold:?}");
        let warm = f.cargo_runs(args, &cache)?;
        assert!(warm.is_empty(), "{args:?}, warm: cargo ran {warm:?}");
        let uncached = f.cargo_runs(&[&["--no-cache"][..], args].concat(), &cache)?;
        assert!(
            uncached.len() <= 1,
            "{args:?} --no-cache: cargo ran {uncached:?}"
        );
    }
    Ok(())
}
