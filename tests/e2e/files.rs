//! Files written like a user expects: reports, policies, dashboards and SBOMs get the mode a
//! new file of the user gets (not a temp file's 0600), a killed run's temp file does not stay
//! in the workspace for `git add -A`, and a `--cache-dir` that cannot be used says so.

use crate::support::trust::Project;
use crate::support::{TestResult, write};

#[cfg(unix)]
#[test]
fn written_files_get_the_users_mode_and_no_temp_file_stays() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new("files-mode", &[("plain", "1.0.0")])?;
    // What a run killed while writing the report leaves behind.
    write(&p.dir.join(".risk-report-Ab12Cd.tmp"), "half a report")?;
    p.run(&[])?.ok()?;
    p.run(&["init"])?.ok()?;
    p.run(&["html", "-o", "risk.html"])?.ok()?;
    p.run(&["sbom", "-o", "bom.json"])?.ok()?;

    // The mode this process's umask gives a new file; the tool runs with the same umask.
    std::fs::write(p.dir.join("probe"), "")?;
    let mode = |name: &str| -> TestResult<u32> {
        Ok(std::fs::metadata(p.dir.join(name))?.permissions().mode() & 0o777)
    };
    let expected = mode("probe")?;
    for name in [
        "risk-report.toml",
        "risk-policy.toml",
        "risk.html",
        "bom.json",
    ] {
        assert_eq!(mode(name)?, expected, "{name}: {:o}", mode(name)?);
    }
    let temps: Vec<String> = std::fs::read_dir(&p.dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".risk-report-"))
        .collect();
    assert_eq!(temps, Vec::<String>::new());
    Ok(())
}

#[test]
fn a_cache_dir_that_is_not_a_folder_is_a_warning() -> TestResult {
    let p = Project::new("files-cache", &[("plain", "1.0.0")])?;
    write(&p.dir.join("not-a-dir"), "")?;
    let out = p.run(&["--cache-dir", "not-a-dir"])?.ok()?;
    assert!(
        out.stderr.contains(
            "warning: --cache-dir not-a-dir is not a usable folder (it is not a folder); scanning without the cache"
        ),
        "{}",
        out.stderr
    );
    assert!(
        p.dir.join("risk-report.toml").is_file(),
        "the run still ran"
    );
    // A usable one is quiet.
    let out = p.run(&["--cache-dir", "cache"])?.ok()?;
    assert_eq!(out.stderr, "");
    Ok(())
}
