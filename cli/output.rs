//! Writing the report: where it goes, the atomic write, and the closing summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use risk_report::model::{Package, Report};

use crate::config::{Config, Format};
use crate::error::Error;
use crate::pipeline::{Scanned, Stats};
use crate::term::{Paint, sanitize};

/// The report file's default name, written beside the workspace's Cargo.lock.
pub const DEFAULT_FILE: &str = "risk-report.toml";

/// Where the report ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    File(PathBuf),
    Stdout,
}

/// Writes `bytes` to `path` through a temp file in the same directory and a rename, so a
/// reader sees the old report or the new one, never half of one, even if the run is killed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".risk-report-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// The report's bytes in the chosen format.
pub fn render_report(report: &Report, format: Format) -> Result<String, String> {
    match format {
        Format::Toml => report.to_toml().map_err(|e| e.to_string()),
        Format::Json => report
            .to_json()
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string()),
    }
}

/// Writes the report where the configuration says: TOML to `--output` or beside Cargo.lock;
/// JSON to stdout unless `--output` is given. Returns where it went and the report itself.
pub fn write_report(config: &Config, scanned: &Scanned) -> Result<(Written, Report), Error> {
    let mut report = scanned.report();
    // cargo-vet audits, when the workspace has them, show in each row.
    crate::audits::annotate_from(&mut report, &scanned.workspace_root)?;
    let text = render_report(&report, config.format).map_err(|msg| Error::Output {
        path: config.output.clone().unwrap_or_default(),
        source: std::io::Error::other(msg),
    })?;
    let target = match (&config.output, config.format) {
        (Some(path), _) => Written::File(path.clone()),
        (None, Format::Json) => Written::Stdout,
        (None, Format::Toml) => Written::File(scanned.workspace_root.join(DEFAULT_FILE)),
    };
    match &target {
        Written::File(path) => write_atomically(path, text.as_bytes())?,
        Written::Stdout => {
            write_stdout(&text)?;
        }
    }
    Ok((target, report))
}

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly, as for any filter.
pub fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        }),
    }
}

/// The few lines printed on stderr after a run.
pub fn summary(scanned: &Scanned, report: &Report, written: &Written, paint: Paint) -> String {
    let Stats {
        packages,
        verified,
        unverified,
        not_analyzed,
    } = scanned.stats;
    let mut s = format!(
        "{} {packages} {} ({verified} from verified tarballs, {unverified} unverified)",
        paint.green("Scanned"),
        if packages == 1 { "package" } else { "packages" }
    );
    if not_analyzed > 0 {
        s.push_str(&format!(
            "; {}",
            paint.yellow(&format!("{not_analyzed} could not be analyzed"))
        ));
    }
    s.push('\n');
    let skipped: usize = scanned.inputs.iter().map(|p| p.facts.skipped.len()).sum();
    if skipped > 0 {
        // Unknown is not zero: caps hit, links and traversal are not silently dropped.
        s.push_str(&format!(
            "{}\n",
            paint.yellow(&format!(
                "{skipped} tarball {} not read (links, unsafe paths, size caps): see `coverage.skipped`",
                if skipped == 1 { "entry" } else { "entries" }
            ))
        ));
    }

    // Riskiest first: what a package can do (network, processes, C, build-time code, shipped
    // binaries) before how much unsafe code it has.
    let mut top: Vec<(&String, &Package)> = report
        .packages
        .iter()
        .filter(|(_, p)| !p.capabilities.is_empty())
        .collect();
    top.sort_by_key(|(key, p)| (std::cmp::Reverse(p.risk_rank()), *key));
    if !top.is_empty() {
        s.push_str("Riskiest packages (what they can do; unsafe findings):\n");
        for (key, p) in top.iter().take(5) {
            let caps: Vec<&str> = p.capabilities.iter().map(String::as_str).collect();
            let unsafe_n: u64 = p
                .shipped
                .iter()
                .chain(&p.build)
                .filter(|(k, _)| k.family() == risk_report::facts::Family::Unsafe)
                .map(|(_, n)| n)
                .sum();
            s.push_str(&format!(
                "  {}: {}; {unsafe_n} unsafe\n",
                sanitize(key),
                sanitize(&caps.join(", "))
            ));
        }
    }
    match written {
        Written::File(path) => {
            s.push_str(&format!(
                "Report written to {}\n",
                paint.bold(&path.display().to_string())
            ));
        }
        Written::Stdout => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_summary_neutralizes_crate_names() {
        use risk_report::facts::{CrateFacts, FileFacts, Finding, Kind, SkippedEntry};
        use risk_report::model::Source;
        let facts = CrateFacts {
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                findings: vec![Finding {
                    line: 1,
                    col: 1,
                    kind: Kind::UnsafeBlock,
                    detail: None,
                    origin: Default::default(),
                    test: false,
                }],
                ..FileFacts::default()
            }],
            skipped: vec![SkippedEntry {
                path: "x".into(),
                reason: "symbolic link".into(),
            }],
            ..CrateFacts::default()
        };
        let scanned = Scanned {
            workspace_root: PathBuf::from("/w"),
            inputs: vec![risk_report::model::PackageInput {
                name: "evil\u{1b}]0;pwned\u{7}\u{202e}".into(),
                version: "1.0.0\u{1b}[2J".into(),
                source: Source::CratesIo,
                checksum: None,
                checksum_verified: true,
                dep_kinds: Default::default(),
                reached_from: Default::default(),
                workspace_member: false,
                facts,
            }],
            stats: Stats::default(),
            settings: Default::default(),
            links: Default::default(),
            notes: Vec::new(),
        };
        let report = scanned.report();
        let s = summary(
            &scanned,
            &report,
            &Written::Stdout,
            Paint { enabled: false },
        );
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\u{202e}'),
            "{s:?}"
        );
        assert!(s.contains("evil\\u{1b}]0;pwned"), "{s}");
        assert!(s.contains("1 tarball entry not read"), "{s}");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.toml");
        write_atomically(&path, b"one")?;
        write_atomically(&path, b"two")?;
        assert_eq!(std::fs::read(&path)?, b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        assert_eq!(names, vec![std::ffi::OsString::from("r.toml")]);
        Ok(())
    }

    #[test]
    fn unwritable_output_is_an_error_naming_the_path() {
        let path = Path::new("/nonexistent-dir-for-risk-report/r.toml");
        let err = write_atomically(path, b"x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("/nonexistent-dir-for-risk-report/r.toml"),
            "{err}"
        );
        assert!(err.contains("--output"), "{err}");
    }
}
