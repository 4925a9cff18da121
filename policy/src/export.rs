//! `check --format json` and `check --format sarif`: the same [`Evaluation`] the text
//! renderer reads, as data. JSON keeps everything (verdicts, violations with evidence and
//! locations, the grant to add, the inclusion path, notes); SARIF gives one result per
//! violation, with the policy's names as rule ids, through the report crate's SARIF writer.

use serde::Serialize;

use risk_report::render::sarif::{Level, Rule, SarifResult};

use crate::eval::{Evaluation, UNLISTED};
use crate::file::Verb;
use crate::inputs;
use crate::render::{Locations, summary};

#[derive(Serialize)]
struct Check<'a> {
    policy: &'a str,
    passes: bool,
    checked: usize,
    denied: usize,
    warned: usize,
    summary: String,
    packages: Vec<Verdict<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Verdict<'a> {
    key: &'a str,
    name: &'a str,
    version: &'a str,
    level: &'static str,
    /// The package first, then each dependent up to a workspace member.
    inclusion_path: &'a [String],
    violations: Vec<Violation<'a>>,
    grant: &'a str,
}

#[derive(Serialize)]
struct Violation<'a> {
    capability: &'a str,
    verb: String,
    why: String,
    evidence: &'a [String],
    locations: Vec<Location<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// The evaluation as pretty JSON, ending in a newline.
pub fn check_json(eval: &Evaluation, locations: &Locations, policy_file: &str) -> String {
    let packages = eval
        .verdicts
        .iter()
        .map(|v| Verdict {
            key: &v.key,
            name: &v.name,
            version: &v.version,
            level: if v.denied() { "error" } else { "warning" },
            inclusion_path: &v.path,
            violations: v
                .violations
                .iter()
                .map(|x| Violation {
                    capability: &x.capability,
                    verb: x.verb.to_string(),
                    why: x.why.describe(&x.capability),
                    evidence: &x.evidence,
                    locations: locations
                        .get(&v.key)
                        .into_iter()
                        .flatten()
                        .filter(|l| l.capability == x.capability)
                        .map(|l| Location {
                            at: &l.at,
                            source: l.source.as_deref(),
                        })
                        .collect(),
                })
                .collect(),
            grant: &v.grant,
        })
        .collect();
    let check = Check {
        policy: policy_file,
        passes: eval.passes(),
        checked: eval.checked,
        denied: eval.denied(),
        warned: eval.warned(),
        summary: summary(eval, policy_file),
        packages,
        notes: &eval.notes,
    };
    let mut text = serde_json::to_string_pretty(&check).unwrap_or_default();
    text.push('\n');
    text
}

/// The rules of a policy check: every name a policy can use, and `unlisted`.
pub fn rules() -> Vec<Rule> {
    let mut out: Vec<Rule> = inputs::all()
        .map(|name| Rule {
            id: name,
            text: inputs::Input::from_code(name).map_or("", |i| i.info().describe),
            level: Level::Error,
        })
        .collect();
    out.push(Rule {
        id: UNLISTED,
        text: "no grant lists this crate while unlisted-crates is set",
        level: Level::Error,
    });
    out
}

/// One SARIF result per violation: denials are errors, warnings warnings. The message says
/// why, with the evidence, the first locations in the crate and the inclusion path.
pub fn sarif_results(eval: &Evaluation, locations: &Locations) -> Vec<SarifResult> {
    const SHOWN: usize = 3;
    let mut out = Vec::new();
    for v in &eval.verdicts {
        for x in &v.violations {
            let mut message = format!(
                "{} {}: {} {}: {}",
                v.name,
                v.version,
                x.verb,
                x.capability,
                x.why.describe(&x.capability)
            );
            if !x.evidence.is_empty() {
                message.push_str(&format!(" ({})", x.evidence.join("; ")));
            }
            let at: Vec<&str> = locations
                .get(&v.key)
                .into_iter()
                .flatten()
                .filter(|l| l.capability == x.capability)
                .map(|l| l.at.as_str())
                .take(SHOWN)
                .collect();
            if !at.is_empty() {
                message.push_str(&format!("; at {}", at.join(", ")));
            }
            if v.path.len() > 1 {
                message.push_str(&format!("; inclusion path {}", v.path.join(" <- ")));
            }
            out.push(SarifResult {
                rule: x.capability.clone(),
                level: if x.verb == Verb::Deny {
                    Level::Error
                } else {
                    Level::Warning
                },
                package: v.name.clone(),
                version: v.version.clone(),
                message,
            });
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Verdict as V, Violation as X, Why};
    use crate::render::Location as L;

    fn eval() -> Evaluation {
        Evaluation {
            checked: 3,
            verdicts: vec![V {
                key: "glob@0.3.1".into(),
                name: "glob".into(),
                version: "0.3.1".into(),
                violations: vec![
                    X {
                        capability: "net".into(),
                        verb: Verb::Deny,
                        why: Why::NotGranted,
                        evidence: vec!["shipped code: net x1".into()],
                    },
                    X {
                        capability: "no-vcs-info".into(),
                        verb: Verb::Warn,
                        why: Why::NotGranted,
                        evidence: vec![],
                    },
                ],
                grant: "[[grant.glob]]\nallow = [\"net\"]\n".into(),
                path: vec!["glob".into(), "ignore".into(), "ripgrep".into()],
            }],
            notes: vec!["a note".into()],
        }
    }

    fn locations() -> Locations {
        [(
            "glob@0.3.1".to_owned(),
            vec![L {
                capability: "net".into(),
                at: "src/lib.rs:2:5: net std::net::TcpStream::connect".into(),
                source: Some("TcpStream::connect(x)".into()),
            }],
        )]
        .into()
    }

    #[test]
    fn json_carries_every_part_of_the_verdict() -> Result<(), serde_json::Error> {
        let v: serde_json::Value =
            serde_json::from_str(&check_json(&eval(), &locations(), "risk-policy.toml"))?;
        assert_eq!(v["passes"], false);
        assert_eq!(v["denied"], 1);
        let p = &v["packages"][0];
        assert_eq!(p["level"], "error");
        assert_eq!(p["inclusion_path"][2], "ripgrep");
        assert_eq!(p["violations"][0]["verb"], "deny");
        assert_eq!(p["violations"][0]["why"], "not granted");
        assert_eq!(
            p["violations"][0]["locations"][0]["source"],
            "TcpStream::connect(x)"
        );
        assert_eq!(p["violations"][1]["locations"], serde_json::json!([]));
        assert_eq!(v["notes"][0], "a note");
        Ok(())
    }

    #[test]
    fn sarif_has_one_result_per_violation_and_a_rule_for_every_name() {
        let r = sarif_results(&eval(), &locations());
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].rule.as_str(), r[0].level), ("net", Level::Error));
        assert!(
            r[0].message.ends_with(
                "at src/lib.rs:2:5: net std::net::TcpStream::connect; inclusion path glob <- ignore <- ripgrep"
            ),
            "{}",
            r[0].message
        );
        assert_eq!(r[1].level, Level::Warning);
        let ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
        for name in inputs::all().chain([UNLISTED]) {
            assert!(ids.contains(&name), "{name}");
        }
        assert!(rules().iter().all(|r| !r.text.is_empty()));
    }
}
