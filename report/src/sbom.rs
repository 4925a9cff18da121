//! A CycloneDX 1.6 SBOM (JSON) made from a report: one component per package, with its
//! package URL, the SHA-256 Cargo.lock pins, its source, its scope, and the report's risk facts
//! as component properties under the `cargo-risk-report:` namespace (documented in
//! `docs/exports.md`). Also the reverse: the components of an SBOM, and how two sets of them
//! differ, for `sbom --verify`.
//!
//! The SBOM is deterministic like the report: no timestamp, no serial number, sorted
//! components and properties.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::model::{DepKind, Package, Report};

/// The property namespace; every property name starts with it.
pub const NAMESPACE: &str = "cargo-risk-report";

/// The workspace the SBOM describes, and the dependency edges between its packages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// The name the root component gets (the workspace folder's name).
    pub name: String,
    /// Workspace members as `(name, version)`.
    pub members: Vec<(String, String)>,
    /// Direct dependencies by bom-ref (a report key, or `name@version` of a member).
    pub edges: BTreeMap<String, BTreeSet<String>>,
    /// Members with a binary target (`name@version`), typed `application`; the others are
    /// libraries.
    pub applications: BTreeSet<String>,
    /// What each package's manifest says about its license, by report key (`name@version`
    /// for members).
    pub licenses: BTreeMap<String, License>,
}

/// A package's license as its manifest states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum License {
    /// The `license` field: an SPDX expression (the old `MIT/Apache-2.0` form is read as
    /// `MIT OR Apache-2.0`, as cargo documents it).
    Expression(String),
    /// Only `license-file`: a license the package ships as that file, named by it.
    File(String),
}

impl License {
    /// CycloneDX's `licenses` array.
    pub fn to_cyclonedx(&self) -> Value {
        match self {
            License::Expression(e) => {
                let spdx = e.split('/').map(str::trim).collect::<Vec<_>>().join(" OR ");
                json!([{ "expression": spdx }])
            }
            License::File(path) => {
                json!([{ "license": { "name": format!("LicenseRef-file: {path}") } }])
            }
        }
    }
}

/// `pkg:cargo/name@version`, with `repository_url` or `vcs_url` for packages from another
/// registry or git (purl spec, cargo type). Path packages get the bare form.
pub fn purl(p: &Package) -> String {
    let base = format!("pkg:cargo/{}@{}", pct(&p.name), pct(&p.version));
    let source = p.source.as_str();
    if let Some(url) = source
        .strip_prefix("registry+")
        .or_else(|| source.strip_prefix("sparse+"))
    {
        format!("{base}?repository_url={}", pct(url))
    } else if source.starts_with("git+") {
        format!("{base}?vcs_url={}", pct(source))
    } else {
        base
    }
}

/// Percent-encoding of everything outside purl's unreserved set.
fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn prop(out: &mut Vec<(String, String)>, name: &str, value: impl ToString) {
    out.push((format!("{NAMESPACE}:{name}"), value.to_string()));
}

/// The risk facts of one package as `(name, value)` properties, sorted.
pub fn properties(p: &Package) -> Vec<(String, String)> {
    let mut out = Vec::new();
    prop(&mut out, "source", &p.source);
    prop(&mut out, "checksum-verified", p.checksum_verified);
    for k in &p.dependency_kinds {
        prop(&mut out, "dependency-kind", dep_kind(*k));
    }
    if let Some(why) = &p.not_analyzed {
        prop(&mut out, "not-analyzed", why);
    }
    for c in &p.capabilities {
        prop(&mut out, "capability", c);
    }
    for (k, n) in &p.shipped {
        prop(&mut out, &format!("shipped:{}", k.code()), n);
    }
    for (k, n) in &p.build {
        prop(&mut out, &format!("build:{}", k.code()), n);
    }
    if let Some(b) = &p.build_script {
        for k in &b.kinds {
            prop(&mut out, "build-script-kind", k.code());
        }
    }
    if p.proc_macro {
        prop(&mut out, "proc-macro", true);
    }
    for e in &p.embedded {
        prop(&mut out, "embedded", e);
    }
    for b in p.binaries.iter().filter(|b| !b.fixture) {
        prop(&mut out, "binary", &b.path);
    }
    prop(&mut out, "files", p.coverage.files);
    prop(&mut out, "lines", p.coverage.lines);
    if !p.coverage.approximate.is_empty() {
        prop(&mut out, "files-approximate", p.coverage.approximate.len());
    }
    if !p.coverage.not_analyzed.is_empty() {
        prop(
            &mut out,
            "files-not-analyzed",
            p.coverage.not_analyzed.len(),
        );
    }
    if let Some(c) = &p.provenance.vcs_commit {
        prop(&mut out, "vcs-commit", c);
    }
    out.sort();
    out
}

fn dep_kind(k: DepKind) -> &'static str {
    match k {
        DepKind::Normal => "normal",
        DepKind::Build => "build",
        DepKind::Dev => "dev",
    }
}

