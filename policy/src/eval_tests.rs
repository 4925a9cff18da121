//! The evaluator, `init` and the delta annotations as pure functions over hand-made reports.

use std::collections::BTreeSet;

use risk_report::capability::Capability;
use risk_report::diff::{Severity, diff};
use risk_report::facts::SkippedEntry;
use risk_report::model::{DepKind, Package, Provenance, Report};

use crate::date::Date;
use crate::delta::{DeltaContext, annotate};
use crate::eval::{UNLISTED, Why, evaluate};
use crate::file::{Policy, Verb};
use crate::init::{InitOptions, starting_policy};
use crate::typosquat::Checker;
use crate::vet::Audits;

type R<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn today() -> Date {
    Date {
        year: 2026,
        month: 3,
        day: 1,
    }
}

fn pkg(name: &str, version: &str, caps: &[&str]) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        source: "crates-io".into(),
        capabilities: caps
            .iter()
            .filter_map(|c| Capability::from_code(c))
            .collect(),
        provenance: Provenance {
            vcs_info: true,
            ..Provenance::default()
        },
        ..Package::default()
    }
}

fn report(packages: Vec<Package>) -> Report {
    Report {
        schema_version: risk_report::model::SCHEMA_VERSION,
        packages: packages
            .into_iter()
            .map(|p| (format!("{}@{}", p.name, p.version), p))
            .collect(),
        ..Report::default()
    }
}

fn checker() -> Checker {
    Checker::with_list("serde\nserde_json\ntokio\n")
}

fn check(policy: &str, r: &Report) -> R<crate::eval::Evaluation> {
    Ok(evaluate(
        &Policy::from_toml(policy)?,
        r,
        &checker(),
        today(),
    ))
}

#[test]
fn a_grant_allows_and_a_missing_one_fails_with_the_grant_to_add() -> R {
    let r = report(vec![
        pkg("sock", "0.6.1", &["net", "unsafe"]),
        pkg("plain", "1.0.0", &[]),
    ]);
    let e = check("[[grant.sock]]\nallow = [\"net\", \"unsafe\"]\n", &r)?;
    assert!(e.passes() && e.verdicts.is_empty(), "{e:#?}");
    assert_eq!(e.checked, 2);

    let e = check("[[grant.sock]]\nallow = [\"unsafe\"]\n", &r)?;
    assert!(!e.passes());
    let v = &e.verdicts[0];
    assert_eq!((v.key.as_str(), v.violations.len()), ("sock@0.6.1", 1));
    assert_eq!(v.violations[0].capability, "net");
    assert_eq!(v.violations[0].verb, Verb::Deny);
    assert_eq!(v.violations[0].why, Why::NotGranted);
    assert_eq!(
        v.grant,
        "[[grant.sock]]\nversion = \"^0.6\"\nallow = [\"net\"]\nreason = \"TODO: why sock may do this\"\n"
    );
    // The suggested grant, added to the policy, makes it pass.
    let fixed = format!("[[grant.sock]]\nallow = [\"unsafe\"]\n\n{}", v.grant);
    assert!(check(&fixed, &r)?.passes());
    Ok(())
}

#[test]
fn a_range_stops_matching_after_an_update() -> R {
    let policy = "[[grant.sock]]\nversion = \"^0.6\"\nallow = [\"net\"]\n";
    assert!(check(policy, &report(vec![pkg("sock", "0.6.9", &["net"])]))?.passes());
    let e = check(policy, &report(vec![pkg("sock", "0.7.0", &["net"])]))?;
    assert_eq!(
        e.verdicts[0].violations[0].why,
        Why::OutOfRange {
            grants: vec!["grant.sock (^0.6)".into()]
        }
    );
    assert!(e.verdicts[0].grant.contains("version = \"^0.7\""));
    // An exact version is exact.
    let exact = "[[grant.sock]]\nversion = \"0.6.1\"\nallow = [\"net\"]\n";
    assert!(check(exact, &report(vec![pkg("sock", "0.6.1", &["net"])]))?.passes());
    assert!(!check(exact, &report(vec![pkg("sock", "0.6.2", &["net"])]))?.passes());
    Ok(())
}

