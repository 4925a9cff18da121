//! `init`: write a starting `risk-policy.toml` that grants exactly what the scanned graph uses
//! today (the text comes from the policy crate), refusing to overwrite one without `--force`.

use std::path::PathBuf;

use risk_policy::Checker;
use risk_policy::init::{InitOptions, starting_policy};

use crate::config::PolicyArgs;
use crate::output::write_atomically;
use crate::plumbing::error::Error;
use crate::plumbing::pipeline::Scanned;
use crate::plumbing::policy;

/// What `init` wrote, for the closing line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub grants: usize,
    pub packages: usize,
}

pub fn run(args: &PolicyArgs, scanned: &Scanned) -> Result<Written, Error> {
    let path = policy::policy_path(args.policy.as_deref(), &scanned.workspace_root);
    if path.exists() && !args.force {
        return Err(Error::PolicyExists { path });
    }
    let report = &scanned.report;
    let text = starting_policy(
        report,
        &Checker::builtin(),
        InitOptions {
            deny_unlisted: args.deny_unlisted,
        },
    );
    write_atomically(&path, text.as_bytes())?;
    Ok(Written {
        grants: text.lines().filter(|l| l.starts_with("[[grant.")).count(),
        packages: report
            .packages
            .values()
            .filter(|p| !p.workspace_member)
            .count(),
        path,
    })
}
