//! `check`: apply `risk-policy.toml` to the scanned graph. The policy crate decides; this
//! module reads the files, re-reads the violating packages' verified tarballs for file:line
//! evidence (the report keeps no locations), and picks the exit code. Also the policy and
//! audit marks on a delta.

use std::collections::BTreeSet;

use risk_policy::eval::{Evaluation, Verdict};
use risk_policy::inputs::capability_of;
use risk_policy::render::{Location, Locations, check_text};
use risk_policy::{Checker, DEFAULT_FILE, Date};
use risk_report::capability::Capability;
use risk_report::facts::{Kind, Role};

use crate::config::{CheckFormat, PolicyArgs};
use crate::plumbing::error::{Error, Exit};
use crate::plumbing::open::{Opened, Opener};
use crate::plumbing::pipeline::Scanned;
use crate::plumbing::{evidence, policy};

/// Longest source line quoted as evidence, in characters.
const MAX_LINE: usize = 160;

/// The text to print and the status to exit with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub text: String,
    pub exit: Exit,
}

/// `check` over an already scanned graph, its evidence opened with the session's `opener`;
/// `today` decides which grants have expired.
pub fn run(
    args: &PolicyArgs,
    scanned: &Scanned,
    opener: &Opener,
    today: Date,
) -> Result<Checked, Error> {
    let path = policy::policy_path(args.policy.as_deref(), &scanned.workspace_root);
    let policy = policy::load_policy(&path)?;
    let report = &scanned.report;
    let vet = &scanned.audits;
    let mut eval = risk_policy::evaluate(&policy, report, &Checker::builtin(), today);
    if args.deny_warnings {
        eval.deny_warnings();
    }
    // How each package is reached, from the same walk the dashboard's paths come from.
    let paths = scanned.links.shortest_paths();
    for v in &mut eval.verdicts {
        if let Some(p) = paths.get(&v.key) {
            v.path = p.iter().rev().cloned().collect();
        }
    }
    let locations = locations(scanned, opener, &eval)?;
    let shown = match &args.policy {
        Some(p) => p.display().to_string(),
        None => DEFAULT_FILE.to_owned(),
    };
    let exit = if eval.passes() {
        Exit::Ok
    } else {
        Exit::POLICY_DENIED
    };
    match args.format {
        CheckFormat::Text => {}
        CheckFormat::Json => {
            return Ok(Checked {
                text: risk_policy::export::check_json(&eval, &locations, &shown),
                exit,
            });
        }
        CheckFormat::Sarif => {
            return Ok(Checked {
                text: crate::render::sarif::render_check(
                    &eval,
                    &locations,
                    &evidence::Lockfile::of_workspace(&scanned.workspace_root),
                )?,
                exit,
            });
        }
    }
    let mut text = check_text(&eval, &locations, &shown);
    if vet.is_some() {
        let audited = report
            .packages
            .values()
            .filter(|p| p.audit.is_some())
            .count();
        text.push_str(&format!(
            "cargo-vet: {audited} of {} packages audited (supply-chain/audits.toml).\n",
            eval.checked
        ));
    }
    Ok(Checked { text, exit })
}

/// The capabilities whose evidence is a finding in the code (the rest are facts of the
/// manifest, the tarball or the source, already in the evidence lines).
fn located(capability: &str) -> bool {
    Capability::from_code(capability).is_some_and(|c| !Kind::counting_toward(c).is_empty())
}

/// file:line of the findings behind each violated capability, for violating packages only.
/// The packages are opened where the scan read them, from the scan's graph.
fn locations(scanned: &Scanned, opener: &Opener, eval: &Evaluation) -> Result<Locations, Error> {
    let report = &scanned.report;
    let wanted: Vec<&Verdict> = eval
        .verdicts
        .iter()
        .filter(|v| v.violations.iter().any(|x| located(&x.capability)))
        .collect();
    let mut out = Locations::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    for v in wanted {
        let Some(row) = report.packages.get(&v.key) else {
            continue;
        };
        let Some((pkg, input)) = scanned.located.iter().find(|(p, _)| {
            p.name == v.name && p.version == v.version && p.source.label() == row.source
        }) else {
            continue;
        };
        let caps: BTreeSet<&str> = v
            .violations
            .iter()
            .map(|x| x.capability.as_str())
            .filter(|c| located(c))
            .collect();
        let (opened, _) = opener.read(pkg, input.clone())?;
        let Ok(Opened { unpacked, facts }) = opened else {
            continue;
        };
        let mut found = Vec::new();
        for file in &facts.files {
            if !matches!(file.role, Role::Shipped | Role::Build) {
                continue;
            }
            let lines: Vec<&str> = unpacked
                .files
                .get(&file.path)
                .and_then(|b| std::str::from_utf8(b).ok())
                .map(|t| t.lines().collect())
                .unwrap_or_default();
            for f in file.findings.iter().filter(|f| !f.test) {
                let cap = capability_of(f.kind).code();
                if !caps.contains(cap) {
                    continue;
                }
                let detail = f
                    .detail
                    .as_deref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default();
                let build = if file.role == Role::Build {
                    " [build]"
                } else {
                    ""
                };
                found.push(Location {
                    capability: cap.to_owned(),
                    at: format!(
                        "{}:{}:{}: {}{detail}{build}",
                        file.path,
                        f.line,
                        f.col,
                        f.kind.code()
                    ),
                    source: (f.line as usize)
                        .checked_sub(1)
                        .and_then(|i| lines.get(i))
                        .map(|l| l.trim().chars().take(MAX_LINE).collect()),
                });
            }
        }
        out.insert(v.key.clone(), found);
    }
    Ok(out)
}
