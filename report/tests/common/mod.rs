//! Package inputs made up for the report tests, shared by the delta and export tests.

#![allow(dead_code)] // each test file uses a different part

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{
    BinaryFile, BuildKind, BuildScript, CrateFacts, FileFacts, Finding, Kind, ManifestFacts, Role,
};
use risk_report::model::{DepKind, PackageInput, Source};

/// A crates.io package with `findings` in `src/lib.rs` (`(kind, count)`), a build script of
/// the given kinds when `build` is not empty, and ELF binaries at `binaries`. Names ending in
/// `-build` are reached as build dependencies, the others as normal ones, from member `app`.
pub fn pkg(
    name: &str,
    version: &str,
    findings: &[(Kind, u32)],
    build: &[BuildKind],
    binaries: &[&str],
) -> PackageInput {
    let mut list: Vec<Finding> = findings
        .iter()
        .flat_map(|(kind, n)| {
            (0..*n).map(move |i| Finding {
                line: i + 1,
                col: 1,
                kind: *kind,
                detail: (*kind == Kind::IncludeBytes).then(|| "../data/blob.bin".to_owned()),
                origin: Default::default(),
                test: false,
            })
        })
        .collect();
    list.sort();
    let has_build = !build.is_empty();
    let kind = if name.ends_with("-build") {
        DepKind::Build
    } else {
        DepKind::Normal
    };
    PackageInput {
        name: name.into(),
        version: version.into(),
        source: Source::CratesIo,
        checksum: Some(format!("{:0>64}", version.replace('.', ""))),
        checksum_verified: true,
        dep_kinds: BTreeSet::from([kind]),
        reached_from: BTreeMap::from([("app".to_owned(), BTreeSet::from([kind]))]),
        workspace_member: false,
        facts: CrateFacts {
            name: name.into(),
            version: version.into(),
            manifest: ManifestFacts {
                build: has_build.then(|| "build.rs".to_owned()),
                ..ManifestFacts::default()
            },
            build_script: BuildScript {
                path: has_build.then(|| "build.rs".to_owned()),
                kinds: build.iter().copied().collect(),
                evidence: Vec::new(),
            },
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                role: Role::Shipped,
                lines: 10,
                findings: list,
                ..FileFacts::default()
            }],
            binaries: binaries
                .iter()
                .map(|p| BinaryFile {
                    path: (*p).into(),
                    format: "elf".into(),
                    bytes: 4096,
                })
                .collect(),
            ..CrateFacts::default()
        },
    }
}
