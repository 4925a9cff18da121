//! The scan settings through the real binary, on the shared workspace fixture: `--exclude-dev`,
//! `-p`, `--exclude` and several `--target`s, the same keys in
//! `[workspace.metadata.risk-report]` (flags win), the `settings` the report records, and a
//! delta between reports made with different settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::report::{Row, rows_from_toml};
use crate::support::{Out, TestResult, fresh_dir, tool, write};
use crate::workspace::graph;

/// Runs the tool on the shared fixture (or `dir`), writing the report to a file of its own.
fn report_in(dir: &Path, name: &str, args: &[&str]) -> TestResult<(String, Out)> {
    let g = graph()?;
    let path = fresh_dir(&format!("settings-out-{name}"))?.join("r.toml");
    let path_arg = path.to_string_lossy().into_owned();
    let mut all = vec!["--offline", "-o", &path_arg];
    all.extend(args);
    let out = tool(dir, &g.home, &all)?.ok()?;
    Ok((std::fs::read_to_string(&path)?, out))
}

fn keys(rows: &BTreeMap<String, Row>) -> Vec<&str> {
    rows.keys().map(String::as_str).collect()
}

#[test]
fn exclude_dev_leaves_out_what_only_dev_dependencies_reach() -> TestResult {
    let g = graph()?;
    let (text, _) = report_in(&g.ws, "exclude-dev", &["-q", "--exclude-dev"])?;
    let rows = rows_from_toml(&text)?;
    assert_eq!(
        keys(&rows),
        [
            "alpha@1.0.0",
            "beta@1.0.0",
            "delta@1.0.0",
            "gamma@1.0.0",
            "localdep@0.3.0",
            "shared@1.0.0",
            "winonly@1.0.0",
        ],
        "epsilon and zeta are dev-only"
    );
    assert_eq!(rows["shared@1.0.0"].dep_kinds, ["normal"], "no longer dev");
    assert!(
        text.starts_with(&format!(
            "schema_version = 1\nrules_version = {}\n\n[settings]\nexclude_dev = true\n",
            risk_analyzer::RULES_VERSION
        )),
        "{text}"
    );
    Ok(())
}

#[test]
fn package_and_exclude_choose_the_part_of_the_graph() -> TestResult {
    let g = graph()?;
    let (text, _) = report_in(&g.ws, "package", &["-q", "-p", "lib2"])?;
    assert!(
        rows_from_toml(&text)?.is_empty(),
        "lib2 has no dependencies:\n{text}"
    );
    assert!(
        text.contains("[settings]\npackages = [\"lib2\"]\n"),
        "{text}"
    );
    let (text, _) = report_in(&g.ws, "package-app", &["-q", "--package", "app"])?;
    assert_eq!(rows_from_toml(&text)?.len(), 9);

    // alpha and beta (reached only through alpha) go; shared stays, through app's dev edge.
    let (text, _) = report_in(&g.ws, "exclude", &["-q", "--exclude", "alpha@1.0.0"])?;
    let rows = rows_from_toml(&text)?;
    assert!(!rows.contains_key("alpha@1.0.0") && !rows.contains_key("beta@1.0.0"));
    assert_eq!(rows["shared@1.0.0"].dep_kinds, ["dev"]);
    assert!(text.contains("exclude = [\"alpha@1.0.0\"]"), "{text}");

    // Given after `check` too; a name that is no member is an error, an exclusion that
    // matches nothing a note.
    let out = tool(&g.ws, &g.home, &["--offline", "check", "-p", "nope"])?.failed()?;
    assert!(
        out.stderr
            .contains("-p nope: not a member of this workspace (its members: app, lib2)"),
        "{}",
        out.stderr
    );
    let (_, out) = report_in(&g.ws, "exclude-nothing", &["--exclude", "ghost"])?;
    assert!(
        out.stderr
            .contains("note: exclude `ghost` matches no package of the graph"),
        "{}",
        out.stderr
    );
    Ok(())
}

