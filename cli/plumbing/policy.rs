//! The workspace's crate trust policy and cargo-vet audits, read from its files: the policy
//! file validated, and a delta marked with both.

use std::path::{Path, PathBuf};

use risk_policy::delta::DeltaContext;
use risk_policy::{Checker, DEFAULT_FILE, Date, Policy};
use risk_report::diff::ReportDiff;
use risk_report::model::Report;

use super::audits;
use super::error::Error;

/// Where the policy lives: `--policy`, or `risk-policy.toml` at the workspace root.
pub fn policy_path(given: Option<&Path>, root: &Path) -> PathBuf {
    given.map_or_else(|| root.join(DEFAULT_FILE), Path::to_owned)
}

/// Reads and validates a policy file.
pub fn load_policy(path: &Path) -> Result<Policy, Error> {
    if !path.is_file() {
        return Err(Error::PolicyMissing {
            path: path.to_owned(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    Policy::from_toml(&text).map_err(|source| Error::Policy {
        path: path.to_owned(),
        source,
    })
}

/// Marks a delta with the policy (the given file, else `risk-policy.toml` in `root` when it
/// exists), the audits in `root/supply-chain/`, and typosquat warnings for added crates.
pub fn annotate_delta(
    d: &mut ReportDiff,
    old: &Report,
    new: &Report,
    policy: Option<&Path>,
    root: &Path,
) -> Result<(), Error> {
    let path: Option<PathBuf> = policy.map(Path::to_owned).or_else(|| {
        let p = root.join(DEFAULT_FILE);
        p.is_file().then_some(p)
    });
    let policy = path.as_deref().map(load_policy).transpose()?;
    let vet = audits::load(root)?;
    let checker = Checker::builtin();
    let ctx = DeltaContext {
        policy: policy.as_ref(),
        audits: vet.as_ref(),
        checker: &checker,
        today: Date::today(),
    };
    risk_policy::delta::annotate(d, old, new, &ctx);
    Ok(())
}
