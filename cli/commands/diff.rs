//! `diff OLD NEW`: reading two reports (files or `git:REV[:PATH]`), comparing them, and
//! rendering the delta.

use std::path::{Path, PathBuf};

use risk_report::diff::diff;

use crate::config::{DiffArgs, DiffFormat};
use crate::plumbing::error::Error;
use crate::plumbing::evidence;
use crate::plumbing::open::Opener;
use crate::plumbing::policy::annotate_delta;
use crate::plumbing::reports::{ReportRef, load};
use crate::plumbing::source_delta;
use crate::render::delta::{Gathered, render_delta};
use crate::render::sarif;

/// The outcome of `diff`, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub adds_risk: bool,
}

/// `diff OLD NEW`; `root` is the workspace root, where the default report, policy and
/// audits are.
pub fn run(
    args: &DiffArgs,
    color: bool,
    root: &Path,
    opener: &Opener,
) -> Result<(String, Outcome), Error> {
    let old = load(&ReportRef::parse(&args.old, root))?;
    let new_ref = ReportRef::parse(&args.new, root);
    let new = load(&new_ref)?;
    let mut d = diff(&old, &new);
    annotate_delta(&mut d, &old, &new, args.policy.as_deref(), root)?;
    // git and the tarballs are read here, before rendering
    let mut gathered = Gathered::default();
    if args.source {
        gathered.sources = source_delta::source_diffs(&d, &old, &new, opener);
    }
    if args.format == DiffFormat::Sarif {
        gathered.lockfile = evidence::Lockfile::beside(&new_ref);
        gathered.facts = evidence::facts_for(&new, &sarif::wanted(&d), opener);
    }
    let mut out = Vec::new();
    render_delta(&d, args.format, color, &gathered, &mut out).map_err(|source| Error::Output {
        path: PathBuf::from("<stdout>"),
        source,
    })?;
    Ok((
        String::from_utf8_lossy(&out).into_owned(),
        Outcome {
            adds_risk: d.adds_risk(),
        },
    ))
}
