//! Fixtures of the policy tests: one local registry of tiny crates with known capabilities,
//! and small projects whose dependencies (pinned with `=`) can be changed between runs.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::{
    LocalRegistry, Out, TestResult, cargo, dep, fresh_dir, krate, shared_dir, tool_with_env, write,
};

const NET: &str = "pub fn f() {\n    let _ = std::net::TcpStream::connect(\"127.0.0.1:9\");\n}\n";
const SPAWN: &str = "pub fn f() {\n    let _ = std::process::Command::new(\"sh\").status();\n}\n";

/// The registry: `netty` 1 and 2 (network), `plain` 1.0 and 1.1 (1.1 adds the dependency
/// `newdep`), `grows` 1.0 (nothing) and 1.1 (spawns processes), `serde`, `serde_json` and
/// the look-alike `serde_jsno`.
fn registry() -> TestResult<&'static LocalRegistry> {
    static REG: OnceLock<Result<LocalRegistry, String>> = OnceLock::new();
    REG.get_or_init(|| make_registry().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("registry fixture: {e}").into())
}

fn make_registry() -> TestResult<LocalRegistry> {
    let reg = LocalRegistry::new(shared_dir("policy-registry")?)?;
    for k in [
        krate("netty", "1.0.0").file("src/lib.rs", NET),
        krate("netty", "2.0.0").file("src/lib.rs", NET),
        krate("plain", "1.0.0"),
        krate("newdep", "1.0.0"),
        krate("plain", "1.1.0").deps(vec![dep("newdep")]),
        krate("grows", "1.0.0"),
        krate("grows", "1.1.0").file("src/lib.rs", SPAWN),
        krate("serde", "1.0.0"),
        krate("serde_json", "1.0.0").deps(vec![dep("serde")]),
        krate("serde_jsno", "1.0.0"),
    ] {
        reg.publish(&k)?;
    }
    Ok(reg)
}

/// A one-package project depending on registry crates at exact versions.
#[derive(Debug)]
pub struct Project {
    pub dir: PathBuf,
    pub home: PathBuf,
}

impl Project {
    pub fn new(name: &str, deps: &[(&str, &str)]) -> TestResult<Project> {
        let root = fresh_dir(&format!("policy-{name}"))?;
        let home = root.join("home");
        write(&home.join("config.toml"), &registry()?.source_replacement())?;
        let p = Project {
            dir: root.join("p"),
            home,
        };
        write(&p.dir.join("src/lib.rs"), "")?;
        p.set_deps(deps)?;
        Ok(p)
    }

    /// Rewrites the dependencies and the lockfile.
    pub fn set_deps(&self, deps: &[(&str, &str)]) -> TestResult {
        let mut toml = String::from(
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\n",
        );
        for (name, version) in deps {
            toml.push_str(&format!("{name} = \"={version}\"\n"));
        }
        write(&self.dir.join("Cargo.toml"), &toml)?;
        cargo(&self.dir, &self.home, &["generate-lockfile", "--offline"])?.ok()?;
        Ok(())
    }

    pub fn policy(&self, text: &str) -> TestResult {
        write(&self.dir.join("risk-policy.toml"), text)
    }

    pub fn policy_text(&self) -> TestResult<String> {
        Ok(std::fs::read_to_string(self.dir.join("risk-policy.toml"))?)
    }

    /// Runs the tool offline and quietly.
    pub fn run(&self, args: &[&str]) -> TestResult<Out> {
        self.run_with_env(args, &[])
    }

    /// [`Project::run`] with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> TestResult<Out> {
        let mut all = args.to_vec();
        all.extend(["--offline", "-q"]);
        tool_with_env(&self.dir, &self.home, &all, env)
    }
}

impl Out {
    /// Exit status 1: the tool ran and objected.
    pub fn objected(self) -> TestResult<Out> {
        if self.code == Some(1) {
            Ok(self)
        } else {
            Err(format!("expected exit code 1, got {self:#?}").into())
        }
    }
}
