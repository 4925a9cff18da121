//! SARIF of a delta and of a policy check, from what the caller gathered beforehand
//! (`plumbing/evidence.rs`: the lockfile's lines, the located packages' facts): a function
//! of its arguments. The SARIF itself is written by `risk_report::render::sarif`, which a
//! policy check reuses with its own results.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use risk_report::diff::ReportDiff;
use risk_report::facts::{Kind, Role};
use risk_report::render::sarif::{self, Target};

use crate::plumbing::error::Error;
use crate::plumbing::evidence::{Facts, Lockfile};

/// Most finding locations scanned for per package: enough for a message.
const LOCATIONS: usize = 20;

/// The packages whose findings the delta's results locate, as (name, version): what
/// [`render_diff`] needs the facts of.
pub fn wanted(d: &ReportDiff) -> BTreeSet<(String, String)> {
    let asked = RefCell::new(BTreeSet::new());
    sarif::results_from_diff(d, &|name, version, _| {
        asked
            .borrow_mut()
            .insert((name.to_owned(), version.to_owned()));
        Vec::new()
    });
    asked.into_inner()
}

/// `file:line` of the findings of `kinds` in one package's facts, test code left out.
fn locate(facts: &Facts, name: &str, version: &str, kinds: &[Kind]) -> Vec<String> {
    let Some(facts) = facts.get(&(name.to_owned(), version.to_owned())) else {
        return Vec::new();
    };
    let mut at = Vec::new();
    for f in facts.files.iter().filter(|f| f.role != Role::Test) {
        for x in f
            .findings
            .iter()
            .filter(|x| !x.test && kinds.contains(&x.kind))
        {
            if at.len() < LOCATIONS {
                at.push(format!("{}:{}", f.path, x.line));
            }
        }
    }
    at
}

/// Writes the delta as SARIF, pointing into `lockfile` and at the findings in `facts`.
pub fn render_diff(
    d: &ReportDiff,
    lockfile: &Lockfile,
    facts: &Facts,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let results = sarif::results_from_diff(d, &|name, version, kinds| {
        locate(facts, name, version, kinds)
    });
    let target = Target {
        tool_version: env!("CARGO_PKG_VERSION"),
        lockfile_uri: &lockfile.uri,
        lock_lines: &lockfile.lines,
    };
    sarif::render(&results, &target, out)
}

/// `check --format sarif`: one result per violation, pointing at the package's line in the
/// workspace's Cargo.lock.
pub fn render_check(
    eval: &risk_policy::Evaluation,
    locations: &risk_policy::render::Locations,
    lockfile: &Lockfile,
) -> Result<String, Error> {
    let target = Target {
        tool_version: env!("CARGO_PKG_VERSION"),
        lockfile_uri: &lockfile.uri,
        lock_lines: &lockfile.lines,
    };
    let results = risk_policy::export::sarif_results(eval, locations);
    let mut out = Vec::new();
    sarif::render_with(&results, &risk_policy::export::rules(), &target, &mut out).map_err(
        |source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        },
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
