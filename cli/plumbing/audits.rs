//! cargo-vet's `supply-chain/` at the workspace root: reading `audits.toml` and
//! `imports.lock` (the policy crate parses them) and writing the audit status into report rows.

use std::path::Path;

use risk_policy::Audits;
use risk_report::model::Report;

use crate::plumbing::error::Error;

/// The audits of the workspace at `root`, or `None` when it has no `supply-chain/audits.toml`.
pub fn load(root: &Path) -> Result<Option<Audits>, Error> {
    let dir = root.join("supply-chain");
    let audits = dir.join("audits.toml");
    if !audits.is_file() {
        return Ok(None);
    }
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })
    };
    let text = read(&audits)?;
    let imports = dir.join("imports.lock");
    let imports = if imports.is_file() {
        Some(read(&imports)?)
    } else {
        None
    };
    Audits::parse(&text, imports.as_deref())
        .map(Some)
        .map_err(|source| Error::Audits { path: dir, source })
}

/// Sets each row's `audit` from the audits.
pub fn annotate(report: &mut Report, audits: &Audits) {
    for p in report.packages.values_mut() {
        p.audit = audits.status(&p.name, &p.version);
    }
}
