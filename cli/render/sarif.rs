//! `diff --format sarif`: where the results point. The lockfile beside the new report gives
//! each package's line; the package's tarball, when it is in the cargo cache, gives the crate
//! file and line of the findings named in each message. The SARIF itself is written by
//! `risk_report::render::sarif`, which a policy check can reuse with its own results.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use risk_analyzer::{Limits, archive, scan_unpacked};
use risk_report::diff::ReportDiff;
use risk_report::facts::{CrateFacts, Kind, Role};
use risk_report::model::Report;
use risk_report::render::sarif::{self, LockLines, Target};

use crate::plumbing::cargo_config;
use crate::plumbing::locate::{self, Locator};
use crate::plumbing::reports::ReportRef;
use crate::plumbing::scan::read_verified;

/// Where the lockfile of a report is and what it says.
#[derive(Debug, Clone, Default)]
pub struct Lockfile {
    /// Relative to the repository root, `/`-separated.
    pub uri: String,
    pub lines: LockLines,
}

impl Lockfile {
    /// The `Cargo.lock` beside the report: in the same folder for a file, at the same
    /// revision for `git:REV:PATH`. Missing, results still name `Cargo.lock`, without a line.
    pub fn beside(r: &ReportRef) -> Lockfile {
        match r {
            ReportRef::File(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
                    _ => PathBuf::from("."),
                };
                let lock = dir.join("Cargo.lock");
                let text = std::fs::read_to_string(&lock).unwrap_or_default();
                Lockfile {
                    uri: repo_relative(&lock),
                    lines: LockLines::parse(&text),
                }
            }
            ReportRef::Git {
                rev,
                path,
                dir: cwd,
            } => {
                let dir = Path::new(path).parent().unwrap_or(Path::new(""));
                let lock = dir.join("Cargo.lock");
                let spec = format!("{rev}:./{}", slashes(&lock));
                let text = Command::new("git")
                    .args(["show", &spec])
                    .current_dir(cwd)
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default();
                Lockfile {
                    uri: format!("{}{}", git_prefix(cwd), slashes(&lock)),
                    lines: LockLines::parse(&text),
                }
            }
        }
    }
}

fn slashes(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// `git rev-parse --show-prefix` in `dir`: its path inside the repository, with a trailing
/// `/`, or empty at the root or outside git.
fn git_prefix(dir: &Path) -> String {
    Command::new("git")
        .args(["rev-parse", "--show-prefix"])
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The lockfile's path relative to the root of the git repository holding it; its path as
/// given (relative paths) or just `Cargo.lock` (absolute ones) outside git.
fn repo_relative(lock: &Path) -> String {
    let dir = lock.parent().unwrap_or(Path::new("."));
    let toplevel = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let absolute = std::fs::canonicalize(dir).ok();
    if let (Some(top), Some(abs)) = (toplevel, absolute)
        && let Ok(top) = std::fs::canonicalize(top)
        && let Ok(rel) = abs.strip_prefix(&top)
    {
        let rel = slashes(rel);
        return if rel.is_empty() {
            "Cargo.lock".to_owned()
        } else {
            format!("{rel}/Cargo.lock")
        };
    }
    if lock.is_absolute() {
        "Cargo.lock".to_owned()
    } else {
        slashes(lock)
    }
}

/// Most finding locations scanned for per package: enough for a message.
const LOCATIONS: usize = 20;

/// Finding locations of the packages of `report`, read from verified tarballs in the cargo
/// cache, each package scanned at most once.
struct Finder<'a> {
    report: &'a Report,
    locator: Locator,
    scanned: RefCell<BTreeMap<(String, String), Option<CrateFacts>>>,
}

impl Finder<'_> {
    fn facts(&self, name: &str, version: &str) -> Option<CrateFacts> {
        let key = (name.to_owned(), version.to_owned());
        if let Some(done) = self.scanned.borrow().get(&key) {
            return done.clone();
        }
        let facts = self.scan(name, version);
        self.scanned.borrow_mut().insert(key, facts.clone());
        facts
    }

    fn scan(&self, name: &str, version: &str) -> Option<CrateFacts> {
        let p = self
            .report
            .packages
            .values()
            .find(|p| p.name == name && p.version == version)?;
        let candidates = self.locator.tarballs(name, version);
        let read = read_verified(name, version, &candidates, p.checksum.as_deref()).ok()?;
        if !read.verified {
            return None;
        }
        let root = format!("{name}-{version}");
        let unpacked =
            archive::read_crate_tarball(&read.bytes, Some(&root), &Limits::default()).ok()?;
        Some(scan_unpacked(&unpacked))
    }

    fn locate(&self, name: &str, version: &str, kinds: &[Kind]) -> Vec<String> {
        let Some(facts) = self.facts(name, version) else {
            return Vec::new();
        };
        let mut at = Vec::new();
        for f in facts.files.iter().filter(|f| f.role != Role::Test) {
            for x in f
                .findings
                .iter()
                .filter(|x| !x.test && kinds.contains(&x.kind))
            {
                if at.len() < LOCATIONS {
                    at.push(format!("{}:{}", f.path, x.line));
                }
            }
        }
        at
    }
}

/// Writes the delta as SARIF, pointing into the lockfile beside the new report.
pub fn render_diff(
    d: &ReportDiff,
    new: &Report,
    lockfile: &Lockfile,
    out: &mut impl Write,
) -> std::io::Result<()> {
    // The cargo cache and the local registries configured for the current directory.
    let home = locate::cargo_home();
    let cwd = std::env::current_dir().ok();
    let starts: Vec<&Path> = cwd.iter().map(PathBuf::as_path).collect();
    let files = cargo_config::config_files(&starts, home.as_deref());
    let finder = Finder {
        report: new,
        locator: Locator::new(home.as_deref(), cargo_config::local_registries(&files)),
        scanned: RefCell::new(BTreeMap::new()),
    };
    let results = sarif::results_from_diff(d, &|name, version, kinds| {
        finder.locate(name, version, kinds)
    });
    let target = Target {
        tool_version: env!("CARGO_PKG_VERSION"),
        lockfile_uri: &lockfile.uri,
        lock_lines: &lockfile.lines,
    };
    sarif::render(&results, &target, out)
}

/// `check --format sarif`: one result per violation, pointing at the package's line in the
/// workspace's Cargo.lock.
pub fn render_check(
    eval: &risk_policy::Evaluation,
    locations: &risk_policy::render::Locations,
    workspace_root: &Path,
) -> Result<String, crate::plumbing::error::Error> {
    let lock = workspace_root.join("Cargo.lock");
    let lockfile = Lockfile {
        uri: repo_relative(&lock),
        lines: LockLines::parse(&std::fs::read_to_string(&lock).unwrap_or_default()),
    };
    let target = Target {
        tool_version: env!("CARGO_PKG_VERSION"),
        lockfile_uri: &lockfile.uri,
        lock_lines: &lockfile.lines,
    };
    let results = risk_policy::export::sarif_results(eval, locations);
    let mut out = Vec::new();
    sarif::render_with(&results, &risk_policy::export::rules(), &target, &mut out).map_err(
        |source| crate::plumbing::error::Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        },
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
