//! The adversarial corpus (`corpus/adversarial/`), end to end: every crate is packed into a
//! checksum-verified tarball of a local registry, one project depends on all of them, the real
//! binary scans it, and each package row must show what the crate's `EXPECT.toml` says.
//!
//! Each crate hides a real risky action from a scanner that decides roles by folder and name
//! (a `#[path]` into `tests/`, a library root that is not `*.rs`, a build script that sets
//! `cfg(test)`, an identity attribute named `test`, ...), or is an honest look-alike that must
//! not be flagged. `must` and `must_not` list facts of the row:
//!
//! - `capabilities.NAME`: the capability is (or is not) in `capabilities`;
//! - `shipped.KIND`, `build.KIND`, `test.KIND`, `unreached.KIND`: that count is above zero;
//! - `coverage.unreached:PATH`: the file is listed as unreached;
//! - `coverage.unread_modules:TEXT`: an unread-module entry contains the text;
//! - `coverage.files:N`: exactly N files were scanned;
//! - `build_script.sets_cfg:NAME`, `build_script.kinds:KIND`: listed there;
//! - `forbids_unsafe`: the row says so.

use std::collections::BTreeMap;

use risk_report::model::{Package, Report};

use crate::support::{LocalRegistry, TestResult, cargo, fresh_dir, manifest, tool, write};

#[derive(serde::Deserialize)]
struct Expect {
    hides: String,
    must: Vec<String>,
    must_not: Vec<String>,
}

/// Whether the row shows `fact` (see the module doc for the forms).
fn shows(p: &Package, fact: &str) -> Result<bool, String> {
    let count = |map: &BTreeMap<risk_report::facts::Kind, u64>, code: &str| {
        map.iter().any(|(k, n)| k.code() == code && *n > 0)
    };
    let (field, arg) = match fact.split_once(':') {
        Some((f, a)) => (f, Some(a)),
        None => (fact, None),
    };
    Ok(match (field, arg) {
        ("forbids_unsafe", None) => p.forbids_unsafe,
        ("coverage.unreached", Some(path)) => p.coverage.unreached.iter().any(|u| u == path),
        ("coverage.unread_modules", Some(text)) => {
            p.coverage.unread_modules.iter().any(|u| u.contains(text))
        }
        ("coverage.files", Some(n)) => p.coverage.files.to_string() == n,
        ("build_script.sets_cfg", Some(name)) => p
            .build_script
            .as_ref()
            .is_some_and(|b| b.sets_cfg.iter().any(|c| c == name)),
        ("build_script.kinds", Some(kind)) => p
            .build_script
            .as_ref()
            .is_some_and(|b| b.kinds.iter().any(|k| k.code() == kind)),
        _ => match field.split_once('.') {
            Some(("capabilities", name)) => p.capabilities.contains(name),
            Some(("shipped", code)) => count(&p.shipped, code),
            Some(("build", code)) => count(&p.build, code),
            Some(("test", code)) => count(&p.test, code),
            Some(("unreached", code)) => count(&p.unreached, code),
            _ => return Err(format!("unknown fact `{fact}`")),
        },
    })
}

#[test]
fn every_adversarial_crate_shows_what_it_hides() -> TestResult {
    let cases = testkit::adversarial_cases();
    assert!(cases.len() >= 50, "only {} adversarial crates", cases.len());
    let root = fresh_dir("adversarial")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    let mut deps = String::from("\n[workspace]\n\n[dependencies]\n");
    let mut expects = BTreeMap::new();
    for case in &cases {
        let files = testkit::read_tree(case, &["EXPECT.toml"]);
        let (name, version) = testkit::name_version(&files);
        let (_, gz) = testkit::pack_crate(&files);
        // the index lists no dependencies: the crates are scanned, never built
        reg.publish_packed(&name, &version, &gz, &[])?;
        deps.push_str(&format!("{name} = \"={version}\"\n"));
        let expect: Expect = toml::from_str(&std::fs::read_to_string(case.join("EXPECT.toml"))?)?;
        expects.insert(format!("{name}@{version}"), expect);
    }
    let dir = root.join("app");
    write(
        &dir.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), &[], &deps),
    )?;
    write(&dir.join("src/lib.rs"), "")?;
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    cargo(&dir, &home, &["generate-lockfile", "--offline"])?.ok()?;
    tool(&dir, &home, &["--offline", "-q"])?.ok()?;
    let report = Report::from_toml(&std::fs::read_to_string(dir.join("risk-report.toml"))?)?;

    let mut problems = Vec::new();
    for (key, expect) in &expects {
        let Some(p) = report.packages.get(key) else {
            problems.push(format!("{key}: not in the report"));
            continue;
        };
        for (want, facts) in [(true, &expect.must), (false, &expect.must_not)] {
            for fact in facts {
                match shows(p, fact) {
                    Ok(got) if got == want => {}
                    Ok(_) => problems.push(format!(
                        "{key} ({}): {} `{fact}`",
                        expect.hides,
                        if want { "must show" } else { "must not show" }
                    )),
                    Err(e) => problems.push(format!("{key}: {e}")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}
