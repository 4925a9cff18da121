//! The report file format: round trip, determinism, and the field list in
//! `docs/report-format.md` kept in step with the types.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use risk_report::capability::Capability;
use risk_report::facts::{
    BinaryFile, BuildKind, BuildScript, CrateFacts, FileFacts, Finding, Kind, ManifestFacts,
    Origin, Parse, Role, SkippedEntry, Target, VcsInfo,
};
use risk_report::model::{DepKind, PackageInput, Report, Source};

fn finding(line: u32, kind: Kind, detail: Option<&str>) -> Finding {
    Finding {
        line,
        col: 1,
        kind,
        detail: detail.map(String::from),
        origin: Origin::Syntax,
        test: false,
        emitted: false,
    }
}

/// A package input in which every optional part of the model is present.
fn full_input(name: &str, source: Source) -> PackageInput {
    let facts = CrateFacts {
        name: name.into(),
        version: "1.0.0".into(),
        manifest: ManifestFacts {
            proc_macro: true,
            links: Some("foo".into()),
            build: Some("build.rs".into()),
            targets: vec![
                Target {
                    kind: "lib".into(),
                    name: "foo".into(),
                    path: "src/lib.rs".into(),
                },
                Target {
                    kind: "proc-macro".into(),
                    name: "foo".into(),
                    path: "src/lib.rs".into(),
                },
                Target {
                    kind: "bin".into(),
                    name: "foo".into(),
                    path: "src/main.rs".into(),
                },
            ],
            error: Some("bin target `x` points at `src/x.rs`, which is not in the crate".into()),
            ..ManifestFacts::default()
        },
        build_script: BuildScript {
            path: Some("build.rs".into()),
            kinds: BTreeSet::from([BuildKind::Native, BuildKind::Probe]),
            evidence: vec!["native: build-dependency cc".into()],
            sets_cfg: vec!["has_foo".into()],
        },
        files: vec![
            FileFacts {
                path: "build.rs".into(),
                role: Role::Build,
                lines: 10,
                findings: vec![finding(
                    3,
                    Kind::Process,
                    Some("std::process::Command::new"),
                )],
                ..FileFacts::default()
            },
            FileFacts {
                path: "src/lib.rs".into(),
                role: Role::Shipped,
                lines: 100,
                findings: vec![
                    finding(5, Kind::UnsafeBlock, None),
                    finding(9, Kind::IncludeBytes, Some("../data/blob.bin")),
                    Finding {
                        origin: Origin::MacroTokens,
                        ..finding(12, Kind::Net, Some("std::net::TcpStream::connect"))
                    },
                    Finding {
                        test: true,
                        ..finding(40, Kind::Fs, Some("std::fs::read"))
                    },
                    Finding {
                        emitted: true,
                        ..finding(50, Kind::Process, Some("std::process::Command::new"))
                    },
                ],
                ..FileFacts::default()
            },
            FileFacts {
                path: "src/old.rs".into(),
                lines: 7,
                parse: Parse::Fallback {
                    error: "3:1: expected item".into(),
                    lexer: "proc-macro2".into(),
                },
                findings: vec![Finding {
                    origin: Origin::Fallback,
                    ..finding(2, Kind::UnsafeFn, None)
                }],
                ..FileFacts::default()
            },
            FileFacts {
                path: "src/bad.rs".into(),
                parse: Parse::NotAnalyzed {
                    reason: "not valid UTF-8".into(),
                },
                ..FileFacts::default()
            },
            FileFacts {
                path: "tests/it.rs".into(),
                role: Role::Test,
                lines: 4,
                ..FileFacts::default()
            },
            FileFacts {
                path: "src/alt.rs".into(),
                role: Role::Unreached,
                lines: 3,
                findings: vec![finding(2, Kind::Ffi, Some("libc::open"))],
                ..FileFacts::default()
            },
        ],
        binaries: vec![
            BinaryFile {
                path: "lib/libfoo.a".into(),
                format: "ar-archive".into(),
                bytes: 1234,
                fixture: false,
            },
            BinaryFile {
                path: "tests/data/module.wasm".into(),
                format: "wasm".into(),
                bytes: 77,
                fixture: true,
            },
        ],
        skipped: vec![SkippedEntry {
            path: "foo-1.0.0/../evil".into(),
            reason: "path escapes the crate root".into(),
        }],
        vcs: VcsInfo {
            present: true,
            commit: Some("0123abcd".into()),
            dirty: true,
            path_in_vcs: Some("crates/foo".into()),
        },
        not_analyzed: None,
        forbids_unsafe: true,
        unread_modules: vec!["src/lib.rs: mod evil -> src/evil.rs: symbolic link".into()],
        unreached_may_compile: true,
        rules_version: 5,
        exports: vec![risk_report::facts::Export {
            path: "Stream".into(),
            target: "std::net::TcpStream".into(),
        }],
        glob_exports: vec![risk_report::facts::GlobExport {
            module: "sys".into(),
            target: "std::process".into(),
            types: vec!["Child".into()],
            values: vec!["exit".into()],
        }],
        macro_exports: BTreeMap::from([("dial".to_string(), BTreeSet::from([Capability::Net]))]),
        proc_macros: vec!["Zeroable".into()],
        macro_uses: vec!["Zeroable".into()],
        via: BTreeMap::from([(
            "foo-derive".to_string(),
            BTreeSet::from([Capability::Unsafe]),
        )]),
    };
    PackageInput {
        name: name.into(),
        version: "1.0.0".into(),
        source,
        checksum: Some("ab".repeat(32)),
        checksum_verified: true,
        dep_kinds: BTreeSet::from([DepKind::Normal, DepKind::Build]),
        reached_from: BTreeMap::from([("app".to_string(), BTreeSet::from([DepKind::Normal]))]),
        workspace_member: true,
        facts,
    }
}

