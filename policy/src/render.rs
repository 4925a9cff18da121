//! The text `check` prints: when it fails, one line naming each denied package and what
//! tripped it; then each package with violations, each violation with its evidence and
//! locations, the grant that would allow them; then notes and a one-line total. Every
//! crate-derived string goes through the terminal sanitizer, and the whole text through the
//! CI-log one (no line a CI runner takes for a workflow command).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use risk_report::diff::one_line;
use risk_report::sanitize::{ci_lines, terminal};

use crate::eval::Evaluation;
use crate::file::Verb;

/// Where a capability shows in the code, from a re-read of the package's tarball.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub capability: String,
    /// `src/lib.rs:12:5: net std::net::TcpStream::connect`.
    pub at: String,
    /// The source line, trimmed.
    pub source: Option<String>,
}

/// Locations by report key.
pub type Locations = BTreeMap<String, Vec<Location>>;

/// At most this many locations per capability: enough to start reading.
const SHOWN: usize = 3;

/// The whole `check` output. `policy_file` is how the policy path is named in the text.
pub fn check_text(eval: &Evaluation, locations: &Locations, policy_file: &str) -> String {
    let mut out = String::new();
    if let Some(line) = denied_line(eval) {
        let _ = writeln!(out, "{}", terminal(&line));
    }
    for v in &eval.verdicts {
        let level = if v.denied() { "error" } else { "warning" };
        let _ = writeln!(
            out,
            "{level}: {} {}",
            terminal(&v.name),
            terminal(&v.version)
        );
        // A direct dependency's path says nothing the name does not.
        if v.path.len() > 2 {
            let _ = writeln!(out, "  inclusion path: {}", terminal(&v.path.join(" <- ")));
        }
        for x in &v.violations {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                x.verb,
                x.capability,
                terminal(&x.why.describe(&x.capability))
            );
            for e in &x.evidence {
                let _ = writeln!(out, "      {}", terminal(e));
            }
            let here: Vec<&Location> = locations
                .get(&v.key)
                .into_iter()
                .flatten()
                .filter(|l| l.capability == x.capability)
                .collect();
            for l in here.iter().take(SHOWN) {
                let _ = writeln!(out, "      at {}", terminal(&l.at));
                if let Some(src) = &l.source {
                    let _ = writeln!(out, "         | {}", terminal(src));
                }
            }
            if here.len() > SHOWN {
                let _ = writeln!(
                    out,
                    "      ... {} more (cargo risk-report show {}@{})",
                    here.len() - SHOWN,
                    terminal(&v.name),
                    terminal(&v.version)
                );
            }
        }
        let _ = writeln!(out, "  to allow it, add to {policy_file}:");
        for line in v.grant.lines() {
            let _ = writeln!(out, "    {}", terminal(line));
        }
        out.push('\n');
    }
    for n in &eval.notes {
        let _ = writeln!(out, "note: {}", terminal(n));
    }
    let _ = writeln!(out, "{}", summary(eval, policy_file));
    ci_lines(&out)
}

/// Most packages named in the denied line; the rest are counted.
const DENIED_SHOWN: usize = 5;

/// `denied: memmap2 unsafe; glob fs, process`: the packages that fail the check and the
/// names the policy denies them, in one line; `None` when the check passes.
pub fn denied_line(eval: &Evaluation) -> Option<String> {
    let parts: Vec<String> = eval
        .verdicts
        .iter()
        .filter(|v| v.denied())
        .map(|v| {
            let names: Vec<&str> = v
                .violations
                .iter()
                .filter(|x| x.verb == Verb::Deny)
                .map(|x| x.capability.as_str())
                .collect();
            format!("{} {}", v.name, names.join(", "))
        })
        .collect();
    one_line("denied", &parts, DENIED_SHOWN)
}

/// `risk-policy.toml: 2 packages denied, 1 with warnings, 140 checked.`
pub fn summary(eval: &Evaluation, policy_file: &str) -> String {
    let (denied, warned) = (eval.denied(), eval.warned());
    let plural = |n: usize| if n == 1 { "package" } else { "packages" };
    if denied == 0 && warned == 0 {
        return format!(
            "{policy_file}: {} {} checked, no violations.",
            eval.checked,
            plural(eval.checked)
        );
    }
    format!(
        "{policy_file}: {denied} {} denied, {warned} with warnings only, {} checked.",
        plural(denied),
        eval.checked
    )
}

/// The verb a whole evaluation ends with.
pub fn outcome(eval: &Evaluation) -> Verb {
    if eval.denied() > 0 {
        Verb::Deny
    } else if eval.warned() > 0 {
        Verb::Warn
    } else {
        Verb::Allow
    }
}