#[test]
fn an_expired_grant_no_longer_allows() -> R {
    let r = report(vec![pkg("sock", "1.0.0", &["net"])]);
    let e = check(
        "[[grant.sock]]\nallow = [\"net\"]\nexpires = \"2026-02-28\"\n",
        &r,
    )?;
    assert_eq!(
        e.verdicts[0].violations[0].why,
        Why::Expired {
            grant: "grant.sock".into(),
            on: Date::parse("2026-02-28").ok_or("date")?
        }
    );
    assert!(
        e.notes.iter().any(|n| n.contains("expired on 2026-02-28")),
        "{:?}",
        e.notes
    );
    // The last day still counts, and a notice comes a month ahead.
    let e = check(
        "[[grant.sock]]\nallow = [\"net\"]\nexpires = \"2026-03-01\"\n",
        &r,
    )?;
    assert!(e.passes());
    assert!(
        e.notes.iter().any(|n| n.contains("in 0 days")),
        "{:?}",
        e.notes
    );
    Ok(())
}

#[test]
fn allowed_to_exist_mode_needs_a_grant_per_package() -> R {
    let r = report(vec![pkg("old", "1.0.0", &[]), pkg("newdep", "0.1.0", &[])]);
    let policy = "[policy]\nunlisted-crates = \"deny\"\n\n[[grant.old]]\nallow = []\n";
    let e = check(policy, &r)?;
    assert_eq!(e.verdicts.len(), 1);
    assert_eq!(e.verdicts[0].name, "newdep");
    assert_eq!(e.verdicts[0].violations[0].capability, UNLISTED);
    assert!(e.verdicts[0].grant.contains("allow = []"));
    // Off by default: a crate with no capability needs nothing.
    assert!(check("", &r)?.passes());
    Ok(())
}

#[test]
fn verbs_decide_between_deny_warn_and_allow() -> R {
    let r = report(vec![pkg("a", "1.0.0", &["fs", "env-read"])]);
    let e = check(
        "[policy]\ndefault = \"warn\"\n[capabilities]\nenv-read = \"allow\"\n",
        &r,
    )?;
    assert!(e.passes());
    assert_eq!((e.denied(), e.warned()), (0, 1));
    let caps: Vec<&str> = e.verdicts[0]
        .violations
        .iter()
        .map(|v| v.capability.as_str())
        .collect();
    assert_eq!(caps, ["fs"]);
    let e = check("[capabilities]\nenv-read = \"warn\"\n", &r)?;
    assert_eq!((e.denied(), e.warned()), (1, 0));
    // Denied first, then warnings.
    let verbs: Vec<Verb> = e.verdicts[0].violations.iter().map(|v| v.verb).collect();
    assert_eq!(verbs, [Verb::Deny, Verb::Warn]);
    Ok(())
}

#[test]
fn hygiene_typosquats_and_unknowns_are_inputs() -> R {
    let mut git = pkg("fromgit", "1.0.0", &[]);
    git.source = "git+https://example.com/x#abc".into();
    let mut novcs = pkg("novcs", "1.0.0", &[]);
    novcs.provenance.vcs_info = false;
    let mut unread = pkg("unread", "1.0.0", &["net"]);
    unread.not_analyzed = Some("tarball missing".into());
    unread.capabilities = BTreeSet::new();
    let r = report(vec![
        git,
        novcs,
        unread,
        pkg("serde_jsno", "1.0.0", &[]),
        pkg("serde", "1.0.0", &[]),
    ]);
    let e = check("", &r)?;
    let got: Vec<(String, String)> = e
        .verdicts
        .iter()
        .flat_map(|v| {
            v.violations
                .iter()
                .map(|x| (v.name.clone(), x.capability.clone()))
        })
        .collect();
    let want = [
        ("fromgit", "git-source"),
        ("novcs", "no-vcs-info"),
        ("serde_jsno", "typosquat"),
        ("unread", "not-analyzed"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).into(), (*b).into()))
        .collect();
    assert_eq!(got, want);
    let squat = &e.verdicts[2].violations[0].evidence[0];
    assert!(
        squat.contains("one adjacent swap from `serde_json`"),
        "{squat}"
    );
    Ok(())
}

