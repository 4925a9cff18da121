//! `check` and `init` through the real binary: grants, ranges, expiry, "allowed to exist",
//! exit codes, and `init` then `check` on the same graph.

use crate::support::TestResult;
use crate::support::trust::Project;

/// The fixture crates carry no `.cargo_vcs_info.json`; most tests are not about that.
const QUIET_VCS: &str = "[capabilities]\nno-vcs-info = \"allow\"\n";

#[test]
fn a_grant_allows_and_a_missing_one_fails_with_evidence_and_the_grant_to_add() -> TestResult {
    let p = Project::new("grant", &[("netty", "1.0.0"), ("plain", "1.0.0")])?;
    p.policy(QUIET_VCS)?;
    let out = p.run(&["check"])?.objected()?;
    let text = &out.stdout;
    for want in [
        "error: netty 1.0.0\n",
        "  deny net: not granted\n",
        "      shipped code: net x1\n",
        "      at src/lib.rs:2:",
        "         | let _ = std::net::TcpStream::connect(\"127.0.0.1:9\");\n",
        "  to allow it, add to risk-policy.toml:\n    [[grant.netty]]\n    version = \"^1\"\n    allow = [\"net\"]\n",
        "risk-policy.toml: 1 package denied, 0 with warnings only, 2 checked.\n",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    assert!(!text.contains("plain"), "plain has no capability:\n{text}");
    assert!(
        !p.dir.join("risk-report.toml").exists(),
        "check writes no report"
    );

    p.policy(&format!(
        "{QUIET_VCS}\n[[grant.netty]]\nallow = [\"net\"]\nreason = \"talks to the daemon\"\n"
    ))?;
    let out = p.run(&["check"])?.ok()?;
    assert_eq!(
        out.stdout,
        "risk-policy.toml: 2 packages checked, no violations.\n"
    );
    Ok(())
}

#[test]
fn a_version_range_stops_matching_after_an_update() -> TestResult {
    let p = Project::new("range", &[("netty", "1.0.0")])?;
    p.policy(&format!(
        "{QUIET_VCS}\n[[grant.netty]]\nversion = \"^1\"\nallow = [\"net\"]\n"
    ))?;
    p.run(&["check"])?.ok()?;
    p.set_deps(&[("netty", "2.0.0")])?;
    let out = p.run(&["check"])?.objected()?;
    assert!(
        out.stdout
            .contains("  deny net: grant.netty (^1) does not cover this version\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("version = \"^2\""), "{}", out.stdout);
    Ok(())
}

#[test]
fn an_expired_grant_no_longer_allows() -> TestResult {
    let p = Project::new("expiry", &[("netty", "1.0.0")])?;
    let grant = |date: &str| {
        format!("{QUIET_VCS}\n[[grant.netty]]\nallow = [\"net\"]\nexpires = \"{date}\"\n")
    };
    p.policy(&grant("2000-01-01"))?;
    let out = p.run(&["check"])?.objected()?;
    assert!(
        out.stdout
            .contains("  deny net: grant.netty expired on 2000-01-01\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("note: grant.netty: expired on 2000-01-01\n"),
        "{}",
        out.stdout
    );
    p.policy(&grant("2999-12-31"))?;
    p.run(&["check"])?.ok()?;
    Ok(())
}

#[test]
fn allowed_to_exist_mode_fails_on_a_new_transitive_crate() -> TestResult {
    let p = Project::new("exist", &[("plain", "1.0.0")])?;
    p.policy(&format!(
        "[policy]\nunlisted-crates = \"deny\"\n\n{QUIET_VCS}\n[[grant.plain]]\nallow = []\n"
    ))?;
    p.run(&["check"])?.ok()?;
    // plain 1.1.0 brings newdep along: nobody has looked at it yet.
    p.set_deps(&[("plain", "1.1.0")])?;
    let out = p.run(&["check"])?.objected()?;
    let text = &out.stdout;
    assert!(text.contains("error: newdep 1.0.0\n"), "{text}");
    assert!(
        text.contains("  deny unlisted: no grant lists this crate\n"),
        "{text}"
    );
    assert!(
        text.contains("    [[grant.newdep]]\n    version = \"^1\"\n    allow = []\n"),
        "{text}"
    );
    assert!(!text.contains("error: plain"), "{text}");
    Ok(())
}

#[test]
fn warn_exits_zero_deny_exits_one_errors_exit_two() -> TestResult {
    let p = Project::new("verbs", &[("netty", "1.0.0")])?;
    p.policy("[capabilities]\nnet = \"warn\"\nno-vcs-info = \"warn\"\n")?;
    let out = p.run(&["check"])?.ok()?;
    assert!(
        out.stdout.contains("warning: netty 1.0.0\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  warn net: not granted\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  warn no-vcs-info: not granted\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("0 packages denied, 1 with warnings only"),
        "{}",
        out.stdout
    );

    p.policy("[capabilities]\nnet = \"deny\"\nno-vcs-info = \"warn\"\n")?;
    let out = p.run(&["check"])?.objected()?;
    assert!(
        out.stdout.contains("error: netty 1.0.0\n"),
        "{}",
        out.stdout
    );

    p.policy("[capabilities]\nnetwork = \"deny\"\n")?;
    let out = p.run(&["check"])?.failed()?;
    assert!(
        out.stderr.contains("unknown capability `network`"),
        "{}",
        out.stderr
    );

    std::fs::remove_file(p.dir.join("risk-policy.toml"))?;
    let out = p.run(&["check"])?.failed()?;
    assert!(
        out.stderr.contains("cargo risk-report init"),
        "{}",
        out.stderr
    );
    Ok(())
}

#[test]
fn init_then_check_passes_and_a_new_capability_fails_naming_the_grant() -> TestResult {
    let p = Project::new(
        "init",
        &[
            ("netty", "1.0.0"),
            ("plain", "1.1.0"),
            ("grows", "1.0.0"),
            ("serde_jsno", "1.0.0"),
        ],
    )?;
    p.run(&["init"])?.ok()?;
    let policy = p.policy_text()?;
    for want in [
        "# ---- Network and process spawning (1) ----",
        "[[grant.netty]]\nversion = \"^1\"\nallow = [\"net\", \"no-vcs-info\"]\n",
        "[[grant.serde_jsno]]\nversion = \"^1\"\nallow = [\"no-vcs-info\", \"typosquat\"]\n",
        "unlisted-crates = \"allow\"",
    ] {
        assert!(policy.contains(want), "{want:?} missing from:\n{policy}");
    }
    let out = p.run(&["check"])?.ok()?;
    assert_eq!(
        out.stdout,
        "risk-policy.toml: 5 packages checked, no violations.\n"
    );

    let out = p.run(&["init"])?.failed()?;
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    p.run(&["init", "--force", "--deny-unlisted"])?.ok()?;
    assert!(p.policy_text()?.contains("[[grant.plain]]"));
    p.run(&["check"])?.ok()?;

    // The update gives grows a new power: the check names the grant to add.
    p.set_deps(&[
        ("netty", "1.0.0"),
        ("plain", "1.1.0"),
        ("grows", "1.1.0"),
        ("serde_jsno", "1.0.0"),
    ])?;
    let out = p.run(&["check"])?.objected()?;
    let text = &out.stdout;
    assert!(
        text.contains("error: grows 1.1.0\n  deny process: not granted\n"),
        "{text}"
    );
    assert!(
        text.contains("    [[grant.grows]]\n    version = \"^1\"\n    allow = [\"process\"]\n"),
        "{text}"
    );
    assert!(
        text.contains("         | let _ = std::process::Command::new(\"sh\").status();\n"),
        "{text}"
    );
    Ok(())
}

#[test]
fn check_colours_its_levels_when_asked_by_flag_or_cargo_term_color() -> TestResult {
    let p = Project::new("colour", &[("netty", "1.0.0")])?;
    p.policy("[capabilities]\nno-vcs-info = \"allow\"\nnet = \"deny\"\n")?;
    // after the one line that says why the check fails
    const RED: &str = "denied: netty net\n\x1b[1;31merror:\x1b[0m netty 1.0.0\n";
    let flag = p.run(&["check", "--color", "always"])?.objected()?;
    assert!(flag.stdout.starts_with(RED), "{:?}", flag.stdout);
    let env = p
        .run_with_env(&["check"], &[("CARGO_TERM_COLOR", "always")])?
        .objected()?;
    assert!(env.stdout.starts_with(RED), "{:?}", env.stdout);
    // The flag wins over the environment; a pipe gets no colour by default.
    let never = p
        .run_with_env(
            &["check", "--color", "never"],
            &[("CARGO_TERM_COLOR", "always")],
        )?
        .objected()?;
    assert!(
        never
            .stdout
            .starts_with("denied: netty net\nerror: netty 1.0.0\n"),
        "{:?}",
        never.stdout
    );
    let plain = p.run(&["check"])?.objected()?;
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
    // cargo's setting reaches the delta too.
    let diff = p.run_with_env(
        &["diff", "risk-policy.toml", "risk-policy.toml"],
        &[("CARGO_TERM_COLOR", "always")],
    )?;
    assert_eq!(diff.code, Some(2), "not reports: {diff:#?}");
    assert!(
        diff.stderr.starts_with("\x1b[1;31merror:\x1b[0m"),
        "{:?}",
        diff.stderr
    );
    Ok(())
}

#[test]
fn check_prints_json_or_sarif_and_the_inclusion_path() -> TestResult {
    let p = Project::new("formats", &[("netty", "1.0.0"), ("plain", "1.1.0")])?;
    p.policy(
        "[policy]\nunlisted-crates = \"warn\"\n\n[capabilities]\nno-vcs-info = \"allow\"\nnet = \"deny\"\n\n[[grant.plain]]\nallow = []\n",
    )?;
    // Text: how each package is reached, from the package up to the member.
    let text = p.run(&["check"])?.objected()?.stdout;
    assert!(
        text.contains("warning: newdep 1.0.0\n  inclusion path: newdep <- plain <- p\n"),
        "{text}"
    );
    assert!(
        text.contains("error: netty 1.0.0\n  deny net: not granted\n"),
        "a direct dependency needs no path: {text}"
    );

    let json = p.run(&["check", "--format", "json"])?.objected()?.stdout;
    let v: serde_json::Value = serde_json::from_str(&json)?;
    assert_eq!(v["passes"], false);
    assert_eq!(
        (v["denied"].as_u64(), v["warned"].as_u64()),
        (Some(1), Some(1))
    );
    let netty = &v["packages"][0];
    assert_eq!(netty["name"], "netty");
    assert_eq!(netty["level"], "error");
    assert_eq!(netty["inclusion_path"], serde_json::json!(["netty", "p"]));
    let net = netty["violations"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["capability"] == "net"))
        .ok_or("a net violation")?;
    assert_eq!(net["verb"], "deny");
    assert!(
        net["locations"][0]["at"]
            .as_str()
            .is_some_and(|a| a.starts_with("src/lib.rs:2:")),
        "{net}"
    );
    assert!(
        netty["grant"]
            .as_str()
            .is_some_and(|g| g.contains("allow = [\"net\"]"))
    );

    // The project sits in a git repository of its own (not the one the test's target folder
    // may or may not be in), and SARIF names files relative to it.
    let repo = p.dir.parent().ok_or("the project's folder")?;
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo)
        .status()?;
    assert!(init.success(), "git init");
    let sarif = p.run(&["check", "--format", "sarif"])?.objected()?.stdout;
    let s: serde_json::Value = serde_json::from_str(&sarif)?;
    assert_eq!(s["version"], "2.1.0");
    let results = s["runs"][0]["results"].as_array().ok_or("results")?;
    let net = results
        .iter()
        .find(|r| r["ruleId"] == "net")
        .ok_or("a net result")?;
    assert_eq!(net["level"], "error");
    let place = &net["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "p/Cargo.lock", "{place}");
    assert!(place["region"]["startLine"].as_u64().is_some(), "{place}");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "unlisted" && r["level"] == "warning"),
        "{sarif}"
    );
    let rules = s["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .ok_or("rules")?;
    assert!(rules.iter().any(|r| r["id"] == "typosquat"));
    // No colour in machine formats, even when asked.
    let forced = p.run(&["check", "--format", "json", "--color", "always"])?;
    assert!(!forced.stdout.contains('\x1b'));
    Ok(())
}

#[test]
fn deny_warnings_turns_warnings_into_failures() -> TestResult {
    let p = Project::new("deny-warnings", &[("netty", "1.0.0")])?;
    p.policy("[capabilities]\nno-vcs-info = \"allow\"\nnet = \"warn\"\n")?;
    let warned = p.run(&["check"])?.ok()?;
    assert!(
        warned.stdout.starts_with("warning: netty 1.0.0\n"),
        "{}",
        warned.stdout
    );
    let denied = p.run(&["check", "-D", "warnings"])?.objected()?;
    assert!(
        denied
            .stdout
            .starts_with("denied: netty net\nerror: netty 1.0.0\n"),
        "{}",
        denied.stdout
    );
    assert!(
        denied.stdout.contains(
            "note: -D warnings: 1 violation the policy only warns about count as denied\n"
        ),
        "{}",
        denied.stdout
    );
    let json = p
        .run(&["check", "--deny", "warnings", "--format", "json"])?
        .objected()?;
    assert!(json.stdout.contains("\"passes\": false"), "{}", json.stdout);
    Ok(())
}
