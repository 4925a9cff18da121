//! The gate fails closed. Corpus crates paired as two versions (or two uses) of one package
//! `pair`, for each way code can leave the scanner's sight and each change of how a package
//! is reached; the two reports go through the real binary's `diff --fail-on-increase`, and
//! each case asserts the exit code and the line that says why, second from the top.

use std::collections::{BTreeMap, BTreeSet};

use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::model::{DepKind, PackageInput, Report, Source};
use testkit::{EntryType, Tarball};

use crate::support::{Out, TestResult, fresh_dir, tool};

type Files = BTreeMap<String, Vec<u8>>;

/// A corpus folder's files as version `version` of the package `pair`.
fn corpus(case: &str, version: &str) -> TestResult<Files> {
    let mut files = testkit::read_tree(&testkit::corpus_dir().join(case), &["expected.txt"]);
    let mut manifest: toml::Table = std::str::from_utf8(&files["Cargo.toml"])?.parse()?;
    let package = manifest["package"]
        .as_table_mut()
        .ok_or("no [package] table")?;
    package.insert("name".into(), "pair".into());
    package.insert("version".into(), version.into());
    files.insert(
        "Cargo.toml".into(),
        toml::to_string(&manifest)?.into_bytes(),
    );
    Ok(files)
}

/// The report of one package reached as `kinds`, scanned from `gz` (a `.crate`'s bytes).
fn report_of(gz: &[u8], version: &str, kinds: &[DepKind]) -> Report {
    let root = format!("pair-{version}");
    let facts = scan_crate_tarball(gz, Some(&root), &Limits::default());
    let kinds: BTreeSet<DepKind> = kinds.iter().copied().collect();
    Report::build(vec![PackageInput {
        name: "pair".into(),
        version: version.into(),
        source: Source::CratesIo,
        checksum: Some(format!("{:0>64}", version.replace('.', ""))),
        checksum_verified: true,
        dep_kinds: kinds.clone(),
        reached_from: BTreeMap::from([("app".to_owned(), kinds)]),
        workspace_member: false,
        facts,
    }])
}

fn report(files: &Files, kinds: &[DepKind]) -> TestResult<Report> {
    let (_, version) = testkit::name_version(files);
    let (_, gz) = testkit::pack_crate(files);
    Ok(report_of(&gz, &version, kinds))
}

/// `diff old.toml new.toml --fail-on-increase` (and `--format` when given) in a fresh folder.
fn gate(name: &str, old: &Report, new: &Report, format: Option<&str>) -> TestResult<Out> {
    let dir = fresh_dir(&format!("gate-{name}"))?;
    std::fs::write(dir.join("old.toml"), old.to_toml()?)?;
    std::fs::write(dir.join("new.toml"), new.to_toml()?)?;
    let mut args = vec!["diff", "old.toml", "new.toml", "--fail-on-increase"];
    if let Some(f) = format {
        args.extend(["--format", f]);
    }
    tool(&dir, &dir.join("home"), &args)
}

/// Asserts the exit status and the gate's line (second of the text output, or absent).
fn assert_gate(name: &str, out: &Out, code: i32, line: Option<&str>) {
    assert_eq!(out.code, Some(code), "{name}: {out:#?}");
    let second = out
        .stdout
        .lines()
        .nth(1)
        .filter(|l| l.starts_with("adds risk:"));
    assert_eq!(second, line, "{name}:\n{}", out.stdout);
}

const N: &[DepKind] = &[DepKind::Normal];