#[test]
fn notes_point_at_stale_grants_without_failing() -> R {
    let r = report(vec![pkg("a", "2.0.0", &["fs"])]);
    let policy = "[[grant.a]]\nallow = [\"fs\", \"net\"]\n[[grant.a]]\nversion = \"^1\"\nallow = [\"fs\"]\n[[grant.gone]]\nallow = []\n";
    let e = check(policy, &r)?;
    assert!(e.passes());
    assert_eq!(
        e.notes,
        [
            "grant.a: allows net that no covered version uses; narrow the grant?",
            "grant.a (^1): covers none of the versions in the graph (2.0.0)",
            "grant.gone: no package `gone` in the graph; remove the grant?",
        ]
    );
    Ok(())
}

#[test]
fn workspace_members_are_not_checked() -> R {
    let mut member = pkg("mine", "0.1.0", &["fs"]);
    member.workspace_member = true;
    let e = check("", &report(vec![member]))?;
    assert_eq!((e.checked, e.verdicts.len()), (0, 0));
    Ok(())
}

#[test]
fn init_grants_exactly_what_is_used_and_then_passes() -> R {
    let mut git = pkg("fromgit", "0.2.0", &["build-script"]);
    git.source = "git+https://example.com/x#abc".into();
    let r = report(vec![
        pkg("sock", "0.6.1", &["net", "unsafe"]),
        pkg("plain", "1.0.0", &[]),
        pkg("tokoi", "1.0.0", &[]),
        git,
    ]);
    for deny_unlisted in [false, true] {
        let text = starting_policy(&r, &checker(), InitOptions { deny_unlisted });
        let policy = Policy::from_toml(&text)?;
        let e = evaluate(&policy, &r, &checker(), today());
        assert!(
            e.verdicts.is_empty() && e.notes.is_empty(),
            "{text}\n{e:#?}"
        );
        assert_eq!(
            policy.grants_for("plain").count(),
            usize::from(deny_unlisted)
        );
        assert_eq!(policy.unlisted_crates == Verb::Deny, deny_unlisted);
        // Grouped riskiest first.
        let build = text
            .find("# ---- Code that runs when you build")
            .ok_or("group")?;
        let net = text.find("# ---- Network").ok_or("group")?;
        assert!(build < net, "{text}");
        assert!(
            text.contains("[[grant.sock]]\nversion = \"^0.6\"\nallow = [\"net\", \"unsafe\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("allow = [\"build-script\", \"git-source\"]"),
            "{text}"
        );
        assert!(
            text.contains("typosquat: name `tokoi` is one adjacent swap from `tokio`"),
            "{text}"
        );
        // A new capability then fails.
        let mut more = r.clone();
        if let Some(p) = more.packages.get_mut("sock@0.6.1") {
            p.capabilities.insert(Capability::Process);
        }
        assert!(!evaluate(&policy, &more, &checker(), today()).passes());
    }
    Ok(())
}

#[test]
fn the_delta_marks_violations_typosquats_and_audits() -> R {
    let old = report(vec![
        pkg("audited", "1.0.0", &[]),
        pkg("risky", "1.0.0", &[]),
        pkg("serde", "1.0.0", &[]),
    ]);
    let new = report(vec![
        pkg("audited", "1.0.1", &[]),
        pkg("risky", "1.1.0", &["net"]),
        pkg("serde", "1.0.0", &[]),
        pkg("serbe", "1.0.0", &[]),
    ]);
    let audits = Audits::parse(
        "[[audits.audited]]\ncriteria = \"safe-to-deploy\"\nversion = \"1.0.0\"\n[[audits.risky]]\ncriteria = \"safe-to-run\"\nversion = \"1.0.0\"\n",
        None,
    )?;
    let policy = Policy::from_toml("[capabilities]\ntyposquat = \"warn\"\n")?;
    let mut d = diff(&old, &new);
    let checker = checker();
    let ctx = DeltaContext {
        policy: Some(&policy),
        audits: Some(&audits),
        checker: &checker,
        today: today(),
    };
    annotate(&mut d, &old, &new, &ctx);
    let by = |name: &str| d.packages.iter().find(|p| p.name == name).ok_or("missing");
    let serbe = by("serbe")?;
    assert_eq!(serbe.severity, Severity::High);
    assert_eq!(
        serbe.headlines[0],
        "possible typosquat: name is one edit from `serde` (a widely used crate)"
    );
    assert_eq!(serbe.violations, ["warn typosquat: not granted"]);
    assert_eq!(
        serbe.gate,
        ["possible typosquat of serde"],
        "the gate says why"
    );
    assert_eq!(d.packages[0].name, "risky", "most severe first, by name");
    let risky = by("risky")?;
    assert_eq!(risky.violations, ["deny net: not granted"]);
    assert_eq!(
        risky.audit.as_deref(),
        Some(
            "risk increased since the last audited version 1.0.0 (safe-to-run): review the delta 1.0.0 -> 1.1.0"
        )
    );
    let bump = by("audited")?;
    assert!(bump.violations.is_empty());
    assert_eq!(
        bump.audit.as_deref(),
        Some(
            "bump of an audited crate with no new risk (1.0.0 audited for safe-to-deploy, safe-to-run): a delta audit 1.0.0 -> 1.0.1 should be quick"
        )
    );
    Ok(())
}

#[test]
fn a_dev_only_grant_ends_when_the_package_ships() -> R {
    let mut dev = pkg("glob", "0.3.1", &["fs"]);
    dev.dependency_kinds = [DepKind::Dev].into();
    let r = report(vec![dev.clone()]);
    let text = starting_policy(&r, &checker(), InitOptions::default());
    assert!(
        text.contains("allow = [\"fs\"]\nreached-as = [\"dev\"]  "),
        "{text}"
    );
    let policy = Policy::from_toml(&text)?;
    assert!(evaluate(&policy, &r, &checker(), today()).passes());

    // Same version, same bytes, now also a normal dependency.
    let mut shipped = dev;
    shipped.dependency_kinds = [DepKind::Normal, DepKind::Dev].into();
    let e = evaluate(&policy, &report(vec![shipped]), &checker(), today());
    assert!(!e.passes());
    let why = &e.verdicts[0].violations[0].why;
    assert_eq!(
        why,
        &Why::Reach {
            grant: "grant.glob (^0.3)".into(),
            allowed: "a dev dependency".into(),
            now: "normal, dev".into(),
        }
    );
    assert_eq!(
        why.describe("fs"),
        "grant.glob (^0.3) covers it only as a dev dependency; it is now reached as normal, dev"
    );
    assert_eq!(
        crate::render::denied_line(&e).as_deref(),
        Some("denied: glob fs")
    );
    // The grant to add for a package that ships is not limited to how it is reached.
    assert!(
        !e.verdicts[0].grant.contains("reached-as"),
        "{}",
        e.verdicts[0].grant
    );
    Ok(())
}

#[test]
fn unread_code_is_an_input_with_the_files_as_evidence() -> R {
    let mut p = pkg("hidey", "1.0.1", &[]);
    p.coverage.approximate = vec!["src/imp.rs: 4:1: cannot parse string into token stream".into()];
    p.coverage.not_analyzed = vec!["src/big.rs: over the 16 MiB cap".into()];
    p.coverage.skipped = vec![SkippedEntry {
        path: "hidey-1.0.1/src/link.rs".into(),
        reason: "symbolic link".into(),
    }];
    p.coverage.manifest_error = Some("lib target points at a missing file".into());
    let e = check("", &report(vec![p.clone()]))?;
    let v = &e.verdicts[0].violations[0];
    assert_eq!(
        (v.capability.as_str(), v.verb),
        ("unanalyzed-code", Verb::Deny)
    );
    assert_eq!(
        v.evidence,
        [
            "token scan only (syn could not parse it): src/imp.rs: 4:1: cannot parse string into token stream",
            "not analyzed: src/big.rs: over the 16 MiB cap",
            "tarball entry not read: hidey-1.0.1/src/link.rs: symbolic link",
            "Cargo.toml: lib target points at a missing file",
        ]
    );
    // A package whose code was all read has no such input.
    assert!(check("", &report(vec![pkg("hidey", "1.0.0", &[])]))?.passes());
    // It can be granted like anything else.
    assert!(
        check(
            "[[grant.hidey]]\nallow = [\"unanalyzed-code\"]\n",
            &report(vec![p])
        )?
        .passes()
    );
    Ok(())
}
