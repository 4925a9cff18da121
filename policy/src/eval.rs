//! The evaluator: a policy, a report and a date in; violations, suggested grants and notes
//! out. Pure: no clock, no files, so every case is a unit test.

use std::collections::BTreeSet;

use risk_report::diff::kinds_text;
use risk_report::model::{Package, Report};

use crate::date::Date;
use crate::file::{Grant, Policy, Verb};
use crate::inputs::{self, Inputs};
use crate::suggest;
use crate::typosquat::Checker;

/// The pseudo-capability of "allowed to exist" violations: no grant matches the package.
pub const UNLISTED: &str = "unlisted";

/// Grants expiring within this many days are mentioned.
const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Why no grant covers a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// No grant of this crate allows it.
    NotGranted,
    /// A grant allows it for this version, but expired.
    Expired { grant: String, on: Date },
    /// Grants of this crate allow it, for other versions only.
    OutOfRange { grants: Vec<String> },
    /// A grant allows it for this version, but only while the package is reached in other
    /// ways (`reached-as`): a dev-only crate that now ships.
    Reach {
        grant: String,
        allowed: String,
        now: String,
    },
}

impl Why {
    pub fn describe(&self, capability: &str) -> String {
        match (self, capability) {
            (Why::NotGranted, UNLISTED) => "no grant lists this crate".to_owned(),
            (Why::NotGranted, _) => "not granted".to_owned(),
            (Why::Expired { grant, on }, _) => format!("{grant} expired on {on}"),
            (Why::OutOfRange { grants }, _) => {
                format!("{} does not cover this version", grants.join(", "))
            }
            (
                Why::Reach {
                    grant,
                    allowed,
                    now,
                },
                _,
            ) => format!("{grant} covers it only as {allowed}; it is now reached as {now}"),
        }
    }
}

/// One capability of one package that the policy objects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// A capability name, or [`UNLISTED`].
    pub capability: String,
    pub verb: Verb,
    pub why: Why,
    /// From the report row: counts, build-script kinds, files, source.
    pub evidence: Vec<String>,
}

/// A package with at least one violation, and the grant that would allow all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The report key (`name@version`).
    pub key: String,
    pub name: String,
    pub version: String,
    /// Denied first, then by capability.
    pub violations: Vec<Violation>,
    /// The TOML of a `[[grant.NAME]]` that allows every violation above.
    pub grant: String,
    /// How the package is reached: its name first, then each dependent up to a workspace
    /// member (`glob <- ignore <- ripgrep`). The evaluator sees no graph and leaves it empty;
    /// the caller that has the graph fills it in.
    pub path: Vec<String>,
}

impl Verdict {
    pub fn denied(&self) -> bool {
        self.violations.iter().any(|v| v.verb == Verb::Deny)
    }
}

/// The whole outcome of `check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Packages checked (workspace members are not).
    pub checked: usize,
    /// Sorted by report key.
    pub verdicts: Vec<Verdict>,
    /// Things worth knowing that do not fail the check: stale or expiring grants.
    pub notes: Vec<String>,
}

impl Evaluation {
    pub fn denied(&self) -> usize {
        self.verdicts.iter().filter(|v| v.denied()).count()
    }
    pub fn warned(&self) -> usize {
        self.verdicts.iter().filter(|v| !v.denied()).count()
    }
    pub fn passes(&self) -> bool {
        self.denied() == 0
    }

    /// `-D warnings`: every warning becomes a denial, so it fails the check too.
    pub fn deny_warnings(&mut self) {
        let mut promoted = 0;
        for v in self.verdicts.iter_mut().flat_map(|v| &mut v.violations) {
            if v.verb == Verb::Warn {
                v.verb = Verb::Deny;
                promoted += 1;
            }
        }
        if promoted > 0 {
            self.notes.push(format!(
                "-D warnings: {promoted} {} the policy only warns about count as denied",
                if promoted == 1 {
                    "violation"
                } else {
                    "violations"
                }
            ));
        }
    }
}

/// Every package's inputs, the typosquat check run against the rest of the graph.
pub fn report_inputs<'a>(
    report: &'a Report,
    checker: &Checker,
) -> Vec<(&'a str, &'a Package, Inputs)> {
    let names: BTreeSet<&str> = report.packages.values().map(|p| p.name.as_str()).collect();
    report
        .packages
        .iter()
        .filter(|(_, p)| !p.workspace_member)
        .map(|(key, p)| {
            let others = names.iter().copied().filter(|n| *n != p.name);
            let squats = checker.check(&p.name, others);
            (key.as_str(), p, inputs::of(p, &squats))
        })
        .collect()
}