fn component(key: &str, p: &Package, license: Option<&License>) -> Value {
    let mut c = json!({
        "type": "library",
        "bom-ref": key,
        "name": p.name,
        "version": p.version,
        // Needed at run time only when something reaches it by a normal edge; build-only and
        // dev-only packages are not part of what ships.
        "scope": if p.dependency_kinds.contains(&DepKind::Normal) || p.workspace_member {
            "required"
        } else {
            "optional"
        },
        "purl": purl(p),
        "properties": properties(p)
            .into_iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect::<Vec<_>>(),
    });
    if let Some(sum) = &p.checksum {
        c["hashes"] = json!([{ "alg": "SHA-256", "content": sum }]);
    }
    if let Some(l) = license {
        c["licenses"] = l.to_cyclonedx();
    }
    let source = p.source.as_str();
    let reference = if let Some(url) = source
        .strip_prefix("registry+")
        .or_else(|| source.strip_prefix("sparse+"))
    {
        Some(("distribution", url.to_owned()))
    } else {
        source
            .strip_prefix("git+")
            .map(|url| ("vcs", url.to_owned()))
    };
    if let Some((kind, url)) = reference {
        c["externalReferences"] = json!([{ "type": kind, "url": url }]);
    }
    c
}

/// A member's bom-ref in `metadata.component`: `name@version`, unless the member is also a
/// component (`--include-members`), whose bom-ref that is.
fn member_ref(report: &Report, name: &str, version: &str) -> String {
    let key = format!("{name}@{version}");
    if report.packages.contains_key(&key) {
        format!("workspace-member:{key}")
    } else {
        key
    }
}

/// The SBOM of a report.
pub fn cyclonedx(report: &Report, graph: &Graph, tool_version: &str) -> Value {
    let members: Vec<Value> = graph
        .members
        .iter()
        .map(|(n, v)| {
            let key = format!("{n}@{v}");
            let kind = if graph.applications.contains(&key) {
                "application"
            } else {
                "library"
            };
            let mut m = json!({
                "type": kind, "bom-ref": member_ref(report, n, v), "name": n, "version": v,
            });
            if let Some(l) = graph.licenses.get(&key) {
                m["licenses"] = l.to_cyclonedx();
            }
            m
        })
        .collect();
    let root = match members.as_slice() {
        [one] => one.clone(),
        _ => json!({
            "type": "application",
            "bom-ref": format!("workspace:{}", graph.name),
            "name": graph.name,
            "components": members,
        }),
    };
    let components: Vec<Value> = report
        .packages
        .iter()
        .map(|(key, p)| component(key, p, graph.licenses.get(key)))
        .collect();
    let mut bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": { "components": [{
                "type": "application", "name": "cargo-risk-report", "version": tool_version,
            }]},
            "component": root,
            "properties": [{
                "name": format!("{NAMESPACE}:schema-version"),
                "value": report.schema_version.to_string(),
            }],
        },
        "components": components,
    });
    if !graph.edges.is_empty() {
        let known: BTreeSet<&String> = report.packages.keys().collect();
        let depends_on = |key: &str| -> Vec<&String> {
            graph
                .edges
                .get(key)
                .into_iter()
                .flatten()
                .filter(|t| known.contains(t))
                .collect()
        };
        let mut deps: Vec<Value> = graph
            .members
            .iter()
            .map(|(n, v)| {
                let r = member_ref(report, n, v);
                json!({ "ref": r, "dependsOn": depends_on(&format!("{n}@{v}")) })
            })
            .collect();
        deps.extend(
            known
                .iter()
                .map(|key| json!({ "ref": key, "dependsOn": depends_on(key) })),
        );
        bom["dependencies"] = json!(deps);
    }
    bom
}

/// What `--verify` compares: a component's identity and hash.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pin {
    pub name: String,
    pub version: String,
    pub sha256: Option<String>,
}

/// The pins of a report's packages, by bom-ref.
pub fn pins_of_report(report: &Report) -> BTreeMap<String, Pin> {
    report
        .packages
        .iter()
        .map(|(key, p)| {
            let pin = Pin {
                name: p.name.clone(),
                version: p.version.clone(),
                sha256: p.checksum.as_ref().map(|s| s.to_ascii_lowercase()),
            };
            (key.clone(), pin)
        })
        .collect()
}

/// Why a JSON document gives no pins.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SbomError {
    #[error("not a CycloneDX JSON document (no `\"bomFormat\": \"CycloneDX\"`)")]
    NotCycloneDx,
    /// The component, as JSON.
    #[error("a component has no name or version: {0}")]
    Component(String),
}

/// The pins of an SBOM's components, by bom-ref (or `name@version` when it has none).
pub fn pins_of_sbom(bom: &Value) -> Result<BTreeMap<String, Pin>, SbomError> {
    if bom.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(SbomError::NotCycloneDx);
    }
    let mut out = BTreeMap::new();
    let components = bom
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for c in components {
        let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(name), Some(version)) = (text("name"), text("version")) else {
            return Err(SbomError::Component(c.to_string()));
        };
        let sha256 = c
            .get("hashes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|h| h.get("alg").and_then(Value::as_str) == Some("SHA-256"))
            .and_then(|h| h.get("content").and_then(Value::as_str))
            .map(str::to_ascii_lowercase);
        let key = text("bom-ref").unwrap_or_else(|| format!("{name}@{version}"));
        out.insert(
            key,
            Pin {
                name,
                version,
                sha256,
            },
        );
    }
    Ok(out)
}