/// A package that could not be read at all.
fn missing_input() -> PackageInput {
    PackageInput {
        name: "gone".into(),
        version: "0.1.0".into(),
        source: Source::CratesIo,
        checksum: None,
        checksum_verified: false,
        dep_kinds: BTreeSet::from([DepKind::Dev]),
        reached_from: BTreeMap::new(),
        workspace_member: false,
        facts: CrateFacts {
            not_analyzed: Some("tarball missing".into()),
            ..CrateFacts::default()
        },
    }
}

fn sample() -> Report {
    Report::build(vec![
        full_input("foo", Source::CratesIo),
        full_input("foo", Source::Git("https://example.com/foo#abc".into())),
        missing_input(),
    ])
}

/// [`sample`] with the parts the CLI fills in after `build`: the settings that shaped it and
/// the cargo-vet audit row.
fn sample_annotated() -> Report {
    let mut report = sample();
    report.settings = risk_report::model::Settings {
        targets: vec!["x86_64-unknown-linux-gnu".into()],
        packages: vec!["app".into()],
        exclude: vec!["criterion".into()],
        exclude_dev: true,
        include_members: true,
        max_entry_bytes: Some(1 << 20),
        max_total_bytes: Some(1 << 30),
        max_entries: Some(500),
    };
    if let Some(p) = report.packages.get_mut("foo@1.0.0 (crates-io)") {
        p.audit = Some(risk_report::audit::AuditRow {
            criteria: BTreeSet::from(["safe-to-deploy".into(), "safe-to-run".into()]),
            from: Some("0.9.0".into()),
        });
    }
    report
}

#[test]
fn toml_round_trips_and_is_stable() {
    let report = sample();
    let text = report.to_toml().unwrap();
    let back: Report = toml::from_str(&text).unwrap();
    assert_eq!(back, report);
    assert_eq!(back.to_toml().unwrap(), text);
    // Two packages share name and version: their keys carry the source.
    assert!(report.packages.contains_key("foo@1.0.0 (crates-io)"));
    assert!(
        report
            .packages
            .contains_key("foo@1.0.0 (git+https://example.com/foo#abc)")
    );
    assert!(report.packages.contains_key("gone@0.1.0"));
}

