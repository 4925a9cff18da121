//! Writing the report: where it goes, the atomic write, and the closing summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use risk_report::model::{Package, Report};

use crate::config::{Config, Format};
use crate::plumbing::error::Error;
use crate::plumbing::pipeline::{Scanned, Stats};
use crate::term::{Paint, sanitize};

pub use crate::plumbing::reports::DEFAULT_FILE;

/// Where the report ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    File(PathBuf),
    Stdout,
}

/// Names of the temp files [`write_atomically`] writes beside its target.
const TEMP_PREFIX: &str = ".risk-report-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` through a temp file in the same directory and a rename, so a
/// reader sees the old file or the new one, never half of one, even if the run is killed.
///
/// The file gets the mode a user expects of a new file (`0666` less the umask, typically
/// `0644`), not a temp file's `0600`. The temp file is locked while it is written; a run
/// killed mid-write leaves it behind unlocked, and the next write into that folder removes
/// it, so `git add -A` does not pick it up.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    remove_stale_temps(dir);
    let mut tmp = locked_temp(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// A new temp file in `dir`, created with the user's default mode and locked. Another run's
/// [`remove_stale_temps`] may remove it between its creation and the lock: then try again.
fn locked_temp(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // open(2) applies the umask to this mode, as for any file the user creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut last = None;
    for _ in 0..3 {
        let tmp = builder.tempfile_in(dir)?;
        tmp.as_file().lock()?;
        if still_linked(&tmp) {
            return Ok(tmp);
        }
        last = Some(std::io::Error::other(
            "the temp file was removed while it was being created",
        ));
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temp file")))
}

/// Whether the temp file's path still names the file that was opened.
fn still_linked(tmp: &tempfile::NamedTempFile) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(tmp.path()), tmp.as_file().metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        tmp.path().exists()
    }
}

/// Removes the temp files a killed run left in `dir`: those no running write holds the lock
/// of. Best effort: anything that fails is left alone.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let Ok(file) = std::fs::File::open(entry.path()) else {
            continue;
        };
        // Held while locked: a write in progress. Released when its process died.
        if is_file && file.try_lock().is_ok() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The report's bytes in the chosen format.
pub fn render_report(report: &Report, format: Format) -> Result<String, String> {
    match format {
        Format::Toml => report.to_toml().map_err(|e| e.to_string()),
        // Printed on stdout: nothing in it a terminal or a CI log would act on.
        Format::Json => report
            .to_json()
            .map(|s| risk_report::sanitize::json_text(&s) + "\n")
            .map_err(|e| e.to_string()),
    }
}

/// Writes the report where the configuration says: TOML to `--output` or beside Cargo.lock;
/// JSON to stdout unless `--output` is given. Returns where it went and the report itself.
pub fn write_report(config: &Config, scanned: &Scanned) -> Result<(Written, Report), Error> {
    // cargo-vet audits, when the workspace has them, are already in each row.
    let report = scanned.report.clone();
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
            let mut caps: Vec<_> = p.capabilities.iter().collect();
            caps.sort_by_key(|c| c.rank());
            let caps: Vec<&str> = caps.iter().map(|c| c.code()).collect();
            let unsafe_n = p.unsafe_findings();
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
    risk_report::sanitize::ci_lines(&s)
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
                    emitted: false,
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
            located: Vec::new(),
            applications: Default::default(),
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
            audits: None,
            report: Report::default(),
        };
        let report = Report::build(scanned.inputs.clone());
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

    #[cfg(unix)]
    #[test]
    fn written_files_get_the_users_mode_not_a_temp_files() -> Result<(), Box<dyn std::error::Error>>
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.toml");
        write_atomically(&path, b"one")?;
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        // Whatever the umask, the group and others get what it allows of 0666; a temp file's
        // 0600 would give them nothing even under the usual 022.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"")?;
        let expected = std::fs::metadata(&probe)?.permissions().mode() & 0o777;
        assert_eq!(
            mode, expected,
            "{mode:o} vs a plain new file's {expected:o}"
        );
        Ok(())
    }

    #[test]
    fn a_killed_runs_temp_file_is_removed_and_a_running_ones_is_kept()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let stale = dir.path().join(".risk-report-AbC123.tmp");
        std::fs::write(&stale, b"half a report")?;
        let busy = dir.path().join(".risk-report-Busy99.tmp");
        std::fs::write(&busy, b"being written")?;
        let held = std::fs::File::open(&busy)?;
        held.lock()?;
        let other = dir.path().join(".risk-report-notes.txt");
        std::fs::write(&other, b"not ours")?;
        write_atomically(&dir.path().join("r.toml"), b"x")?;
        assert!(!stale.exists(), "the stale temp file is gone");
        assert!(
            busy.exists(),
            "a locked temp file belongs to a running write"
        );
        assert!(other.exists());
        drop(held);
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