#[test]
fn several_targets_are_one_graph_and_recorded_sorted() -> TestResult {
    let g = graph()?;
    let linux = "x86_64-unknown-linux-gnu";
    let windows = "x86_64-pc-windows-msvc";
    let (text, _) = report_in(
        &g.ws,
        "targets",
        &["-q", "--target", linux, "--target", windows],
    )?;
    assert!(rows_from_toml(&text)?.contains_key("winonly@1.0.0"));
    assert!(
        text.contains(&format!(
            "[settings]\ntargets = [\"{windows}\", \"{linux}\"]\n"
        )),
        "{text}"
    );
    let (text, _) = report_in(&g.ws, "target-linux", &["-q", "--target", linux])?;
    assert!(!rows_from_toml(&text)?.contains_key("winonly@1.0.0"));
    Ok(())
}

/// A copy of the fixture workspace whose root Cargo.toml ends with `settings`; it sits beside
/// the original, so the path dependency resolves the same way.
fn configured(name: &str, settings: &str) -> TestResult<PathBuf> {
    let g = graph()?;
    let dir = g.root.join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    for file in [
        "Cargo.lock",
        "app/Cargo.toml",
        "app/src/lib.rs",
        "lib2/Cargo.toml",
        "lib2/src/lib.rs",
    ] {
        write(&dir.join(file), &std::fs::read_to_string(g.ws.join(file))?)?;
    }
    let root = std::fs::read_to_string(g.ws.join("Cargo.toml"))?;
    write(&dir.join("Cargo.toml"), &format!("{root}\n{settings}"))?;
    Ok(dir)
}

#[test]
fn the_settings_table_applies_from_any_member_folder_and_flags_win() -> TestResult {
    let dir = configured(
        "settings-table",
        "[workspace.metadata.risk-report]\ntargets = [\"x86_64-unknown-linux-gnu\"]\nexclude = [\"gamma\"]\nexclude-dev = true\nmax-entries = \"50\"\n",
    )?;
    // max-entries must be a number: the error names the file and the key.
    let g = graph()?;
    let bad = tool(&dir, &g.home, &["--offline"])?.failed()?;
    assert!(
        bad.stderr.contains("cannot use the scan settings in")
            && bad.stderr.contains("max-entries"),
        "{}",
        bad.stderr
    );
    let dir = configured(
        "settings-table",
        "[workspace.metadata.risk-report]\ntargets = [\"x86_64-unknown-linux-gnu\"]\nexclude = [\"gamma\"]\nexclude-dev = true\nmax-entries = 50\nmax-entry-bytes = \"1M\"\n",
    )?;
    // Run from a member's folder: the root's table applies.
    let (text, _) = report_in(&dir.join("app"), "table", &["-q"])?;
    let rows = rows_from_toml(&text)?;
    assert_eq!(
        keys(&rows),
        [
            "alpha@1.0.0",
            "beta@1.0.0",
            "localdep@0.3.0",
            "shared@1.0.0"
        ],
        "no dev-only, no gamma (nor delta, reached only through it), no Windows crate"
    );
    assert!(
        text.contains(
            "[settings]\ntargets = [\"x86_64-unknown-linux-gnu\"]\nexclude = [\"gamma\"]\nexclude_dev = true\nmax_entry_bytes = 1048576\nmax_entries = 50\n"
        ),
        "{text}"
    );
    // Flags win key by key.
    let (text, _) = report_in(
        &dir,
        "table-flags",
        &[
            "-q",
            "--target",
            "x86_64-pc-windows-msvc",
            "--exclude",
            "epsilon",
            "--max-entries",
            "100000",
        ],
    )?;
    let rows = rows_from_toml(&text)?;
    assert!(rows.contains_key("winonly@1.0.0") && rows.contains_key("gamma@1.0.0"));
    assert!(
        !rows.contains_key("zeta@1.0.0"),
        "exclude-dev still from the file"
    );
    assert!(text.contains("[settings]\ntargets = [\"x86_64-pc-windows-msvc\"]\nexclude = [\"epsilon\"]\nexclude_dev = true\nmax_entry_bytes = 1048576\n\n"), "{text}");

    let both = configured(
        "settings-both",
        "[package]\nname = \"root\"\nversion = \"0.1.0\"\n[package.metadata.risk-report]\n[workspace.metadata.risk-report]\n",
    )?;
    let out = tool(&both, &g.home, &["--offline"])?.failed()?;
    assert!(out.stderr.contains("keep one"), "{}", out.stderr);
    Ok(())
}

