//! Fixture plumbing for the end-to-end tests: tiny crates packed into `.crate` tarballs, a
//! local registry that cargo resolves against with no network, temp projects, and a runner
//! for the real binary with `CARGO_HOME` pointed at a temp folder.

#![allow(dead_code)] // each test file uses a different part

pub mod browser;
pub mod report;
pub mod synthetic;
pub mod trust;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A dependency line, written both into the crate's Cargo.toml and its index entry.
#[derive(Debug, Clone)]
pub struct Dep {
    pub name: &'static str,
    pub req: &'static str,
    /// `normal`, `build` or `dev`.
    pub kind: &'static str,
    /// A `cfg(...)` expression for platform-specific dependencies.
    pub target: Option<&'static str>,
    /// The package's name when `name` is only what the depending crate calls it
    /// (`name = { package = "..." }`).
    pub package: Option<&'static str>,
}

pub fn dep(name: &'static str) -> Dep {
    Dep {
        name,
        req: "1",
        kind: "normal",
        target: None,
        package: None,
    }
}

impl Dep {
    pub fn build(mut self) -> Dep {
        self.kind = "build";
        self
    }
    pub fn dev(mut self) -> Dep {
        self.kind = "dev";
        self
    }
    pub fn target(mut self, cfg: &'static str) -> Dep {
        self.target = Some(cfg);
        self
    }
    /// The dependency on package `package`, which the depending crate calls `name`.
    pub fn package(mut self, package: &'static str) -> Dep {
        self.package = Some(package);
        self
    }
}

/// A crate to publish: its files besides Cargo.toml, which is generated from `deps`.
#[derive(Debug, Clone)]
pub struct Krate {
    pub name: &'static str,
    pub version: &'static str,
    pub deps: Vec<Dep>,
    pub files: Vec<(&'static str, &'static str)>,
}

pub fn krate(name: &'static str, version: &'static str) -> Krate {
    Krate {
        name,
        version,
        deps: Vec::new(),
        files: vec![("src/lib.rs", "pub fn f() {}\n")],
    }
}

impl Krate {
    pub fn deps(mut self, deps: Vec<Dep>) -> Krate {
        self.deps = deps;
        self
    }
    pub fn file(mut self, path: &'static str, text: &'static str) -> Krate {
        self.files.retain(|(p, _)| *p != path);
        self.files.push((path, text));
        self
    }
}

/// A Cargo.toml with a `[package]` (or nothing, for `package: None`) and the dependency
/// tables for `deps`; `extra` is appended (e.g. path dependencies).
pub fn manifest(package: Option<(&str, &str)>, deps: &[Dep], extra: &str) -> String {
    let mut s = String::new();
    if let Some((name, version)) = package {
        s.push_str(&format!(
            "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n\n"
        ));
    }
    let mut tables: Vec<(String, String)> = Vec::new();
    for d in deps {
        let table = match d.kind {
            "build" => "build-dependencies",
            "dev" => "dev-dependencies",
            _ => "dependencies",
        };
        let table = match d.target {
            Some(cfg) => format!("target.'{cfg}'.{table}"),
            None => table.to_owned(),
        };
        let spec = match d.package {
            Some(package) => format!("{{ package = \"{package}\", version = \"{}\" }}", d.req),
            None => format!("\"{}\"", d.req),
        };
        tables.push((table, format!("{} = {spec}\n", d.name)));
    }
    tables.sort();
    let mut last = String::new();
    for (table, line) in tables {
        if table != last {
            s.push_str(&format!("[{table}]\n"));
            last = table;
        }
        s.push_str(&line);
    }
    s.push_str(extra);
    s
}

/// A `.crate`: a gzip'd tar with a `name-version/` root, made byte-for-byte reproducible
/// (fixed mtimes and modes) so the checksums do not change between runs.
pub fn pack(name: &str, version: &str, files: &[(&str, String)]) -> TestResult<Vec<u8>> {
    let files: std::collections::BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
        .collect();
    Ok(testkit::pack_with_root(
        &format!("{name}-{version}"),
        &files,
    ))
}

pub use cargo_risk_report::plumbing::verify::sha256_hex;

/// A cargo `local-registry`: `index/` in the git index layout, `.crate` files at the root.
#[derive(Debug, Clone)]
pub struct LocalRegistry {
    pub root: PathBuf,
}

impl LocalRegistry {
    pub fn new(root: PathBuf) -> TestResult<LocalRegistry> {
        std::fs::create_dir_all(root.join("index"))?;
        Ok(LocalRegistry { root })
    }

    /// Packs and adds a crate; returns the path of its `.crate` file.
    pub fn publish(&self, k: &Krate) -> TestResult<PathBuf> {
        let mut files: Vec<(&str, String)> =
            k.files.iter().map(|(p, t)| (*p, (*t).to_owned())).collect();
        files.push((
            "Cargo.toml",
            manifest(Some((k.name, k.version)), &k.deps, ""),
        ));
        let bytes = pack(k.name, k.version, &files)?;
        self.publish_packed(k.name, k.version, &bytes, &k.deps)
    }

    /// Adds a crate whose `.crate` file is `bytes` as given (a hostile tarball built by the
    /// test); its index entry is made from `k` and the checksum of `bytes`.
    pub fn publish_bytes(&self, k: &Krate, bytes: &[u8]) -> TestResult<PathBuf> {
        self.publish_packed(k.name, k.version, bytes, &k.deps)
    }

