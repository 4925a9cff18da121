//! Human audits recorded with cargo-vet, reused rather than reinvented: `supply-chain/audits.toml`
//! and, when present, `supply-chain/imports.lock`. Only the fields needed here are read;
//! anything else in those files is ignored, so newer cargo-vet files still load.
//!
//! A version is audited for a criterion when it has a full audit for it, or a delta audit
//! `a -> version` for it from a version that is itself audited for it (a delta chain).
//! Criteria implications are followed: the built-in `safe-to-deploy` implies `safe-to-run`, and
//! custom `[criteria.NAME] implies = ...` entries are read from both files.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use risk_report::audit::AuditRow;
use serde::Deserialize;

/// Why an audits file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VetError {
    #[error("{file}: not valid cargo-vet TOML")]
    Syntax {
        file: String,
        #[source]
        source: TomlSyntax,
    },
    #[error("{file}: audit of `{name}` has {message}")]
    Entry {
        file: String,
        name: String,
        message: String,
    },
}

/// The TOML parser's error, said in its short form (what is wrong, without quoting the file's
/// line): the whole error stays reachable for its span.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.message())]
pub struct TomlSyntax(pub Box<toml::de::Error>);

/// A string or a list of strings, as cargo-vet writes `criteria`, `who` and `implies`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct CriteriaEntry {
    #[serde(default)]
    implies: OneOrMany,
}

#[derive(Debug, Deserialize)]
struct AuditEntry {
    #[serde(default)]
    who: OneOrMany,
    #[serde(default)]
    criteria: OneOrMany,
    version: Option<String>,
    delta: Option<String>,
    /// `violation` entries forbid versions; they certify nothing.
    violation: Option<String>,
    notes: Option<String>,
}

/// `audits.toml`, and each import in `imports.lock`, share this shape.
#[derive(Debug, Default, Deserialize)]
struct AuditSet {
    #[serde(default)]
    criteria: BTreeMap<String, CriteriaEntry>,
    #[serde(default)]
    audits: BTreeMap<String, Vec<AuditEntry>>,
}

#[derive(Debug, Default, Deserialize)]
struct ImportsLock {
    #[serde(default)]
    audits: BTreeMap<String, AuditSet>,
}

/// One audit, full (`from: None`) or delta.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Audit {
    pub from: Option<String>,
    pub to: String,
    /// As written; implications are applied when versions are looked up.
    pub criteria: BTreeSet<String>,
    pub who: Vec<String>,
    pub notes: Option<String>,
    /// The import it came from (`None`: the project's own audits.toml).
    pub import: Option<String>,
}

/// Every audit known, by crate name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audits {
    pub by_crate: BTreeMap<String, Vec<Audit>>,
    implies: BTreeMap<String, BTreeSet<String>>,
}

impl Audits {
    /// Reads `audits.toml` text and, optionally, `imports.lock` text.
    pub fn parse(audits_toml: &str, imports_lock: Option<&str>) -> Result<Audits, VetError> {
        let mut out = Audits::default();
        out.implies
            .entry("safe-to-deploy".to_owned())
            .or_default()
            .insert("safe-to-run".to_owned());
        let own: AuditSet = toml::from_str(audits_toml).map_err(|e| VetError::Syntax {
            file: "supply-chain/audits.toml".into(),
            source: TomlSyntax(Box::new(e)),
        })?;
        out.add_set(own, None, "supply-chain/audits.toml")?;
        if let Some(text) = imports_lock {
            let lock: ImportsLock = toml::from_str(text).map_err(|e| VetError::Syntax {
                file: "supply-chain/imports.lock".into(),
                source: TomlSyntax(Box::new(e)),
            })?;
            for (import, set) in lock.audits {
                out.add_set(set, Some(import), "supply-chain/imports.lock")?;
            }
        }
        Ok(out)
    }