#[test]
fn a_delta_between_reports_of_different_settings_says_so_in_one_line() -> TestResult {
    let g = graph()?;
    let dir = fresh_dir("settings-delta")?;
    let all = dir.join("all.toml");
    let lean = dir.join("lean.toml");
    std::fs::write(&all, report_in(&g.ws, "delta-all", &["-q"])?.0)?;
    std::fs::write(
        &lean,
        report_in(&g.ws, "delta-lean", &["-q", "--exclude-dev"])?.0,
    )?;
    let out = tool(
        &dir,
        &g.home,
        &["diff", "all.toml", "lean.toml", "--fail-on-increase"],
    )?
    .ok()?;
    assert_eq!(
        out.stdout,
        "Dependency risk: no change.\nThe reports were made with different settings (exclude-dev: off -> on). Not listed, as the settings account for them: 2 packages only in the old report.\n"
    );
    // The other way, the dev-only packages are not "added" either, and shared's dev edge
    // is no change.
    let out = tool(
        &dir,
        &g.home,
        &["diff", "lean.toml", "all.toml", "--fail-on-increase"],
    )?
    .ok()?;
    assert_eq!(
        out.stdout,
        "Dependency risk: no change.\nThe reports were made with different settings (exclude-dev: on -> off). Not listed, as the settings account for them: 2 packages only in the new report.\n"
    );
    let md = tool(
        &dir,
        &g.home,
        &["diff", "all.toml", "lean.toml", "--format", "markdown"],
    )?
    .ok()?;
    assert!(
        md.stdout.contains(
            "\n_The reports were made with different settings (exclude-dev: off -&#62; on)."
        ),
        "{}",
        md.stdout
    );
    let json = tool(
        &dir,
        &g.home,
        &["diff", "all.toml", "lean.toml", "--format", "json"],
    )?
    .ok()?;
    let v: serde_json::Value = serde_json::from_str(&json.stdout)?;
    assert_eq!(v["settings"]["unlisted_old"], 2);
    assert_eq!(v["settings"]["changes"][0], "exclude-dev: off -> on");
    Ok(())
}

#[test]
fn a_missing_cargo_lock_is_created_with_a_note() -> TestResult {
    let g = graph()?;
    let dir = configured("settings-nolock", "")?;
    std::fs::remove_file(dir.join("Cargo.lock"))?;
    let out = tool(&dir, &g.home, &["--offline"])?.ok()?;
    assert!(
        out.stderr.contains(&format!(
            "note: there was no Cargo.lock: cargo created {}",
            dir.join("Cargo.lock").display()
        )),
        "{}",
        out.stderr
    );
    let again = tool(&dir, &g.home, &["--offline"])?.ok()?;
    assert!(!again.stderr.contains("Cargo.lock"), "{}", again.stderr);
    Ok(())
}

#[test]
fn default_paths_are_at_the_workspace_root_from_a_member_folder() -> TestResult {
    let g = graph()?;
    let dir = configured("settings-paths", "")?;
    let app = dir.join("app");
    tool(&app, &g.home, &["--offline", "-q"])?.ok()?;
    assert!(dir.join("risk-report.toml").is_file() && !app.join("risk-report.toml").exists());
    crate::support::git_repo(&dir)?;
    // git:REV looks for the root's report, wherever in the workspace diff runs.
    let out = tool(&app, &g.home, &["diff", "git:HEAD", "../risk-report.toml"])?.ok()?;
    assert_eq!(out.stdout, "Dependency risk: no change.\n");
    // An explicit path stays relative to the current directory.
    let out = tool(
        &app,
        &g.home,
        &[
            "diff",
            "git:HEAD:../risk-report.toml",
            "../risk-report.toml",
        ],
    )?
    .ok()?;
    assert_eq!(out.stdout, "Dependency risk: no change.\n");
    let out = tool(&app, &g.home, &["html", "--offline"])?.ok()?;
    assert!(dir.join("risk-report.html").is_file(), "{out:#?}");
    assert!(!app.join("risk-report.html").exists());
    assert!(
        out.stderr
            .contains(&dir.join("risk-report.html").display().to_string()),
        "{}",
        out.stderr
    );
    Ok(())
}