    /// Adds an already packed `.crate` whose index entry lists `deps`.
    pub fn publish_packed(
        &self,
        name: &str,
        version: &str,
        bytes: &[u8],
        deps: &[Dep],
    ) -> TestResult<PathBuf> {
        let crate_file = self.root.join(format!("{name}-{version}.crate"));
        std::fs::write(&crate_file, bytes)?;

        let deps: Vec<serde_json::Value> = deps
            .iter()
            .map(|d| {
                serde_json::json!({
                    "name": d.name, "req": format!("^{}", d.req), "features": [],
                    "optional": false, "default_features": true, "target": d.target,
                    "kind": d.kind, "registry": null, "package": d.package,
                })
            })
            .collect();
        let line = serde_json::json!({
            "name": name, "vers": version, "deps": deps, "cksum": sha256_hex(bytes),
            "features": {}, "yanked": false,
        });
        let index_file = self.root.join("index").join(index_path(name));
        if let Some(dir) = index_file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(index_file)?;
        writeln!(f, "{line}")?;
        Ok(crate_file)
    }

    /// Turns the index into a git repository whose `config.json` downloads from this folder,
    /// so cargo treats it as a remote registry (fetched over `file://`, no network) and keeps
    /// the tarballs in `$CARGO_HOME/registry/cache/`. Returns the index URL.
    pub fn git_index(&self) -> TestResult<String> {
        let index = self.root.join("index");
        let dl = format!("file://{}/{{crate}}-{{version}}.crate", self.root.display());
        std::fs::write(
            index.join("config.json"),
            serde_json::json!({ "dl": dl }).to_string(),
        )?;
        git_repo(&index)
    }

    /// The `.cargo/config.toml` that replaces crates.io with this registry.
    pub fn source_replacement(&self) -> String {
        format!(
            "[source.crates-io]\nreplace-with = \"fixture\"\n\n[source.fixture]\nlocal-registry = {:?}\n",
            self.root.display().to_string()
        )
    }
}

/// Cargo's index layout: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd...`.
fn index_path(name: &str) -> String {
    let n = name.to_lowercase();
    match n.len() {
        1 => format!("1/{n}"),
        2 => format!("2/{n}"),
        3 => format!("3/{}/{n}", &n[..1]),
        _ => format!("{}/{}/{n}", &n[..2], &n[2..4]),
    }
}

/// Makes `dir` a git repository with everything in it committed; returns its `file://` URL.
pub fn git_repo(dir: &Path) -> TestResult<String> {
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "fixture",
        ],
    ] {
        let out = Command::new("git").args(args).current_dir(dir).output()?;
        if !out.status.success() {
            return Err(format!("git {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
    }
    Ok(format!("file://{}", dir.display()))
}

/// Whether this runs under CI (`CI` set to something other than empty, `false` or `0`), where
/// a missing validator fails a test instead of skipping it.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Says that a validation did not run, on the real stderr: `eprintln!` in a test is captured
/// and shown only when the test fails, so a plain `cargo test` would hide the skip.
pub fn skipped(what: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {what}");
}

pub fn write(path: &Path, text: &str) -> TestResult {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// A fresh, empty folder under cargo's per-target temp dir (not under /tmp, so repeated runs
/// do not accumulate folders; not under the developer's home, so nothing leaks in).
pub fn fresh_dir(name: &str) -> TestResult<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The folder of a fixture that a test process builds once and shares between its tests
/// (a `OnceLock`). It is named by the process, because a runner that starts one process per
/// test (cargo-nextest) would otherwise have each process delete the fixture another one is
/// using; folders of processes that are gone are removed.
pub fn shared_dir(name: &str) -> TestResult<PathBuf> {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    let prefix = format!("{name}-pid");
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for entry in entries.flatten() {
            let file = entry.file_name();
            let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
                continue;
            };
            let gone = pid.parse::<u32>().is_ok_and(|pid| {
                cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists()
            });
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    fresh_dir(&format!("{prefix}{}", std::process::id()))
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn ok(self) -> TestResult<Out> {
        if self.code == Some(0) {
            Ok(self)
        } else {
            Err(format!("expected success, got {self:#?}").into())
        }
    }
    pub fn failed(self) -> TestResult<Out> {
        if self.code == Some(2) {
            Ok(self)
        } else {
            Err(format!("expected exit code 2, got {self:#?}").into())
        }
    }
}

/// The environment every child sees: a private CARGO_HOME, a private results cache (under it),
/// no colour from the caller's environment, and nothing from a caller's registry
/// configuration.
fn hermetic(cmd: &mut Command, cargo_home: &Path) {
    cmd.env("CARGO_HOME", cargo_home)
        .env("XDG_CACHE_HOME", cargo_home.join("results-cache"))
        .env_remove("NO_COLOR")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CARGO_REGISTRIES_CRATES_IO_PROTOCOL")
        .env_remove("CARGO_TARGET_DIR");
}

fn run(mut cmd: Command) -> TestResult<Out> {
    let out = cmd.output()?;
    Ok(Out {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout)?,
        stderr: String::from_utf8(out.stderr)?,
    })
}

/// Runs cargo itself in `dir`.
pub fn cargo(dir: &Path, cargo_home: &Path, args: &[&str]) -> TestResult<Out> {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args).current_dir(dir);
    hermetic(&mut cmd, cargo_home);
    run(cmd)
}

/// Runs the real `cargo-risk-report` binary in `dir`.
pub fn tool(dir: &Path, cargo_home: &Path, args: &[&str]) -> TestResult<Out> {
    tool_with_env(dir, cargo_home, args, &[])
}

/// [`tool`] with extra environment variables.
pub fn tool_with_env(
    dir: &Path,
    cargo_home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> TestResult<Out> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-risk-report"));
    cmd.args(args).current_dir(dir);
    hermetic(&mut cmd, cargo_home);
    cmd.envs(env.iter().copied());
    run(cmd)
}