#[test]
fn every_coverage_loss_fails_the_gate_and_says_so() -> TestResult {
    let old = corpus("clean", "1.0.0")?;
    let before = report(&old, N)?;
    let words = String::from_utf8(old["src/words.rs"].clone())?;

    // The same code, now in a file syn cannot parse: no counter moves.
    let mut unparsable = corpus("clean", "2.0.0")?;
    unparsable.insert(
        "src/words.rs".into(),
        format!("{words}\n/* never closed\n").into_bytes(),
    );
    // The same code, no longer UTF-8: not analyzed at all.
    let mut unreadable = corpus("clean", "2.0.0")?;
    let mut bytes = b"// \xff\xfe\n".to_vec();
    bytes.extend_from_slice(words.as_bytes());
    unreadable.insert("src/words.rs".into(), bytes);
    // The library target points at a file the tarball does not have.
    let mut no_root = corpus("clean", "2.0.0")?;
    let manifest = String::from_utf8(no_root["Cargo.toml"].clone())?;
    no_root.insert(
        "Cargo.toml".into(),
        manifest
            .replace("path = \"src/lib.rs\"", "path = \"src/gone.rs\"")
            .into_bytes(),
    );
    // Every source file gone (the manifest's target goes with them).
    let mut nothing = corpus("clean", "2.0.0")?;
    nothing.retain(|path, _| !path.ends_with(".rs"));

    let cases: [(&str, Report, &str); 4] = [
        (
            "approximate",
            report(&unparsable, N)?,
            "adds risk: pair coverage lost (1 approximate)",
        ),
        (
            "not-analyzed-file",
            report(&unreadable, N)?,
            "adds risk: pair coverage lost (1 not_analyzed, 1 unread_modules)",
        ),
        (
            "manifest-error",
            report(&no_root, N)?,
            "adds risk: pair coverage lost (1 manifest_error)",
        ),
        (
            "no-files",
            report(&nothing, N)?,
            "adds risk: pair coverage lost (1 manifest_error, files 2 -> 0)",
        ),
    ];
    for (name, after, line) in cases {
        let out = gate(name, &before, &after, None)?;
        assert_gate(name, &out, 1, Some(line));
        assert!(
            out.stdout.contains("coverage lost:"),
            "{name}: the headline"
        );
        // The other way round is coverage regained: no risk added.
        let back = gate(&format!("{name}-back"), &after, &before, None)?;
        assert_eq!(back.code, Some(0), "{name} reversed: {back:#?}");
    }
    Ok(())
}

#[test]
fn a_skipped_entry_and_an_unreadable_package_fail_the_gate() -> TestResult {
    let old = corpus("clean", "1.0.0")?;
    let before = report(&old, N)?;

    // The new tarball also holds a symbolic link the reader skips.
    let new = corpus("clean", "2.0.0")?;
    let mut t = Tarball::new();
    for (path, bytes) in &new {
        t.file(&format!("pair-2.0.0/{path}"), bytes);
    }
    t.link("pair-2.0.0/src/extra.rs", EntryType::Symlink, "/etc/passwd");
    let skipped = report_of(&t.gz(), "2.0.0", N);
    let out = gate("skipped", &before, &skipped, None)?;
    assert_gate(
        "skipped",
        &out,
        1,
        Some("adds risk: pair coverage lost (1 skipped)"),
    );
    assert!(
        out.stdout
            .contains("not seen: skipped pair-2.0.0/src/extra.rs: symbolic link"),
        "{}",
        out.stdout
    );

    let unreadable = report_of(b"not a gzip stream", "2.0.0", N);
    let out = gate("unreadable", &before, &unreadable, None)?;
    assert_gate("unreadable", &out, 1, Some("adds risk: pair not analyzed"));
    Ok(())
}