    fn add_set(
        &mut self,
        set: AuditSet,
        import: Option<String>,
        file: &str,
    ) -> Result<(), VetError> {
        for (name, c) in set.criteria {
            self.implies
                .entry(name)
                .or_default()
                .extend(c.implies.into_vec());
        }
        for (name, entries) in set.audits {
            for e in entries {
                if e.violation.is_some() {
                    continue;
                }
                let bad = |message: &str| VetError::Entry {
                    file: file.to_owned(),
                    name: name.clone(),
                    message: message.to_owned(),
                };
                let (from, to) = match (e.version, e.delta) {
                    (Some(v), None) => (None, v.trim().to_owned()),
                    (None, Some(d)) => {
                        let (a, b) = d
                            .split_once("->")
                            .ok_or_else(|| bad("a `delta` without `->`"))?;
                        (Some(a.trim().to_owned()), b.trim().to_owned())
                    }
                    (Some(_), Some(_)) => return Err(bad("both `version` and `delta`")),
                    (None, None) => return Err(bad("neither `version` nor `delta`")),
                };
                let criteria: BTreeSet<String> = e.criteria.into_vec().into_iter().collect();
                if criteria.is_empty() {
                    return Err(bad("no `criteria`"));
                }
                self.by_crate.entry(name.clone()).or_default().push(Audit {
                    from,
                    to,
                    criteria,
                    who: e.who.into_vec(),
                    notes: e.notes,
                    import: import.clone(),
                });
            }
        }
        for list in self.by_crate.values_mut() {
            list.sort();
            list.dedup();
        }
        Ok(())
    }

    /// The criteria and everything they imply.
    fn closure(&self, criteria: &BTreeSet<String>) -> BTreeSet<String> {
        let mut out = criteria.clone();
        let mut todo: Vec<String> = criteria.iter().cloned().collect();
        while let Some(c) = todo.pop() {
            for implied in self.implies.get(&c).into_iter().flatten() {
                if out.insert(implied.clone()) {
                    todo.push(implied.clone());
                }
            }
        }
        out
    }

    /// What the audits say about one version: `None` when it is audited for nothing.
    pub fn status(&self, name: &str, version: &str) -> Option<AuditRow> {
        let audits = self.by_crate.get(name)?;
        let edges: Vec<(Option<&str>, &str, BTreeSet<String>)> = audits
            .iter()
            .map(|a| (a.from.as_deref(), a.to.as_str(), self.closure(&a.criteria)))
            .collect();
        let all: BTreeSet<&String> = edges.iter().flat_map(|e| e.2.iter()).collect();
        let mut criteria = BTreeSet::new();
        let mut roots = BTreeSet::new();
        for c in all {
            if let Some(root) = reach(&edges, c, version) {
                criteria.insert(c.clone());
                roots.insert(root);
            }
        }
        if criteria.is_empty() {
            return None;
        }
        // Audited in full for some criterion: no chain to name. Else the oldest chain root.
        let from = if roots.contains(version) {
            None
        } else {
            roots.into_iter().next().map(str::to_owned)
        };
        Some(AuditRow { criteria, from })
    }

    /// Whether any audit names this crate at all.
    pub fn knows(&self, name: &str) -> bool {
        self.by_crate.contains_key(name)
    }
}

