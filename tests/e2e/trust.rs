//! cargo-vet audits and typosquats through the real binary: audit rows in the report, the
//! delta's "no new risk" vs "risk increased" marks, and look-alike names in `check` and the
//! delta.

use crate::support::report::rows_from_toml;
use crate::support::trust::Project;
use crate::support::{TestResult, tool, write};

const AUDITS: &str = r#"
[criteria.reviewed-by-us]
description = "read by the team"
implies = "safe-to-deploy"

[[audits.netty]]
who = "Ann"
criteria = "reviewed-by-us"
version = "1.0.0"

[[audits.netty]]
who = "Ann"
criteria = "safe-to-deploy"
delta = "1.0.0 -> 2.0.0"

[[audits.plain]]
who = "Bob"
criteria = "safe-to-deploy"
version = "1.0.0"

[[audits.grows]]
who = "Bob"
criteria = "safe-to-run"
version = "1.0.0"
"#;

const IMPORTS: &str = r#"
[[audits.friends.audits.newdep]]
who = "Someone Else"
criteria = "safe-to-run"
version = "1.0.0"
"#;

fn criteria(
    rows: &std::collections::BTreeMap<String, crate::support::report::Row>,
    key: &str,
) -> Vec<String> {
    rows[key]
        .package
        .audit
        .as_ref()
        .map(|a| a.criteria.iter().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn audits_show_in_rows_and_mark_bumps_in_the_delta() -> TestResult {
    let p = Project::new(
        "vet",
        &[("netty", "1.0.0"), ("plain", "1.0.0"), ("grows", "1.0.0")],
    )?;
    write(&p.dir.join("supply-chain/audits.toml"), AUDITS)?;
    write(&p.dir.join("supply-chain/imports.lock"), IMPORTS)?;
    p.run(&[])?.ok()?;
    let before = std::fs::read_to_string(p.dir.join("risk-report.toml"))?;
    std::fs::write(p.dir.join("old.toml"), &before)?;
    let rows = rows_from_toml(&before)?;
    assert_eq!(
        criteria(&rows, "netty@1.0.0"),
        ["reviewed-by-us", "safe-to-deploy", "safe-to-run"]
    );
    assert_eq!(
        rows["netty@1.0.0"]
            .package
            .audit
            .as_ref()
            .and_then(|a| a.from.clone()),
        None
    );
    assert_eq!(criteria(&rows, "grows@1.0.0"), ["safe-to-run"]);

    p.set_deps(&[("netty", "2.0.0"), ("plain", "1.1.0"), ("grows", "1.1.0")])?;
    p.run(&[])?.ok()?;
    let after = std::fs::read_to_string(p.dir.join("risk-report.toml"))?;
    let rows = rows_from_toml(&after)?;
    // Certified through the delta 1.0.0 -> 2.0.0, for the delta's criteria only.
    let netty = rows["netty@2.0.0"]
        .package
        .audit
        .clone()
        .ok_or("netty audit")?;
    assert_eq!(netty.from.as_deref(), Some("1.0.0"));
    assert_eq!(
        criteria(&rows, "netty@2.0.0"),
        ["safe-to-deploy", "safe-to-run"]
    );
    assert_eq!(
        criteria(&rows, "newdep@1.0.0"),
        ["safe-to-run"],
        "imported audit"
    );
    assert!(rows["plain@1.1.0"].package.audit.is_none());

    let out = tool(&p.dir, &p.home, &["diff", "old.toml", "risk-report.toml"])?.ok()?;
    let text = &out.stdout;
    for want in [
        "     audit: audited for safe-to-deploy, safe-to-run (delta chain from 1.0.0)\n",
        "     audit: bump of an audited crate with no new risk (1.0.0 audited for safe-to-deploy, safe-to-run): a delta audit 1.0.0 -> 1.1.0 should be quick\n",
        "     audit: risk increased since the last audited version 1.0.0 (safe-to-run): review the delta 1.0.0 -> 1.1.0\n",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let out = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "old.toml",
            "risk-report.toml",
            "--format",
            "markdown",
        ],
    )?
    .ok()?;
    assert!(
        out.stdout
            .contains("- audit: bump of an audited crate with no new risk"),
        "{}",
        out.stdout
    );

    // A broken audits file is an error that names it, not a silent "unaudited".
    write(
        &p.dir.join("supply-chain/audits.toml"),
        "[[audits.x]]\nversion = 1\n",
    )?;
    let out = p.run(&[])?.failed()?;
    assert!(out.stderr.contains("supply-chain"), "{}", out.stderr);
    Ok(())
}

#[test]
fn typosquats_are_flagged_and_families_are_not() -> TestResult {
    let p = Project::new("squat", &[("serde", "1.0.0"), ("serde_json", "1.0.0")])?;
    p.policy("[policy]\ndefault = \"allow\"\n\n[capabilities]\ntyposquat = \"deny\"\n")?;
    p.run(&["check"])?.ok()?;
    p.run(&[])?.ok()?;
    std::fs::copy(p.dir.join("risk-report.toml"), p.dir.join("old.toml"))?;

    p.set_deps(&[
        ("serde", "1.0.0"),
        ("serde_json", "1.0.0"),
        ("serde_jsno", "1.0.0"),
    ])?;
    let out = p.run(&["check"])?.objected()?;
    let text = &out.stdout;
    assert!(
        text.contains("error: serde_jsno 1.0.0\n  deny typosquat: not granted\n      name `serde_jsno` is one adjacent swap from `serde_json` (a widely used crate)\n"),
        "{text}"
    );
    assert!(!text.contains("error: serde "), "{text}");
    assert!(!text.contains("error: serde_json"), "{text}");

    // Loudly in the delta: a headline of its own, and the policy mark.
    p.run(&[])?.ok()?;
    let out = tool(&p.dir, &p.home, &["diff", "old.toml", "risk-report.toml"])?.ok()?;
    let text = &out.stdout;
    assert!(
        text.contains("!  serde_jsno 1.0.0 (added): possible typosquat: name is one adjacent swap from `serde_json` (a widely used crate)"),
        "{text}"
    );
    assert!(
        text.contains("     policy: deny typosquat: not granted\n"),
        "{text}"
    );
    assert!(
        text.contains("Policy: 1 change violates it (1 denied).\n"),
        "{text}"
    );
    // Explicit --policy works from anywhere; a bad one is an error.
    let out = tool(
        &p.dir,
        &p.home,
        &[
            "diff",
            "old.toml",
            "risk-report.toml",
            "--policy",
            "nope.toml",
        ],
    )?
    .failed()?;
    assert!(out.stderr.contains("nope.toml"), "{}", out.stderr);
    Ok(())
}
