//! How a package is reached, and what a change of it means: a dev-only crate that becomes a
//! normal dependency brings every capability it has into what users run, with no new version
//! and no new byte. That is a risk increase of its own, not a "change in place".

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::capability::{Capability, Severity};
use crate::model::DepKind;

/// How a package's dependency kinds changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    pub old: BTreeSet<DepKind>,
    pub new: BTreeSet<DepKind>,
    /// The capabilities of the new version: what it brings where it now goes.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub brings: BTreeSet<Capability>,
}

/// How far a package's code goes, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Exposure {
    /// Only tests, examples and benches build it.
    Dev,
    /// It runs at build time (a build dependency, or a dependency of one).
    Build,
    /// It is in what users of the workspace run.
    Shipped,
}

fn exposure(kinds: &BTreeSet<DepKind>) -> Option<Exposure> {
    kinds
        .iter()
        .map(|k| match k {
            DepKind::Normal => Exposure::Shipped,
            DepKind::Build => Exposure::Build,
            DepKind::Dev => Exposure::Dev,
        })
        .max()
}

/// `dev-only`, `build-only`, `build and dev only`.
fn only(kinds: &BTreeSet<DepKind>) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    match words.as_slice() {
        [one] => format!("{one}-only"),
        many => format!("{} only", many.join(" and ")),
    }
}

/// What a reach change says in the delta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rated {
    pub severity: Severity,
    pub headline: String,
    /// Set when the change adds risk: what the gate line says.
    pub gate: Option<String>,
}

impl Reach {
    /// The change between two sets of dependency kinds, the new version having `caps`;
    /// `None` when they are equal or one is empty (a workspace member, or a package added or
    /// removed).
    pub fn between(
        old: &BTreeSet<DepKind>,
        new: &BTreeSet<DepKind>,
        caps: &BTreeSet<Capability>,
    ) -> Option<Reach> {
        (old != new && !old.is_empty() && !new.is_empty()).then(|| Reach {
            old: old.clone(),
            new: new.clone(),
            brings: caps.clone(),
        })
    }

    /// True when the package's code now goes further: dev-only to build time or shipped,
    /// build-only to shipped.
    pub fn rises(&self) -> bool {
        exposure(&self.new) > exposure(&self.old)
    }

    /// The package now ships where it did not.
    pub fn now_shipped(&self) -> bool {
        self.rises() && exposure(&self.new) == Some(Exposure::Shipped)
    }

    /// The headline, severity and gate reason.
    pub(crate) fn rate(&self) -> Rated {
        let (old, new) = (exposure(&self.old), exposure(&self.new));
        let mut caps: Vec<Capability> = self.brings.iter().copied().collect();
        caps.sort_by_key(|c| c.rank());
        let names: Vec<&str> = caps.iter().map(|c| c.code()).collect();
        if new > old {
            let what = match new {
                Some(Exposure::Shipped) => "now shipped",
                Some(Exposure::Build | Exposure::Dev) | None => "now runs at build time",
            };
            let was = format!("{what} (was {})", only(&self.old));
            let severity = caps
                .iter()
                .map(|c| c.severity())
                .max()
                .unwrap_or(Severity::Low);
            return if names.is_empty() {
                Rated {
                    severity,
                    headline: format!("{was}, no capabilities"),
                    gate: None,
                }
            } else {
                Rated {
                    severity,
                    headline: format!("{was}, brings {}", names.join(", ")),
                    gate: Some(format!("{was}: {}", names.join(" "))),
                }
            };
        }
        let headline = if new < old {
            let what = match old {
                Some(Exposure::Shipped) => "no longer shipped",
                Some(Exposure::Build | Exposure::Dev) | None => "no longer runs at build time",
            };
            format!("{what} (now {})", only(&self.new))
        } else {
            format!(
                "now reached as {} (was {})",
                crate::diff::kinds_text(&self.new),
                crate::diff::kinds_text(&self.old)
            )
        };
        Rated {
            severity: Severity::Low,
            headline,
            gate: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(k: &[DepKind]) -> BTreeSet<DepKind> {
        k.iter().copied().collect()
    }

    #[test]
    fn dev_only_to_shipped_brings_its_capabilities() {
        let brings = [Capability::Fs, Capability::Net].into_iter().collect();
        let r = Reach::between(&kinds(&[DepKind::Dev]), &kinds(&[DepKind::Normal]), &brings);
        let Some(r) = r else { panic!("a reach change") };
        assert!(r.rises() && r.now_shipped());
        let rated = r.rate();
        assert_eq!(rated.headline, "now shipped (was dev-only), brings net, fs");
        assert_eq!(rated.severity, Severity::High);
        assert_eq!(
            rated.gate.as_deref(),
            Some("now shipped (was dev-only): net fs")
        );
        let plain = Reach {
            brings: BTreeSet::new(),
            ..r
        }
        .rate();
        assert_eq!(plain.gate, None, "nothing to bring, nothing to gate");
    }

    #[test]
    fn leaving_shipped_code_is_shown_and_does_not_gate() {
        let r = Reach::between(
            &kinds(&[DepKind::Normal]),
            &kinds(&[DepKind::Build, DepKind::Dev]),
            &[Capability::Net].into_iter().collect(),
        );
        let Some(r) = r else { panic!("a reach change") };
        assert!(!r.rises());
        let rated = r.rate();
        assert_eq!(rated.headline, "no longer shipped (now build and dev only)");
        assert_eq!((rated.severity, rated.gate), (Severity::Low, None));
    }

    #[test]
    fn dev_to_build_runs_at_build_time() {
        let caps = [Capability::Process].into_iter().collect();
        let r = Reach::between(&kinds(&[DepKind::Dev]), &kinds(&[DepKind::Build]), &caps);
        let rated = r.map(|r| r.rate());
        assert_eq!(
            rated.and_then(|r| r.gate).as_deref(),
            Some("now runs at build time (was dev-only): process")
        );
        let none = Reach::between(&kinds(&[]), &kinds(&[DepKind::Normal]), &caps);
        assert_eq!(none, None);
    }
}
