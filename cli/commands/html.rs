//! `html [REPORT...]`: the dashboard of one report, of several (oldest first), or of every
//! committed version of the workspace's report (`--history`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use risk_report::model::Report;
use risk_report::render::html::{self, Dashboard, Snapshot};

use crate::config::{Config, HtmlArgs};
use crate::output::{DEFAULT_FILE, write_atomically};
use crate::plumbing::error::{Error, FileProblem, with_causes};
use crate::plumbing::paths::Links;
use crate::plumbing::reports::{self as delta, ReportRef};
use crate::plumbing::session::Session;

/// The page's default name, at the workspace root.
pub const DEFAULT_HTML: &str = "risk-report.html";

/// One loaded report and how the page names it.
struct Loaded {
    label: String,
    detail: String,
    report: Report,
}

/// Writes the dashboard; returns where it went and how many reports it shows. The
/// dependency paths come from the session's graph.
pub fn run(
    config: &Config,
    args: &HtmlArgs,
    session: &Session,
    note: &dyn Fn(&str),
) -> Result<(PathBuf, usize), Error> {
    // The workspace is looked at only when no report was named, or --manifest-path says
    // which one: the dependency paths then come from its graph.
    let implicit = args.reports.is_empty();
    let root = if implicit || config.options.manifest_path.is_some() {
        Some(workspace_root(config.options.manifest_path.as_deref())?)
    } else {
        None
    };
    let default_report = root.as_ref().map(|r| r.join(DEFAULT_FILE));
    let mut loaded = Vec::new();
    if args.history {
        let file = match (args.reports.as_slice(), &default_report) {
            ([one], _) => PathBuf::from(one),
            ([], Some(d)) => d.clone(),
            _ => {
                return Err(Error::Usage(
                    "--history follows one report file through git: give at most one".to_owned(),
                ));
            }
        };
        loaded = history(&file, note)?;
    } else if implicit {
        if let Some(path) = default_report {
            loaded.push(load(&path.display().to_string(), &path)?);
        }
    } else {
        let base = root.clone().unwrap_or_else(|| session.root());
        for r in &args.reports {
            let label = match ReportRef::parse(r, &base) {
                ReportRef::File(p) => p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| r.clone()),
                ReportRef::Git { rev, .. } => rev,
            };
            let report = delta::load(&ReportRef::parse(r, &base))?;
            loaded.push(Loaded {
                label,
                detail: r.clone(),
                report,
            });
        }
    }
    let paths = match &root {
        Some(_) => match session.workspace() {
            Ok(ws) => Links::from_graph(&ws.graph).shortest_paths(),
            Err(e) => {
                note(&format!(
                    "no dependency paths (the dependency graph could not be read): {}",
                    with_causes(&e)
                ));
                BTreeMap::new()
            }
        },
        None => BTreeMap::new(),
    };
    let title = args.title.clone().unwrap_or_else(|| {
        root.as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "cargo-risk-report".to_owned())
    });
    let dashboard = Dashboard {
        title,
        generator: format!("cargo-risk-report {}", env!("CARGO_PKG_VERSION")),
        snapshots: loaded
            .iter()
            .map(|l| Snapshot {
                label: l.label.clone(),
                detail: l.detail.clone(),
                report: &l.report,
            })
            .collect(),
        paths,
    };
    // Beside the workspace's report, wherever in the workspace the command runs.
    let out_path = args.output.clone().unwrap_or_else(|| {
        root.clone()
            .unwrap_or_else(|| session.root())
            .join(DEFAULT_HTML)
    });
    let mut bytes = Vec::new();
    html::render(&dashboard, &mut bytes).map_err(|source| Error::Output {
        path: out_path.clone(),
        source,
    })?;
    write_atomically(&out_path, &bytes)?;
    Ok((out_path, loaded.len()))
}

fn load(label: &str, path: &Path) -> Result<Loaded, Error> {
    Ok(Loaded {
        label: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| label.to_owned()),
        detail: label.to_owned(),
        report: delta::load(&ReportRef::File(path.to_owned()))?,
    })
}

/// The workspace root by cargo's rule, found without running cargo (the folder of the root
/// manifest, as the scan settings find it).
fn workspace_root(manifest_path: Option<&Path>) -> Result<PathBuf, Error> {
    crate::plumbing::settings::root_manifest(manifest_path)
        .filter(|m| m.is_file())
        .and_then(|m| m.parent().map(Path::to_owned))
        .ok_or_else(|| crate::plumbing::cargo::not_a_project(manifest_path))
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|source| Error::GitNotRun {
            spec: args.join(" "),
            source,
        })?;
    if !out.status.success() {
        return Err(Error::Git {
            spec: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(out.stdout)
}

/// The report as committed at each commit that changed it, oldest first, then the working
/// tree's copy when it differs from the last commit. Versions that cannot be read (another
/// schema version, say) are skipped with a note: the trend shows what can be compared.
fn history(file: &Path, note: &dyn Fn(&str)) -> Result<Vec<Loaded>, Error> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DEFAULT_FILE.to_owned());
    let log = git(
        &dir,
        &["log", "--format=%H%x1f%h%x1f%cs%x1f%s", "--", &name],
    )?;
    let log = String::from_utf8_lossy(&log);
    let mut out = Vec::new();
    let mut last_text = None;
    for line in log.lines().rev() {
        let mut f = line.split('\u{1f}');
        let (Some(hash), Some(short), Some(date), subject) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let spec = format!("{hash}:./{name}");
        let text = match git(&dir, &["show", &spec]) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            // Deleted in this commit: nothing to chart.
            Err(_) => continue,
        };
        match Report::parse(&text) {
            Ok(report) => out.push(Loaded {
                label: short.to_owned(),
                detail: format!("{date} {}", subject.unwrap_or("")),
                report,
            }),
            Err(e) => note(&format!("skipping {name} at {short}: {}", with_causes(&e))),
        }
        last_text = Some(text);
    }
    if let Ok(now) = std::fs::read_to_string(file)
        && last_text.as_deref() != Some(now.as_str())
    {
        match Report::parse(&now) {
            Ok(report) => out.push(Loaded {
                label: "working tree".to_owned(),
                detail: "uncommitted".to_owned(),
                report,
            }),
            Err(e) => note(&format!(
                "skipping the working tree's {name}: {}",
                with_causes(&e)
            )),
        }
    }
    if out.is_empty() {
        return Err(Error::BadReport {
            what: file.display().to_string(),
            problem: FileProblem::NoReadableVersion,
        });
    }
    Ok(out)
}
