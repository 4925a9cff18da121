//! `risk-policy.toml`: the verbs per capability, the grants per crate, and the "allowed to
//! exist" mode. Parsed and validated once into a [`Policy`]; `docs/policy.md` is the reference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use risk_report::model::DepKind;
use semver::{Version, VersionReq};
use serde::Deserialize;

use crate::date::Date;
use crate::inputs::{all, is_known};
pub use crate::verb::Verb;

/// The policy file's default name, at the workspace root.
pub const DEFAULT_FILE: &str = "risk-policy.toml";

/// Which versions of a crate a grant covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// No `version` key: every version.
    Any,
    /// A full version such as `1.2.3`: that version only (as in cargo-vet audits).
    Exact(Version),
    /// Anything else: a Cargo requirement (`^1.2`, `>=1, <3`, `~0.4`, `=1.2.3`).
    Range(VersionReq),
}

impl VersionSpec {
    fn parse(text: &str) -> Result<VersionSpec, String> {
        if let Ok(v) = Version::parse(text.trim()) {
            return Ok(VersionSpec::Exact(v));
        }
        VersionReq::parse(text)
            .map(VersionSpec::Range)
            .map_err(|e| format!("`{text}` is neither a version nor a version requirement: {e}"))
    }

    /// Whether `version` (as the report writes it) is covered. A version that is not semver
    /// is only covered by a grant for every version.
    pub fn matches(&self, version: &str) -> bool {
        match self {
            VersionSpec::Any => true,
            VersionSpec::Exact(v) => Version::parse(version).is_ok_and(|x| &x == v),
            VersionSpec::Range(r) => Version::parse(version).is_ok_and(|x| r.matches(&x)),
        }
    }
}

impl fmt::Display for VersionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionSpec::Any => f.write_str("all versions"),
            VersionSpec::Exact(v) => write!(f, "{v}"),
            VersionSpec::Range(r) => write!(f, "{r}"),
        }
    }
}

/// One `[[grant.NAME]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub krate: String,
    pub version: VersionSpec,
    pub allow: BTreeSet<String>,
    pub reason: Option<String>,
    pub expires: Option<Date>,
    /// `reached-as`: the grant covers the package only while every way it is reached is one
    /// of these (a dev-only crate's grant ends when it starts to ship). `None`: any way.
    pub reached_as: Option<BTreeSet<DepKind>>,
}

impl Grant {
    /// `grant.foo (^1)` for messages.
    pub fn label(&self) -> String {
        match &self.version {
            VersionSpec::Any => format!("grant.{}", self.krate),
            v => format!("grant.{} ({v})", self.krate),
        }
    }

    /// Whether the grant covers a package reached as `kinds`.
    pub fn covers_reach(&self, kinds: &BTreeSet<DepKind>) -> bool {
        self.reached_as
            .as_ref()
            .is_none_or(|allowed| kinds.is_subset(allowed))
    }

    /// Expired when today is past the `expires` date (the date itself still counts).
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| today > d)
    }
}

/// The validated policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The verb of any capability not named in `[capabilities]`.
    pub default: Verb,
    /// "Allowed to exist" mode: the verb for a package no grant matches at all.
    pub unlisted_crates: Verb,
    pub verbs: BTreeMap<String, Verb>,
    /// In file order within each crate, crates sorted.
    pub grants: Vec<Grant>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default: Verb::Deny,
            unlisted_crates: Verb::Allow,
            verbs: BTreeMap::new(),
            grants: Vec::new(),
        }
    }
}

impl Policy {
    /// The verb for a capability no grant covers.
    pub fn verb(&self, capability: &str) -> Verb {
        self.verbs.get(capability).copied().unwrap_or(self.default)
    }

    /// Every grant for one crate name.
    pub fn grants_for<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.iter().filter(move |g| g.krate == name)
    }

    /// Parses and validates the policy file's text.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let table: toml::Table = toml::from_str(text).map_err(PolicyError::Syntax)?;
        if let Some(toml::Value::Table(grants)) = table.get("grant") {
            for (name, v) in grants {
                if !v.is_array() {
                    return Err(PolicyError::Invalid(format!(
                        "`grant.{name}` must be written `[[grant.{name}]]` (an array of tables: a crate can have several grants)"
                    )));
                }
            }
        }
        let raw: RawPolicy = toml::from_str(text).map_err(PolicyError::Syntax)?;
        raw.validate()
    }
}

