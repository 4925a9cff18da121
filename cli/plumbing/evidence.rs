//! What SARIF results point at, gathered before anything is rendered: the lockfile beside a
//! report (read from the file system, or from git at a revision) with the repository-relative
//! path results name, and the facts of the packages whose findings results locate (scanned
//! through the one [`Opener`]). The renderer in
//! `render/sarif.rs` only reads what this gives it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use risk_report::facts::CrateFacts;
use risk_report::model::Report;
use risk_report::render::sarif::LockLines;

use crate::plumbing::open::Opener;
use crate::plumbing::reports::ReportRef;

/// Each located package's facts, by (name, version).
pub type Facts = BTreeMap<(String, String), CrateFacts>;

/// Where the lockfile of a report is and what it says.
#[derive(Debug, Clone, Default)]
pub struct Lockfile {
    /// Relative to the repository root, `/`-separated.
    pub uri: String,
    pub lines: LockLines,
}

impl Lockfile {
    /// The workspace's own `Cargo.lock` (what `check` points at).
    pub fn of_workspace(root: &Path) -> Lockfile {
        let lock = root.join("Cargo.lock");
        Lockfile {
            uri: repo_relative(&lock),
            lines: LockLines::parse(&std::fs::read_to_string(&lock).unwrap_or_default()),
        }
    }

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

/// The facts of the `wanted` packages of `report`, each opened from its verified tarball
/// with the caps `report` was scanned with; a package whose tarball is absent or does not
/// verify is left out.
pub fn facts_for(report: &Report, wanted: &BTreeSet<(String, String)>, opener: &Opener) -> Facts {
    let opener = opener.for_report(report);
    wanted
        .iter()
        .filter_map(|(name, version)| {
            let p = report
                .packages
                .values()
                .find(|p| &p.name == name && &p.version == version)?;
            let opened = opener.open(name, version, p.checksum.as_deref())?;
            Some(((name.clone(), version.clone()), opened.facts))
        })
        .collect()
}
