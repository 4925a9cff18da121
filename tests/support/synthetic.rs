//! Made-up reports for the dashboard tests: `n` packages with a spread of capabilities, one
//! of them named to break out of markup if anything rendered it as HTML.

use risk_report::facts::{BuildKind, Kind};
use risk_report::model::{DepKind, PackageInput, Report};
use testkit::packages::Package;

/// A crate name no real registry allows, as a hostile report file could carry.
pub const HOSTILE: &str = "evil</script><img src=x onerror=\"window.__xss=1\">";

fn input(name: &str, version: &str, findings: &[(Kind, u32)], build: &[BuildKind]) -> PackageInput {
    Package {
        findings,
        build,
        dep_kind: if name.bytes().last().unwrap_or(0).is_multiple_of(5) {
            DepKind::Build
        } else {
            DepKind::Normal
        },
        lines: 100 + name.len() as u32,
        ..Package::new(name, version)
    }
    .input()
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
