//! Opening one located package: its files read from the verified tarball (or its folder),
//! for the commands that show source lines.

use risk_analyzer::{Limits, Unpacked};

use super::error::Error;
use super::graph::GraphPackage;
use super::locate::Input;
use super::scan::{ReadError, read_verified};

/// The package's files (or why they could not be read) and whether they were verified.
pub type Files = (Result<Unpacked, String>, bool);

/// Reads one located package the way `show` does (tarball verified first); `check` uses it
/// for the evidence of violations.
pub fn read(pkg: &GraphPackage, input: Input, limits: &Limits) -> Result<Files, Error> {
    let root = format!("{}-{}", pkg.name, pkg.version);
    match input {
        Input::Tarball {
            candidates,
            checksum,
        } => match read_verified(&pkg.name, &pkg.version, &candidates, checksum.as_deref()) {
            Ok(r) => Ok((
                risk_analyzer::archive::read_crate_tarball(&r.bytes, Some(&root), limits)
                    .map_err(|e| e.to_string()),
                r.verified,
            )),
            Err(ReadError::Mismatch(m)) => Err(Error::ChecksumMismatch(vec![m])),
            Err(ReadError::Io(path, source)) => Err(Error::Read { path, source }),
        },
        Input::Dir(dir) => Ok((
            risk_analyzer::archive::read_crate_dir(&dir, limits).map_err(|e| e.to_string()),
            false,
        )),
        Input::Missing => Err(Error::MissingTarballs {
            crates: vec![format!("{}@{}", pkg.name, pkg.version)],
            offline: true,
        }),
    }
}