/// How the current graph differs from an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// In the graph, not in the SBOM.
    Added(Pin),
    /// In the SBOM, not in the graph.
    Missing(Pin),
    /// One name, one version on each side.
    VersionChanged {
        name: String,
        sbom: String,
        now: String,
    },
    /// Same component, another SHA-256.
    HashChanged {
        name: String,
        version: String,
        sbom: Option<String>,
        now: Option<String>,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hash = |h: &Option<String>| h.clone().unwrap_or_else(|| "none".to_owned());
        match self {
            Difference::Added(p) => write!(f, "not in the SBOM: {} {}", p.name, p.version),
            Difference::Missing(p) => {
                write!(
                    f,
                    "in the SBOM, not in the lockfile: {} {}",
                    p.name, p.version
                )
            }
            Difference::VersionChanged { name, sbom, now } => {
                write!(f, "version differs: {name} {sbom} in the SBOM, {now} now")
            }
            Difference::HashChanged {
                name,
                version,
                sbom,
                now,
            } => write!(
                f,
                "SHA-256 differs: {name} {version}: {} in the SBOM, {} now",
                hash(sbom),
                hash(now)
            ),
        }
    }
}

/// Every difference between the SBOM's pins and the current ones, sorted.
pub fn compare(sbom: &BTreeMap<String, Pin>, now: &BTreeMap<String, Pin>) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut only_sbom: BTreeMap<&str, Vec<&Pin>> = BTreeMap::new();
    let mut only_now: BTreeMap<&str, Vec<&Pin>> = BTreeMap::new();
    for (key, a) in sbom {
        match now.get(key) {
            Some(b) if a.name == b.name && a.version == b.version => {
                if a.sha256 != b.sha256 {
                    out.push(Difference::HashChanged {
                        name: a.name.clone(),
                        version: a.version.clone(),
                        sbom: a.sha256.clone(),
                        now: b.sha256.clone(),
                    });
                }
            }
            _ => only_sbom.entry(a.name.as_str()).or_default().push(a),
        }
    }
    for (key, b) in now {
        let same = sbom
            .get(key)
            .is_some_and(|a| a.name == b.name && a.version == b.version);
        if !same {
            only_now.entry(b.name.as_str()).or_default().push(b);
        }
    }
    for (name, olds) in &only_sbom {
        match (olds.as_slice(), only_now.remove(name).as_deref()) {
            ([a], Some([b])) => out.push(Difference::VersionChanged {
                name: (*name).to_owned(),
                sbom: a.version.clone(),
                now: b.version.clone(),
            }),
            (olds, news) => {
                out.extend(olds.iter().map(|p| Difference::Missing((*p).clone())));
                out.extend(
                    news.into_iter()
                        .flatten()
                        .map(|p| Difference::Added((*p).clone())),
                );
            }
        }
    }
    for news in only_now.values() {
        out.extend(news.iter().map(|p| Difference::Added((*p).clone())));
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(name: &str, version: &str, sum: &str) -> Pin {
        Pin {
            name: name.into(),
            version: version.into(),
            sha256: Some(sum.into()),
        }
    }

    #[test]
    fn purls_follow_the_cargo_type() {
        let mut p = Package {
            name: "serde".into(),
            version: "1.0.0+build.1".into(),
            source: "crates-io".into(),
            ..Package::default()
        };
        assert_eq!(purl(&p), "pkg:cargo/serde@1.0.0%2Bbuild.1");
        p.source = "git+https://example.com/s.git#abc".into();
        assert_eq!(
            purl(&p),
            "pkg:cargo/serde@1.0.0%2Bbuild.1?vcs_url=git%2Bhttps%3A%2F%2Fexample.com%2Fs.git%23abc"
        );
    }

    #[test]
    fn differences_name_what_moved() {
        let sbom: BTreeMap<String, Pin> = [
            ("a@1.0.0".to_owned(), pin("a", "1.0.0", "aa")),
            ("b@1.0.0".to_owned(), pin("b", "1.0.0", "bb")),
            ("c@1.0.0".to_owned(), pin("c", "1.0.0", "cc")),
        ]
        .into();
        let now: BTreeMap<String, Pin> = [
            ("a@1.1.0".to_owned(), pin("a", "1.1.0", "a1")),
            ("b@1.0.0".to_owned(), pin("b", "1.0.0", "b2")),
            ("d@1.0.0".to_owned(), pin("d", "1.0.0", "dd")),
        ]
        .into();
        let text: Vec<String> = compare(&sbom, &now).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            text,
            [
                "not in the SBOM: d 1.0.0",
                "in the SBOM, not in the lockfile: c 1.0.0",
                "version differs: a 1.0.0 in the SBOM, 1.1.0 now",
                "SHA-256 differs: b 1.0.0: bb in the SBOM, b2 now",
            ]
        );
        assert!(compare(&now, &now).is_empty());
    }
}
