//! Reading reports: a file, or `git:REV[:PATH]` (the report as committed), parsed and
//! checked, for `diff`, `html` and the delta printed before a report is replaced.

use std::path::{Path, PathBuf};
use std::process::Command;

use risk_report::model::Report;

use super::error::{Error, FileProblem};

/// The report's file name, beside the workspace's Cargo.lock unless `--output` says otherwise.
pub const DEFAULT_FILE: &str = "risk-report.toml";

/// Reports over this size are refused before parsing: a real one is a few MB for a thousand
/// packages.
const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Where a report comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRef {
    File(PathBuf),
    /// `git:REV[:PATH]`: the report as committed at REV. `PATH` is relative to `dir`, where
    /// git runs: the current directory for a path given, the workspace root for the default
    /// `risk-report.toml` (the same rule as every other default path).
    Git {
        rev: String,
        path: String,
        dir: PathBuf,
    },
}

impl ReportRef {
    /// `root` is the workspace root, where the default report lives.
    pub fn parse(s: &str, root: &Path) -> ReportRef {
        match s.strip_prefix("git:") {
            Some(rest) => {
                let (rev, path, dir) = match rest.split_once(':') {
                    Some((rev, path)) => (rev, path, PathBuf::from(".")),
                    None => (rest, DEFAULT_FILE, root.to_owned()),
                };
                ReportRef::Git {
                    rev: rev.to_owned(),
                    path: path.to_owned(),
                    dir,
                }
            }
            None => ReportRef::File(PathBuf::from(s)),
        }
    }

    fn describe(&self) -> String {
        match self {
            ReportRef::File(p) => p.display().to_string(),
            ReportRef::Git { rev, path, dir } if dir.as_os_str() == "." => {
                format!("{path} at git revision {rev}")
            }
            ReportRef::Git { rev, path, dir } => {
                format!("{} at git revision {rev}", dir.join(path).display())
            }
        }
    }
}

/// The workspace root by cargo's rule from `manifest_path` (`--manifest-path`), found without
/// running cargo (the folder of the root manifest); the current directory outside a Cargo
/// project.
pub fn default_root(manifest_path: Option<&Path>) -> PathBuf {
    super::settings::root_manifest(manifest_path)
        .and_then(|m| m.parent().map(Path::to_owned))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Reads and parses a report.
pub fn load(r: &ReportRef) -> Result<Report, Error> {
    let text = match r {
        ReportRef::File(path) => read_file(path)?,
        ReportRef::Git { rev, path, dir } => git_show(rev, path, dir)?,
    };
    // the parser's error is kept as the cause; its message, which quotes the file, is
    // escaped and cut where causes are printed (`error::with_causes`)
    Report::parse(&text).map_err(|source| Error::Report {
        what: r.describe(),
        source,
    })
}

fn read_file(path: &Path) -> Result<String, Error> {
    let read_err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.len() > MAX_REPORT_BYTES {
        return Err(Error::BadReport {
            what: path.display().to_string(),
            problem: FileProblem::TooLarge {
                bytes: meta.len(),
                limit: MAX_REPORT_BYTES,
            },
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    utf8(bytes, path.display().to_string())
}

/// `git show REV:./PATH` in `dir`: the `./` makes PATH relative to that directory.
fn git_show(rev: &str, path: &str, dir: &Path) -> Result<String, Error> {
    let spec = if path.starts_with('/') || path.starts_with("./") {
        format!("{rev}:{path}")
    } else {
        format!("{rev}:./{path}")
    };
    let out = Command::new("git")
        .args(["show", &spec])
        .current_dir(dir)
        .output()
        .map_err(|source| Error::GitNotRun {
            spec: spec.clone(),
            source,
        })?;
    if !out.status.success() {
        return Err(Error::Git {
            spec,
            message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    if out.stdout.len() as u64 > MAX_REPORT_BYTES {
        return Err(Error::BadReport {
            what: spec,
            problem: FileProblem::TooLarge {
                bytes: out.stdout.len() as u64,
                limit: MAX_REPORT_BYTES,
            },
        });
    }
    utf8(out.stdout, spec)
}

/// A report's bytes as text, or [`FileProblem::NotUtf8`] naming `what` was read.
fn utf8(bytes: Vec<u8>, what: String) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| Error::BadReport {
        what,
        problem: FileProblem::NotUtf8(e.utf8_error().valid_up_to()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::{tidy, with_causes};

    #[test]
    fn parser_messages_are_escaped_and_cut() {
        let msg = format!(
            "line 1\n2 | x = \"\u{1b}]0;pwned\u{7}{}\n  |     ^",
            "a".repeat(500)
        );
        let t = tidy(&msg);
        assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t}");
        assert_eq!(t.lines().count(), 3);
        assert!(t.lines().all(|l| l.chars().count() <= 203), "{t}");
    }

    #[test]
    fn a_report_that_does_not_parse_keeps_the_parser_error_and_prints_it_escaped_and_cut()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::error::Error as _;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.toml");
        let line = format!("x = \"\u{1b}]0;pwned\u{7}{}", "a".repeat(500));
        std::fs::write(&path, &line)?;
        let err = load(&ReportRef::File(path.clone()))
            .err()
            .ok_or("it parses")?;
        // typed where it is made, the TOML parser's error kept as the cause
        let read = err
            .source()
            .and_then(|s| s.downcast_ref::<risk_report::model::ReadError>())
            .ok_or("no ReadError cause")?;
        assert!(
            matches!(read, risk_report::model::ReadError::Syntax(_)),
            "{read:?}"
        );
        assert!(read.source().is_some_and(|s| s.is::<toml::de::Error>()));
        // printed once, escaped and cut
        let printed = with_causes(&err);
        assert!(
            printed.starts_with(&format!(
                "cannot read the report {}: not valid TOML: ",
                path.display()
            )),
            "{printed}"
        );
        assert!(
            !printed.contains('\u{1b}') && !printed.contains('\u{7}'),
            "{printed}"
        );
        assert!(printed.contains("\\u{1b}]0;pwned"), "{printed}");
        assert!(
            printed.lines().skip(1).all(|l| l.chars().count() <= 203),
            "{printed}"
        );
        assert!(!printed.contains(&"a".repeat(250)), "{printed}");
        Ok(())
    }

    #[test]
    fn git_refs_default_to_the_report_file() {
        let root = Path::new("/ws");
        assert_eq!(
            ReportRef::parse("git:origin/main", root),
            ReportRef::Git {
                rev: "origin/main".into(),
                path: DEFAULT_FILE.into(),
                dir: root.to_owned(),
            }
        );
        assert_eq!(
            ReportRef::parse("git:HEAD~2:sub/r.toml", root),
            ReportRef::Git {
                rev: "HEAD~2".into(),
                path: "sub/r.toml".into(),
                dir: PathBuf::from("."),
            }
        );
        assert_eq!(
            ReportRef::parse("r.toml", root),
            ReportRef::File(PathBuf::from("r.toml"))
        );
    }
}
