//! Reading the report in tests, through the report crate's own model: the e2e tests check what
//! the CLI fills in (sources, checksums, dependency kinds), the model's tests check the rest.

use std::collections::BTreeMap;

use risk_report::model::{Package, Report};

use super::TestResult;

/// The parts of a package row the CLI is responsible for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `crates-io`, `registry`, `sparse`, `git` or `path`.
    pub source_kind: String,
    /// The full `registry+URL` / `git+URL#rev` label, or the relative path; empty for crates.io.
    pub source_value: String,
    pub checksum: Option<String>,
    pub checksum_verified: bool,
    pub dep_kinds: Vec<String>,
    /// Member name to the kinds by which it reaches the package.
    pub reached_from: BTreeMap<String, Vec<String>>,
    pub workspace_member: bool,
    /// The whole row, for tests that look at facts.
    pub package: Package,
}

/// Rows keyed `name@version`.
pub fn rows_from_toml(text: &str) -> TestResult<BTreeMap<String, Row>> {
    let report: Report = toml::from_str(text)?;
    Ok(rows(report))
}

pub fn rows_from_json(text: &str) -> TestResult<BTreeMap<String, Row>> {
    let report: Report = serde_json::from_str(text)?;
    Ok(rows(report))
}

fn kind_names<T: serde::Serialize>(kinds: impl IntoIterator<Item = T>) -> Vec<String> {
    kinds
        .into_iter()
        .filter_map(|k| serde_json::to_value(k).ok())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn rows(report: Report) -> BTreeMap<String, Row> {
    report
        .packages
        .into_iter()
        .map(|(key, p)| {
            let (source_kind, source_value) = match p.source.split_once('+') {
                None => (p.source.clone(), String::new()),
                Some(("path", rel)) => ("path".to_owned(), rel.to_owned()),
                Some((kind, _)) => (kind.to_owned(), p.source.clone()),
            };
            let row = Row {
                source_kind,
                source_value,
                checksum: p.checksum.clone(),
                checksum_verified: p.checksum_verified,
                dep_kinds: kind_names(&p.dependency_kinds),
                reached_from: p
                    .reached_from
                    .iter()
                    .map(|(m, k)| (m.clone(), kind_names(k)))
                    .collect(),
                workspace_member: p.workspace_member,
                package: p,
            };
            (key, row)
        })
        .collect()
}
