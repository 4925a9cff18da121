//! The verbs of the policy file: what a capability no grant covers does to `check`. Its own
//! module because both the file's reader and the vocabulary of inputs use it.

use std::fmt;

use serde::Deserialize;

/// What a capability that no grant covers does to `check`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Verb {
    /// Nothing.
    Allow,
    /// Printed; `check` still exits 0.
    Warn,
    /// Printed; `check` exits 1.
    Deny,
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verb::Allow => "allow",
            Verb::Warn => "warn",
            Verb::Deny => "deny",
        })
    }
}