/// The fully audited version from which `target` is reached for criterion `c` through delta
/// audits for `c` (the target itself when it is audited in full), by breadth-first search so
/// the shortest chain wins.
fn reach<'a>(
    edges: &[(Option<&'a str>, &'a str, BTreeSet<String>)],
    c: &str,
    target: &str,
) -> Option<&'a str> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::new();
    for (from, to, crit) in edges {
        if from.is_none() && crit.contains(c) && !seen.contains_key(to) {
            seen.insert(to, to);
            queue.push_back(*to);
        }
    }
    while let Some(v) = queue.pop_front() {
        let root = seen.get(v).copied().unwrap_or(v);
        if v == target {
            return Some(root);
        }
        for (from, to, crit) in edges {
            if *from == Some(v) && crit.contains(c) && !seen.contains_key(to) {
                seen.insert(to, root);
                queue.push_back(*to);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_keeps_the_parser_error_as_its_source() {
        use std::error::Error as _;
        let e = Audits::parse("[[audits.x]\n", None).err();
        let said = e.as_ref().map(ToString::to_string);
        assert_eq!(
            said.as_deref(),
            Some("supply-chain/audits.toml: not valid cargo-vet TOML")
        );
        let cause = e.as_ref().and_then(|e| e.source()).map(ToString::to_string);
        assert!(
            cause
                .as_deref()
                .is_some_and(|c| !c.is_empty() && !c.contains('\n')),
            "the parser's short message: {cause:?}"
        );
    }

    const AUDITS: &str = r#"
[criteria.crypto-reviewed]
description = "crypto checked"
implies = "safe-to-deploy"

[[audits.foo]]
who = "Ann <ann@example.com>"
criteria = "safe-to-deploy"
version = "1.0.0"
notes = "read it all"

[[audits.foo]]
who = ["Bob"]
criteria = ["safe-to-deploy"]
delta = "1.0.0 -> 1.1.0"

[[audits.foo]]
who = "Bob"
criteria = "safe-to-run"
delta = "1.1.0 -> 1.2.0"

[[audits.foo]]
criteria = "safe-to-deploy"
violation = "<0.5"

[[audits.bar]]
criteria = "crypto-reviewed"
version = "2.0.0"

[[audits.orphan]]
criteria = "safe-to-deploy"
delta = "1.0.0 -> 1.0.1"
"#;

    const IMPORTS: &str = r#"
[[audits.google.audits.baz]]
who = "Someone"
criteria = "safe-to-run"
version = "0.3.0"
aggregated-from = "https://example.com/audits.toml"

[[publisher.ignored]]
version = "1.0.0"
when = "2024-01-01"
"#;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn full_and_delta_chains_for_each_criterion() -> Result<(), VetError> {
        let a = Audits::parse(AUDITS, Some(IMPORTS))?;
        let full = a.status("foo", "1.0.0");
        assert_eq!(
            full,
            Some(AuditRow {
                criteria: set(&["safe-to-deploy", "safe-to-run"]),
                from: None
            })
        );
        assert_eq!(
            a.status("foo", "1.1.0"),
            Some(AuditRow {
                criteria: set(&["safe-to-deploy", "safe-to-run"]),
                from: Some("1.0.0".into())
            })
        );
        // The last link is only safe-to-run, so 1.2.0 is not safe-to-deploy.
        assert_eq!(
            a.status("foo", "1.2.0").map(|r| r.criteria),
            Some(set(&["safe-to-run"]))
        );
        assert_eq!(a.status("foo", "1.3.0"), None);
        // A delta from a version nobody audited in full certifies nothing.
        assert_eq!(a.status("orphan", "1.0.1"), None);
        assert!(a.knows("orphan") && !a.knows("nobody"));
        Ok(())
    }

    #[test]
    fn custom_criteria_implications_and_imports() -> Result<(), VetError> {
        let a = Audits::parse(AUDITS, Some(IMPORTS))?;
        assert_eq!(
            a.status("bar", "2.0.0").map(|r| r.criteria),
            Some(set(&["crypto-reviewed", "safe-to-deploy", "safe-to-run"]))
        );
        let baz = &a.by_crate["baz"][0];
        assert_eq!(baz.import.as_deref(), Some("google"));
        assert_eq!(
            a.status("baz", "0.3.0").map(|r| r.criteria),
            Some(set(&["safe-to-run"]))
        );
        Ok(())
    }

    #[test]
    fn malformed_entries_are_errors_naming_the_crate() {
        let err = |text: &str| {
            Audits::parse(text, None)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err("[[audits.x]]\ncriteria = \"safe-to-run\"\n").contains("`x`"));
        assert!(err("[[audits.x]]\ncriteria = \"a\"\ndelta = \"1 2\"\n").contains("->"));
        assert!(err("[[audits.x]]\nversion = \"1.0.0\"\n").contains("criteria"));
        assert!(err("audits = 3").contains("audits.toml"));
        assert!(Audits::parse("", None).is_ok());
    }
}
