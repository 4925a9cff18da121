//! Made-up package inputs for report tests (deltas, exports, dashboards): one shipped
//! `src/lib.rs` with the findings asked for, an optional build script and binaries.

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{
    BinaryFile, BuildKind, BuildScript, CrateFacts, FileFacts, Finding, Kind, ManifestFacts, Role,
};
use risk_report::model::{DepKind, PackageInput, Source};

/// A crates.io package reached from member `app`. Start with [`Package::new`], change what
/// the test needs, then [`Package::input`].
#[derive(Debug, Clone)]
pub struct Package<'a> {
    pub name: &'a str,
    pub version: &'a str,
    /// `(kind, count)`: that many findings of the kind in `src/lib.rs`, on lines 1, 2, ...
    pub findings: &'a [(Kind, u32)],
    /// Build-script kinds; no build script when empty.
    pub build: &'a [BuildKind],
    /// Paths of ELF binaries; those under `tests/`, `benches/` or `examples/` are test
    /// fixtures (as the analyzer marks them when no code names them).
    pub binaries: &'a [&'a str],
    pub dep_kind: DepKind,
    pub checksum: String,
    /// Lines of `src/lib.rs`.
    pub lines: u32,
}

impl<'a> Package<'a> {
    /// A normal dependency with no findings, no build script, a made-up checksum and 10 lines.
    pub fn new(name: &'a str, version: &'a str) -> Self {
        Package {
            name,
            version,
            findings: &[],
            build: &[],
            binaries: &[],
            dep_kind: DepKind::Normal,
            checksum: "ab".repeat(32),
            lines: 10,
        }
    }

    pub fn input(&self) -> PackageInput {
        let mut list: Vec<Finding> = (self.findings.iter())
            .flat_map(|(kind, n)| {
                (0..*n).map(move |i| Finding {
                    line: i + 1,
                    col: 1,
                    kind: *kind,
                    detail: (*kind == Kind::IncludeBytes).then(|| "../data/blob.bin".to_owned()),
                    origin: Default::default(),
                    test: false,
                    emitted: false,
                })
            })
            .collect();
        list.sort();
        let build = (!self.build.is_empty()).then(|| "build.rs".to_owned());
        let kind = self.dep_kind;
        PackageInput {
            name: self.name.into(),
            version: self.version.into(),
            source: Source::CratesIo,
            checksum: Some(self.checksum.clone()),
            checksum_verified: true,
            dep_kinds: BTreeSet::from([kind]),
            reached_from: BTreeMap::from([("app".to_owned(), BTreeSet::from([kind]))]),
            workspace_member: false,
            facts: CrateFacts {
                name: self.name.into(),
                version: self.version.into(),
                manifest: ManifestFacts {
                    build: build.clone(),
                    ..ManifestFacts::default()
                },
                build_script: BuildScript {
                    path: build,
                    kinds: self.build.iter().copied().collect(),
                    evidence: Vec::new(),
                    sets_cfg: Vec::new(),
                },
                files: vec![FileFacts {
                    path: "src/lib.rs".into(),
                    role: Role::Shipped,
                    lines: self.lines,
                    findings: list,
                    ..FileFacts::default()
                }],
                binaries: (self.binaries.iter())
                    .map(|p| BinaryFile {
                        path: (*p).into(),
                        format: "elf".into(),
                        bytes: 4096,
                        fixture: ["tests/", "benches/", "examples/"]
                            .iter()
                            .any(|f| p.starts_with(f)),
                    })
                    .collect(),
                ..CrateFacts::default()
            },
        }
    }
}

/// `n` packages `crate-0000`, `crate-0001`, ... with a spread of capabilities and build-script
/// kinds, for size and rendering checks. `step` shifts which package has which capability
/// (and goes into the versions), so consecutive steps make a history with changes in it.
pub fn spread(n: usize, step: usize) -> Vec<PackageInput> {
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
    (0..n)
        .map(|i| {
            let j = i + step * 7;
            let findings: Vec<(Kind, u32)> = (kinds.iter().enumerate())
                .filter(|(k, _)| (j + k).is_multiple_of(k + 3))
                .map(|(k, kind)| (*kind, ((j * (k + 1)) % 40) as u32 + 1))
                .collect();
            let build: &[BuildKind] = match j % 11 {
                0 => &[BuildKind::Native],
                1 => &[BuildKind::Probe],
                _ => &[],
            };
            let name = format!("crate-{i:04}");
            let version = format!("1.{step}.{}", i % 13);
            Package {
                findings: &findings,
                build,
                dep_kind: if i % 5 == 0 {
                    DepKind::Build
                } else {
                    DepKind::Normal
                },
                lines: 100 + (i % 50) as u32,
                ..Package::new(&name, &version)
            }
            .input()
        })
        .collect()
}
