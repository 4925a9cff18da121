//! Package inputs made up for the report tests, shared by the delta and export tests.

use risk_report::facts::{BuildKind, Kind};
use risk_report::model::{DepKind, PackageInput};
use testkit::packages::Package;

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
    Package {
        findings,
        build,
        binaries,
        dep_kind: if name.ends_with("-build") {
            DepKind::Build
        } else {
            DepKind::Normal
        },
        checksum: format!("{:0>64}", version.replace('.', "")),
        ..Package::new(name, version)
    }
    .input()
}
