//! Marks a risk delta with what the policy and the audits say: which changes violate the
//! policy, which added names look like typosquats (loudly: a headline and high severity), and
//! whether an update moves away from an audited version with or without new risk.

use std::collections::BTreeSet;

use risk_report::audit::AuditRow;
use risk_report::diff::{Change, PackageDelta, ReportDiff, Severity};
use risk_report::model::{Package, Report};
use semver::Version;

use crate::date::Date;
use crate::eval::violations;
use crate::file::Policy;
use crate::inputs;
use crate::typosquat::Checker;
use crate::vet::Audits;

/// What to annotate the delta with.
#[derive(Debug, Clone, Copy)]
pub struct DeltaContext<'a> {
    pub policy: Option<&'a Policy>,
    pub audits: Option<&'a Audits>,
    pub checker: &'a Checker,
    pub today: Date,
}

/// Annotates every package change of `diff` (made from `old` and `new`).
pub fn annotate(diff: &mut ReportDiff, old: &Report, new: &Report, ctx: &DeltaContext<'_>) {
    let new_names: BTreeSet<&str> = new.packages.values().map(|p| p.name.as_str()).collect();
    let old_names: BTreeSet<&str> = old.packages.values().map(|p| p.name.as_str()).collect();
    for d in &mut diff.packages {
        let Some(version) = d.new_version() else {
            continue;
        };
        let Some(pkg) = find(new, &d.name, version) else {
            continue;
        };
        let others = new_names
            .iter()
            .chain(old_names.iter())
            .copied()
            .filter(|n| *n != d.name);
        let squats = ctx.checker.check(&d.name, others);
        if matches!(d.change, Change::Added { .. })
            && let Some(s) = squats.first()
        {
            d.headlines
                .insert(0, format!("possible typosquat: name is {}", s.describe()));
            d.severity = d.severity.max(Severity::High);
            d.gate.push(format!("possible typosquat of {}", s.near));
        }
        if let Some(policy) = ctx.policy {
            let mut inputs = inputs::of(pkg, &squats);
            if let Some((a, b)) = &d.checksum {
                inputs.insert(
                    "checksum-mismatch".into(),
                    vec![format!("checksum changed: {a:?} -> {b:?}")],
                );
            }
            d.violations = violations(policy, pkg, &inputs, ctx.today)
                .into_iter()
                .map(|v| {
                    format!(
                        "{} {}: {}",
                        v.verb,
                        v.capability,
                        v.why.describe(&v.capability)
                    )
                })
                .collect();
        }
        d.audit = audit_note(d, old, pkg, ctx.audits);
    }
    // Typosquat headlines may have raised severities: keep the most severe first.
    diff.sort();
}

fn find<'a>(report: &'a Report, name: &str, version: &str) -> Option<&'a Package> {
    report
        .packages
        .values()
        .find(|p| p.name == name && p.version == version)
}

/// An audit row from the audits when present, else from the report row itself.
fn status(
    audits: Option<&Audits>,
    pkg: Option<&Package>,
    name: &str,
    version: &str,
) -> Option<AuditRow> {
    audits
        .and_then(|a| a.status(name, version))
        .or_else(|| pkg.and_then(|p| p.audit.clone()))
}

fn criteria(row: &AuditRow) -> String {
    row.criteria.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// "audited", "bump of an audited crate with no new risk", "risk increased since the last
/// audited version", or the last audited version when there is one.
fn audit_note(
    d: &PackageDelta,
    old: &Report,
    new_pkg: &Package,
    audits: Option<&Audits>,
) -> Option<String> {
    let name = new_pkg.name.as_str();
    let to = new_pkg.version.as_str();
    if let Some(row) = status(audits, Some(new_pkg), name, to) {
        let how = row
            .from
            .as_deref()
            .map(|f| format!(" (delta chain from {f})"))
            .unwrap_or_default();
        return Some(format!("audited for {}{how}", criteria(&row)));
    }
    if let Change::Updated { from, .. } = &d.change
        && let Some(row) = status(audits, find(old, name, from), name, from)
    {
        return Some(if d.adds_risk() {
            format!(
                "risk increased since the last audited version {from} ({}): review the delta {from} -> {to}",
                criteria(&row)
            )
        } else {
            format!(
                "bump of an audited crate with no new risk ({from} audited for {}): a delta audit {from} -> {to} should be quick",
                criteria(&row)
            )
        });
    }
    let last = last_audited(audits?, name, to)?;
    Some(format!("not audited; last audited version {last}"))
}

/// The newest audited version of `name` older than `version`.
fn last_audited(audits: &Audits, name: &str, version: &str) -> Option<String> {
    let target = Version::parse(version).ok()?;
    audits
        .by_crate
        .get(name)?
        .iter()
        .filter_map(|a| Version::parse(&a.to).ok())
        .filter(|v| *v < target && audits.status(name, &v.to_string()).is_some())
        .max()
        .map(|v| v.to_string())
}