#[test]
fn a_package_that_starts_to_ship_fails_the_gate_with_what_it_brings() -> TestResult {
    let (d, b) = (&[DepKind::Dev][..], &[DepKind::Build][..]);
    /// A corpus crate reached as `from`, then as `to`: the gate's exit code and line.
    struct Case {
        name: &'static str,
        case: &'static str,
        from: &'static [DepKind],
        to: &'static [DepKind],
        code: i32,
        line: Option<&'static str>,
    }
    let cases = [
        Case {
            name: "dev-to-normal",
            case: "fs-api",
            from: d,
            to: N,
            code: 1,
            line: Some("adds risk: pair now shipped (was dev-only): fs"),
        },
        Case {
            name: "build-to-normal",
            case: "net-api",
            from: b,
            to: N,
            code: 1,
            line: Some("adds risk: pair now shipped (was build-only): net"),
        },
        Case {
            name: "dev-to-build",
            case: "process-api",
            from: d,
            to: b,
            code: 1,
            line: Some("adds risk: pair now runs at build time (was dev-only): process"),
        },
        Case {
            name: "normal-to-dev",
            case: "fs-api",
            from: N,
            to: d,
            code: 0,
            line: None,
        },
        Case {
            name: "clean-dev-to-normal",
            case: "clean",
            from: d,
            to: N,
            code: 0,
            line: None,
        },
    ];
    for c in cases {
        let files = corpus(c.case, "1.0.0")?;
        let out = gate(
            c.name,
            &report(&files, c.from)?,
            &report(&files, c.to)?,
            None,
        )?;
        assert_gate(c.name, &out, c.code, c.line);
        // Same version, same bytes: never "changed in place".
        assert!(
            out.stdout.contains("(same version)") && !out.stdout.contains("in place"),
            "{}:\n{}",
            c.name,
            out.stdout
        );
    }

    let files = corpus("fs-api", "1.0.0")?;
    let out = gate(
        "leaves",
        &report(&files, N)?,
        &report(&files, &[DepKind::Dev])?,
        None,
    )?;
    assert!(
        out.stdout.contains("no longer shipped (now dev-only)"),
        "a package leaving shipped code is shown:\n{}",
        out.stdout
    );
    let out = gate(
        "clean-ships",
        &report(&corpus("clean", "1.0.0")?, &[DepKind::Dev])?,
        &report(&corpus("clean", "1.0.0")?, N)?,
        None,
    )?;
    assert!(
        out.stdout
            .contains("now shipped (was dev-only), no capabilities"),
        "{}",
        out.stdout
    );

    // The PR comment says it too, in its own line under the heading, and in the table.
    let files = corpus("fs-api", "1.0.0")?;
    let md = gate(
        "dev-to-normal-md",
        &report(&files, &[DepKind::Dev])?,
        &report(&files, N)?,
        Some("markdown"),
    )?;
    assert_eq!(md.code, Some(1));
    assert!(
        md.stdout
            .contains("\n**adds risk: pair now shipped (was dev-only): fs**\n"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("| pair 1.0.0 | same version, **now shipped** | fs |"),
        "{}",
        md.stdout
    );
    Ok(())
}

#[test]
fn downgrades_say_so_and_gate_like_updates() -> TestResult {
    let net2 = report(&corpus("net-api", "2.0.0")?, N)?;
    let net1 = report(&corpus("net-api", "1.0.0")?, N)?;
    let out = gate("downgrade", &net2, &net1, None)?;
    assert_gate("downgrade", &out, 0, None);
    assert!(
        out.stdout.contains("1 downgraded")
            && out.stdout.contains("pair 2.0.0 -> 1.0.0 (downgraded)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("updated"), "{}", out.stdout);

    let clean2 = report(&corpus("clean", "2.0.0")?, N)?;
    let out = gate("riskier-downgrade", &clean2, &net1, None)?;
    assert_gate("riskier-downgrade", &out, 1, Some("adds risk: pair +net"));

    // Same version, other bytes: that, and only that, is "changed in place".
    let mut tampered = net1.clone();
    for p in tampered.packages.values_mut() {
        p.checksum = Some("f".repeat(64));
    }
    let out = gate("in-place", &net1, &tampered, None)?;
    assert_gate(
        "in-place",
        &out,
        1,
        Some("adds risk: pair checksum changed"),
    );
    assert!(out.stdout.contains("(changed in place)"), "{}", out.stdout);
    Ok(())
}

#[test]
fn counters_that_move_both_ways_say_so() -> TestResult {
    // Less unsafe overall, one transmute more: the net change hides the increase.
    let old = corpus("unsafe-code", "1.0.0")?;
    let mut new = corpus("unsafe-code", "1.0.1")?;
    new.retain(|path, _| !path.starts_with("src/") || path == "src/lib.rs");
    new.insert(
        "src/lib.rs".into(),
        b"pub fn f(x: u32) -> f32 {\n    unsafe { std::mem::transmute::<u32, f32>(x) }\n}\n"
            .to_vec(),
    );
    let (before, after) = (report(&old, N)?, report(&new, N)?);
    let out = gate("both-ways", &before, &after, None)?;
    assert_eq!(out.code, Some(1), "{out:#?}");
    let line = out.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        line.starts_with("adds risk: pair +1 transmute (moved both ways: -"),
        "{}",
        out.stdout
    );
    Ok(())
}
