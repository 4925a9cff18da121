//! Reading the report in tests. The report's layout belongs to `risk_report`; this is the one
//! place the end-to-end tests know it, so a layout change is a change here only.

use std::collections::BTreeMap;

use super::TestResult;

/// The parts of a package row the CLI is responsible for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `crates-io`, `registry`, `git` or `path`.
    pub source_kind: String,
    /// The registry URL, git URL or relative path; empty for crates.io.
    pub source_value: String,
    pub checksum: Option<String>,
    pub checksum_verified: bool,
    pub dep_kinds: Vec<String>,
    /// Member name to the kinds by which it reaches the package.
    pub reached_from: BTreeMap<String, Vec<String>>,
    pub workspace_member: bool,
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Rows keyed `name@version`.
pub fn rows_from_toml(text: &str) -> TestResult<BTreeMap<String, Row>> {
    let doc: toml::Value = toml::from_str(text)?;
    rows(&serde_json::to_value(doc)?)
}

pub fn rows_from_json(text: &str) -> TestResult<BTreeMap<String, Row>> {
    rows(&serde_json::from_str(text)?)
}

fn rows(doc: &serde_json::Value) -> TestResult<BTreeMap<String, Row>> {
    let table = doc
        .get("package")
        .and_then(|p| p.as_object())
        .ok_or("report has no package table")?;
    let mut out = BTreeMap::new();
    for (key, row) in table {
        let (source_kind, source_value) = match row.get("source") {
            Some(serde_json::Value::String(s)) => (s.clone(), String::new()),
            Some(serde_json::Value::Object(o)) => o
                .iter()
                .next()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .ok_or("empty source")?,
            other => return Err(format!("{key}: bad source {other:?}").into()),
        };
        let dep_kinds = row
            .get("dep-kinds")
            .and_then(|k| k.as_array())
            .ok_or_else(|| format!("{key}: no dep-kinds"))?
            .iter()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect();
        out.insert(
            key.clone(),
            Row {
                source_kind,
                source_value,
                checksum: row
                    .get("checksum")
                    .and_then(|c| c.as_str())
                    .map(str::to_owned),
                checksum_verified: row
                    .get("checksum-verified")
                    .and_then(|v| v.as_bool())
                    .ok_or_else(|| format!("{key}: no checksum-verified"))?,
                dep_kinds,
                reached_from: row
                    .get("reached-from")
                    .and_then(|r| r.as_object())
                    .map(|o| o.iter().map(|(m, k)| (m.clone(), strings(k))).collect())
                    .unwrap_or_default(),
                workspace_member: row
                    .get("workspace-member")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            },
        );
    }
    Ok(out)
}
