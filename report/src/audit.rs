//! What human audits (cargo-vet's `supply-chain/`) say about one package version, as the report
//! row carries it. Filled by the CLI through the policy crate; the report crate only holds it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// The audit status of one exact version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// The criteria this version is certified for (`safe-to-deploy`, `safe-to-run`, custom
    /// ones), implied criteria included.
    pub criteria: BTreeSet<String>,
    /// When the version was certified only through delta audits: the fully audited version
    /// the chain starts from. Absent when this version was audited in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}