#[test]
fn input_order_does_not_change_the_bytes() {
    let a = sample();
    let mut inputs = vec![
        full_input("foo", Source::Git("https://example.com/foo#abc".into())),
        full_input("foo", Source::CratesIo),
    ];
    inputs.reverse();
    let mut b_inputs = inputs;
    b_inputs.push(missing_input());
    let b = Report::build(b_inputs);
    assert_eq!(a.to_toml().unwrap(), b.to_toml().unwrap());
}

#[test]
fn summary_counts_what_the_rows_say() {
    let r = sample();
    let s = &r.summary;
    assert_eq!(s.packages, 3);
    assert_eq!(s.not_analyzed, 1);
    assert_eq!(s.with_unsafe, 2);
    assert_eq!(s.proc_macros, 2);
    assert_eq!(s.build_script_kinds[&BuildKind::Native], 2);
    assert_eq!(s.files_approximate, 2);
    assert_eq!(s.files_not_analyzed, 2);
    assert_eq!(s.capabilities["net"], 2);
    // The fs use is test-only, so it is no capability.
    assert!(!s.capabilities.contains_key("fs"));
    let foo = &r.packages["foo@1.0.0 (crates-io)"];
    assert_eq!(foo.shipped[&Kind::UnsafeFn], 1);
    assert_eq!(foo.test[&Kind::Fs], 1);
    assert_eq!(foo.build[&Kind::Process], 1);
    assert_eq!(
        foo.embedded,
        vec!["include-bytes data/blob.bin".to_string()]
    );
    assert_eq!(foo.coverage.macro_token_findings, 1);
    // Both foo rows ship a binary; the test fixture beside it is listed but ships nothing.
    assert_eq!(s.with_binaries, 2);
    assert_eq!(foo.binaries.len(), 2);
    assert!(foo.binaries[1].fixture && foo.capabilities.contains(&Capability::Binary));
    // Unknown is not zero: a package that was not read has no capabilities claimed, and says why.
    let gone = &r.packages["gone@0.1.0"];
    assert_eq!(gone.not_analyzed.as_deref(), Some("tarball missing"));
}

/// Every key path of a TOML value, with package keys as `<package>` and finding codes as
/// `<kind>`.
fn key_paths(value: &toml::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let seg = if prefix == "packages" {
                    "<package>".to_string()
                } else if Kind::from_code(k).is_some()
                    && (prefix.ends_with("shipped")
                        || prefix.ends_with(".build")
                        || prefix.ends_with(".test")
                        || prefix.ends_with(".unreached")
                        || prefix.ends_with(".emits"))
                {
                    "<kind>".to_string()
                } else if prefix.ends_with("build_script_kinds") {
                    "<build-kind>".to_string()
                } else if prefix.ends_with("reached_from") {
                    "<member>".to_string()
                } else if prefix.ends_with(".via") {
                    "<package-name>".to_string()
                } else if prefix.ends_with("reexports") {
                    "<path>".to_string()
                } else if prefix.ends_with("capabilities") {
                    "<capability>".to_string()
                } else {
                    k.clone()
                };
                let path = if prefix.is_empty() {
                    seg
                } else {
                    format!("{prefix}.{seg}")
                };
                out.insert(path.clone());
                key_paths(v, &path, out);
            }
        }
        toml::Value::Array(a) => {
            for v in a {
                key_paths(v, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn report_format_doc_lists_every_field() {
    let value: toml::Value = toml::from_str(&sample_annotated().to_toml().unwrap()).unwrap();
    let mut fields = BTreeSet::new();
    key_paths(&value, "", &mut fields);
    let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/report-format.md");
    let doc = std::fs::read_to_string(doc_path).unwrap();
    let documented: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once('`').map(|(field, _)| field.to_string()))
        .collect();
    let undocumented: Vec<_> = fields.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&fields).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "docs/report-format.md is out of step with the model.\nundocumented: {undocumented:#?}\nstale: {stale:#?}"
    );
    let _ = BTreeMap::<(), ()>::new();
}