/// Applies the policy to every package of the report.
pub fn evaluate(policy: &Policy, report: &Report, checker: &Checker, today: Date) -> Evaluation {
    let subjects = report_inputs(report, checker);
    let mut eval = Evaluation {
        checked: subjects.len(),
        ..Evaluation::default()
    };
    for (key, pkg, inputs) in &subjects {
        let violations = violations(policy, pkg, inputs, today);
        if violations.is_empty() {
            continue;
        }
        let allow: BTreeSet<&str> = violations
            .iter()
            .map(|v| v.capability.as_str())
            .filter(|c| *c != UNLISTED)
            .collect();
        eval.verdicts.push(Verdict {
            key: (*key).to_owned(),
            name: pkg.name.clone(),
            version: pkg.version.clone(),
            grant: suggest::grant_toml(&pkg.name, &pkg.version, &pkg.dependency_kinds, &allow),
            violations,
            path: Vec::new(),
        });
    }
    eval.notes = notes(policy, &subjects, today);
    eval
}

/// The violations of one package (its name, version and how it is reached) with the given
/// inputs, denied first.
pub fn violations(policy: &Policy, pkg: &Package, inputs: &Inputs, today: Date) -> Vec<Violation> {
    let (name, version, kinds) = (&pkg.name, pkg.version.as_str(), &pkg.dependency_kinds);
    let grants: Vec<&Grant> = policy.grants_for(name).collect();
    let matching: Vec<&Grant> = grants
        .iter()
        .copied()
        .filter(|g| g.version.matches(version))
        .collect();
    let active: Vec<&Grant> = matching
        .iter()
        .copied()
        .filter(|g| !g.expired(today) && g.covers_reach(kinds))
        .collect();
    let why = |covers: &dyn Fn(&Grant) -> bool| -> Why {
        if let Some(g) = matching.iter().find(|g| covers(g) && g.expired(today)) {
            return Why::Expired {
                grant: g.label(),
                on: g.expires.unwrap_or(today),
            };
        }
        if let Some(g) = matching
            .iter()
            .find(|g| covers(g) && !g.covers_reach(kinds))
        {
            let allowed = g.reached_as.as_ref().map(kinds_text).unwrap_or_default();
            return Why::Reach {
                grant: g.label(),
                allowed: format!("a {allowed} dependency"),
                now: kinds_text(kinds),
            };
        }
        let elsewhere: Vec<String> = grants
            .iter()
            .filter(|g| covers(g) && !g.version.matches(version))
            .map(|g| g.label())
            .collect();
        if elsewhere.is_empty() {
            Why::NotGranted
        } else {
            Why::OutOfRange { grants: elsewhere }
        }
    };
    let mut out = Vec::new();
    if active.is_empty() && policy.unlisted_crates != Verb::Allow {
        out.push(Violation {
            capability: UNLISTED.to_owned(),
            verb: policy.unlisted_crates,
            why: why(&|_| true),
            evidence: vec![format!(
                "[policy] unlisted-crates = \"{}\": every package needs a grant, even `allow = []`",
                policy.unlisted_crates
            )],
        });
    }
    for (cap, evidence) in inputs {
        if active.iter().any(|g| g.allow.contains(cap)) {
            continue;
        }
        let verb = policy.verb(cap);
        if verb == Verb::Allow {
            continue;
        }
        out.push(Violation {
            capability: cap.clone(),
            verb,
            why: why(&|g| g.allow.contains(cap)),
            evidence: evidence.clone(),
        });
    }
    out.sort_by(|a, b| {
        b.verb
            .cmp(&a.verb)
            .then_with(|| a.capability.cmp(&b.capability))
    });
    out
}

/// Grants that match nothing, allow what nothing uses, expired, or expire soon.
fn notes(policy: &Policy, subjects: &[(&str, &Package, Inputs)], today: Date) -> Vec<String> {
    let mut out = Vec::new();
    for g in &policy.grants {
        let label = g.label();
        let same_name: Vec<&(&str, &Package, Inputs)> =
            subjects.iter().filter(|s| s.1.name == g.krate).collect();
        if same_name.is_empty() {
            out.push(format!(
                "{label}: no package `{}` in the graph; remove the grant?",
                g.krate
            ));
            continue;
        }
        let covered: Vec<&&(&str, &Package, Inputs)> = same_name
            .iter()
            .filter(|s| g.version.matches(&s.1.version))
            .collect();
        if covered.is_empty() {
            let versions: Vec<&str> = same_name.iter().map(|s| s.1.version.as_str()).collect();
            out.push(format!(
                "{label}: covers none of the versions in the graph ({})",
                versions.join(", ")
            ));
            continue;
        }
        if let Some(on) = g.expires {
            let left = on.unix_days() - today.unix_days();
            if left < 0 {
                out.push(format!("{label}: expired on {on}"));
            } else if left <= EXPIRY_NOTICE_DAYS {
                out.push(format!("{label}: expires on {on} (in {left} days)"));
            }
        }
        let unused: Vec<&str> = g
            .allow
            .iter()
            .filter(|cap| !covered.iter().any(|s| s.2.contains_key(*cap)))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            out.push(format!(
                "{label}: allows {} that no covered version uses; narrow the grant?",
                unused.join(", ")
            ));
        }
    }
    out
}