/// Why the policy file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not TOML, or not the policy file's shape (an unknown key, a wrong type): said as the
    /// parser says it, which quotes the line.
    #[error(transparent)]
    Syntax(toml::de::Error),
    /// Well-formed, but naming something the policy does not know or mixing what cannot go
    /// together.
    #[error("{0}")]
    Invalid(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    policy: RawDefaults,
    #[serde(default)]
    capabilities: BTreeMap<String, Verb>,
    #[serde(default)]
    grant: BTreeMap<String, Vec<RawGrant>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDefaults {
    default: Option<Verb>,
    unlisted_crates: Option<Verb>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case")]
struct RawGrant {
    version: Option<String>,
    allow: Vec<String>,
    reason: Option<String>,
    expires: Option<String>,
    reached_as: Option<Vec<String>>,
}

fn unknown(name: &str, place: &str) -> PolicyError {
    PolicyError::Invalid(format!(
        "unknown capability `{name}` in {place}; the known ones are: {}",
        all().collect::<Vec<_>>().join(", ")
    ))
}

impl RawPolicy {
    fn validate(self) -> Result<Policy, PolicyError> {
        for name in self.capabilities.keys() {
            if !is_known(name) {
                return Err(unknown(name, "[capabilities]"));
            }
        }
        let mut grants = Vec::new();
        for (krate, list) in self.grant {
            for g in list {
                let place = format!("[[grant.{krate}]]");
                for cap in &g.allow {
                    if !is_known(cap) {
                        return Err(unknown(cap, &place));
                    }
                }
                let version = match &g.version {
                    None => VersionSpec::Any,
                    Some(v) => VersionSpec::parse(v)
                        .map_err(|e| PolicyError::Invalid(format!("{place}: {e}")))?,
                };
                let expires = match &g.expires {
                    None => None,
                    Some(d) => Some(Date::parse(d).ok_or_else(|| {
                        PolicyError::Invalid(format!(
                            "{place}: expires = \"{d}\" is not a date written YYYY-MM-DD"
                        ))
                    })?),
                };
                let reached_as = match g.reached_as {
                    None => None,
                    Some(kinds) => Some(
                        kinds
                            .iter()
                            .map(|k| {
                                [DepKind::Normal, DepKind::Build, DepKind::Dev]
                                    .into_iter()
                                    .find(|d| d.code() == k)
                                    .ok_or_else(|| {
                                        PolicyError::Invalid(format!(
                                            "{place}: reached-as = [\"{k}\"]: the dependency kinds are \"normal\", \"build\" and \"dev\""
                                        ))
                                    })
                            })
                            .collect::<Result<BTreeSet<DepKind>, PolicyError>>()?,
                    ),
                };
                grants.push(Grant {
                    krate: krate.clone(),
                    version,
                    allow: g.allow.into_iter().collect(),
                    reason: g.reason,
                    expires,
                    reached_as,
                });
            }
        }
        let defaults = Policy::default();
        Ok(Policy {
            default: self.policy.default.unwrap_or(defaults.default),
            unlisted_crates: self
                .policy
                .unlisted_crates
                .unwrap_or(defaults.unlisted_crates),
            verbs: self.capabilities,
            grants,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[policy]
default = "warn"
unlisted-crates = "deny"

[capabilities]
net = "deny"
env-read = "allow"

[[grant.rayon]]
allow = ["unsafe"]
reason = "data parallelism"

[[grant.libc]]
version = "^0.2"
allow = ["ffi", "unsafe", "build-script"]
expires = "2030-01-31"

[[grant.libc]]
version = "0.3.1"
allow = []
"#;

    #[test]
    fn reads_every_part() -> Result<(), PolicyError> {
        let p = Policy::from_toml(EXAMPLE)?;
        assert_eq!(p.default, Verb::Warn);
        assert_eq!(p.unlisted_crates, Verb::Deny);
        assert_eq!(p.verb("net"), Verb::Deny);
        assert_eq!(p.verb("env-read"), Verb::Allow);
        assert_eq!(p.verb("fs"), Verb::Warn);
        let libc: Vec<&Grant> = p.grants_for("libc").collect();
        assert_eq!(libc.len(), 2);
        assert!(libc[0].version.matches("0.2.170"));
        assert!(!libc[0].version.matches("0.3.0"));
        assert_eq!(
            libc[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2030-01-31")
        );
        assert!(libc[1].version.matches("0.3.1"));
        assert!(!libc[1].version.matches("0.3.2"), "a bare version is exact");
        assert_eq!(libc[0].label(), "grant.libc (^0.2)");
        assert_eq!(p.grants_for("rayon").count(), 1);
        let rayon: Vec<&Grant> = p.grants_for("rayon").collect();
        assert!(
            rayon[0].version.matches("not-semver"),
            "all versions, even odd ones"
        );
        Ok(())
    }

    #[test]
    fn defaults_deny_capabilities_and_allow_unlisted_crates() -> Result<(), PolicyError> {
        let p = Policy::from_toml("")?;
        assert_eq!(p.verb("net"), Verb::Deny);
        assert_eq!(p.unlisted_crates, Verb::Allow);
        Ok(())
    }

    #[test]
    fn mistakes_are_explained() {
        let err = |text: &str| {
            Policy::from_toml(text)
                .err()
                .map(|e| match e {
                    PolicyError::Syntax(cause) => cause.to_string(),
                    PolicyError::Invalid(message) => message,
                })
                .unwrap_or_default()
        };
        assert!(
            err("[capabilities]\nnetwork = \"deny\"\n").contains("unknown capability `network`")
        );
        assert!(err("[[grant.a]]\nallow = [\"nett\"]\n").contains("[[grant.a]]"));
        assert!(err("[grant.a]\nallow = []\n").contains("[[grant.a]]"));
        assert!(err("[[grant.a]]\nallow = []\nversion = \"one\"\n").contains("`one`"));
        assert!(err("[[grant.a]]\nallow = []\nexpires = \"2024-02-30\"\n").contains("YYYY-MM-DD"));
        assert!(err("[[grant.a]]\nallow = []\nreasons = \"x\"\n").contains("reasons"));
        assert!(err("[capabilities]\nnet = \"block\"\n").contains("block"));
        assert!(err("[policy]\nunlisted = \"deny\"\n").contains("unlisted"));
        assert!(err("[[grant.a]]\nallow = []\nreached-as = [\"test\"]\n").contains("\"dev\""));
    }

    #[test]
    fn expiry_includes_the_day_itself() {
        let g = Grant {
            krate: "a".into(),
            version: VersionSpec::Any,
            allow: BTreeSet::new(),
            reason: None,
            expires: Date::parse("2025-06-30"),
            reached_as: None,
        };
        let day = |s| {
            Date::parse(s).unwrap_or(Date {
                year: 0,
                month: 1,
                day: 1,
            })
        };
        assert!(!g.expired(day("2025-06-30")));
        assert!(g.expired(day("2025-07-01")));
    }
}
