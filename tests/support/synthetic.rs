//! Made-up reports for the dashboard tests: `n` packages with a spread of capabilities, one
//! of them named to break out of markup if anything rendered it as HTML.

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{
    BuildKind, BuildScript, CrateFacts, FileFacts, Finding, Kind, ManifestFacts, Role,
};
use risk_report::model::{DepKind, PackageInput, Report, Source};

/// A crate name no real registry allows, as a hostile report file could carry.
pub const HOSTILE: &str = "evil</script><img src=x onerror=\"window.__xss=1\">";

fn input(name: &str, version: &str, findings: &[(Kind, u32)], build: &[BuildKind]) -> PackageInput {
    let mut list: Vec<Finding> = findings
        .iter()
        .flat_map(|(kind, n)| {
            (0..*n).map(move |i| Finding {
                line: i + 1,
                col: 1,
                kind: *kind,
                detail: None,
                origin: Default::default(),
                test: false,
            })
        })
        .collect();
    list.sort();
    let has_build = !build.is_empty();
    let kind = if name.bytes().last().unwrap_or(0).is_multiple_of(5) {
        DepKind::Build
    } else {
        DepKind::Normal
    };
    PackageInput {
        name: name.into(),
        version: version.into(),
        source: Source::CratesIo,
        checksum: Some("ab".repeat(32)),
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
                lines: 100 + name.len() as u32,
                findings: list,
                ..FileFacts::default()
            }],
            ..CrateFacts::default()
        },
    }
}

/// `n` packages; `step` shifts which ones have which capability, so that consecutive steps
/// make a history with changes in it.
pub fn report(n: usize, step: usize) -> Report {
    let kinds = [
        Kind::UnsafeBlock,
        Kind::Net,
        Kind::Fs,
        Kind::Ffi,
        Kind::Process,
        Kind::EnvRead,
        Kind::ExternBlock,
        Kind::UnsafeFn,
    ];
    let mut inputs: Vec<PackageInput> = (0..n.saturating_sub(1))
        .map(|i| {
            let j = i + step * 7;
            let findings: Vec<(Kind, u32)> = kinds
                .iter()
                .enumerate()
                .filter(|(k, _)| (j + k).is_multiple_of(k + 3))
                .map(|(k, kind)| (*kind, ((j * (k + 1)) % 40) as u32 + 1))
                .collect();
            let build: &[BuildKind] = match j % 11 {
                0 => &[BuildKind::Native],
                1 => &[BuildKind::Probe],
                _ => &[],
            };
            let name = format!("crate-{i:04}");
            input(&name, &format!("1.{}.{}", step, i % 13), &findings, build)
        })
        .collect();
    inputs.push(input(
        HOSTILE,
        "0.1.0",
        &[(Kind::Net, 1), (Kind::UnsafeBlock, 3)],
        &[],
    ));
    Report::build(inputs)
}
