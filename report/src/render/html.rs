//! The HTML dashboard: one self-contained file (no network, no external script, font or
//! image) rendered from one or more reports.
//!
//! The page is a fixed template (`report/assets/`) plus the data as JSON in a
//! `<script type="application/json">` element, escaped by [`sanitize::json_for_script`] so that
//! no crate-derived string can close the element. The page's own script builds every element
//! from that data with `textContent`, never `innerHTML`, so crate strings are never markup.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use crate::capability::{Capability, Severity};
use crate::diff::diff;
use crate::facts::{BinaryFile, BuildKind, Family, Kind};
use crate::model::{DepKind, Package, Report, Summary};
use crate::sanitize;

const TEMPLATE: &str = include_str!("../../assets/dashboard.html");
const STYLE: &str = include_str!("../../assets/dashboard.css");
const SCRIPT: &str = include_str!("../../assets/dashboard.js");

/// One report and where it comes from: a file name, or a commit for `--history`.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// Short: `a1b2c3d` or `old.toml`.
    pub label: String,
    /// Longer: the commit date and subject, or the file path.
    pub detail: String,
    pub report: &'a Report,
}

/// What the dashboard shows. The last snapshot is the current state; all of them make the
/// trend.
#[derive(Debug, Clone)]
pub struct Dashboard<'a> {
    pub title: String,
    pub generator: String,
    pub snapshots: Vec<Snapshot<'a>>,
    /// By package key, a shortest dependency path from a workspace member (member first,
    /// package last), when the workspace graph was at hand.
    pub paths: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
struct Data<'a> {
    title: String,
    generator: &'a str,
    current: String,
    kinds: Vec<KindInfo>,
    /// The capability table, most telling first: the page's charts, matrix, filter and
    /// colours read it (no capability list is written in the page's script).
    capabilities: Vec<CapabilityInfo>,
    /// Build-script kinds, most severe first.
    build_kinds: Vec<BuildKindInfo>,
    packages: Vec<Row<'a>>,
    history: Vec<Point>,
    /// The counters drawn in the trend, in legend order.
    trend: Vec<(&'static str, &'static str)>,
}

#[derive(Serialize)]
struct CapabilityInfo {
    code: &'static str,
    label: &'static str,
    text: &'static str,
    severity: &'static str,
}

#[derive(Serialize)]
struct BuildKindInfo {
    code: &'static str,
    severity: &'static str,
}

#[derive(Serialize)]
struct KindInfo {
    code: &'static str,
    family: &'static str,
    text: &'static str,
}

/// One package, in the short field names the page reads. Every crate-derived string is shown
/// through [`sanitize::terminal`]: the page builds text nodes, which cannot run markup but
/// would still let a bidi control reorder a line or a new line break one.
#[derive(Serialize)]
struct Row<'a> {
    key: String,
    name: String,
    version: String,
    source: String,
    verified: bool,
    reach: Vec<&'static str>,
    reached_from: BTreeMap<String, Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Vec<String>>,
    caps: &'a BTreeSet<Capability>,
    shipped: BTreeMap<&'static str, u64>,
    build: BTreeMap<&'static str, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    build_script: Option<BuildScript>,
    proc_macro: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_analyzed: Option<String>,
    files: u64,
    lines: u64,
    approximate: usize,
    files_not_analyzed: usize,
    embedded: Vec<String>,
    binaries: Vec<BinaryFile>,
    vcs_info: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    vcs_commit: Option<String>,
    unsafe_total: u64,
}

#[derive(Serialize)]
struct BuildScript {
    path: String,
    kinds: Vec<&'static str>,
    evidence: Vec<String>,
}

/// One point of the trend.
#[derive(Serialize)]
struct Point {
    label: String,
    detail: String,
    counters: BTreeMap<&'static str, u64>,
    /// The delta from the previous point: its headline and the packages that moved most.
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Change>,
}

#[derive(Serialize)]
struct Change {
    headline: String,
    adds_risk: bool,
    items: Vec<ChangeItem>,
    more: usize,
}

#[derive(Serialize)]
struct ChangeItem {
    label: String,
    severity: &'static str,
    text: String,
}

/// The counters of the trend: key and legend text.
const TREND: &[(&str, &str)] = &[
    ("packages", "packages"),
    ("with_unsafe", "using unsafe"),
    ("build_scripts", "build scripts"),
    ("proc_macros", "proc macros"),
    ("net", "network"),
    ("process", "process"),
    ("ffi", "FFI"),
];

/// Most package changes listed under one point of the trend.
const CHANGES_SHOWN: usize = 8;

fn counters(s: &Summary) -> BTreeMap<&'static str, u64> {
    let cap = |c: &str| s.capabilities.get(c).copied().unwrap_or(0);
    [
        ("packages", s.packages),
        ("with_unsafe", s.with_unsafe),
        ("build_scripts", s.build_scripts),
        ("proc_macros", s.proc_macros),
        ("net", cap("net")),
        ("process", cap("process")),
        ("ffi", cap("ffi")),
        ("not_analyzed", s.not_analyzed),
        ("with_binaries", s.with_binaries),
        ("files", s.files),
        ("lines", s.lines),
        ("files_approximate", s.files_approximate),
        ("files_not_analyzed", s.files_not_analyzed),
        ("fs", cap("fs")),
        ("env_read", cap("env-read")),
        ("env_write", cap("env-write")),
        ("embed", cap("embed")),
        (
            "unsafe_findings",
            s.shipped
                .iter()
                .filter(|(k, _)| k.family() == Family::Unsafe)
                .map(|(_, n)| n)
                .sum(),
        ),
    ]
    .into_iter()
    .collect()
}

fn change(old: &Report, new: &Report) -> Change {
    let d = diff(old, new);
    let items: Vec<ChangeItem> = d
        .packages
        .iter()
        .filter(|p| p.severity > Severity::None)
        .map(|p| ChangeItem {
            label: shown(&p.label()),
            severity: p.severity.code(),
            text: shown(&p.headlines.join("; ")),
        })
        .collect();
    Change {
        headline: shown(&d.headline()),
        adds_risk: d.adds_risk(),
        more: items.len().saturating_sub(CHANGES_SHOWN),
        items: items.into_iter().take(CHANGES_SHOWN).collect(),
    }
}

fn codes(m: &BTreeMap<Kind, u64>) -> BTreeMap<&'static str, u64> {
    m.iter().map(|(k, n)| (k.code(), *n)).collect()
}

fn kind_names<'k>(kinds: impl IntoIterator<Item = &'k DepKind>) -> Vec<&'static str> {
    kinds.into_iter().map(|k| k.code()).collect()
}

/// A crate-derived string as the page shows it.
fn shown(s: &str) -> String {
    sanitize::terminal(s)
}

fn all_shown(list: &[String]) -> Vec<String> {
    list.iter().map(|s| shown(s)).collect()
}

fn row<'a>(key: &str, p: &'a Package, path: Option<&[String]>) -> Row<'a> {
    Row {
        key: shown(key),
        name: shown(&p.name),
        version: shown(&p.version),
        source: shown(&p.source),
        verified: p.checksum_verified,
        reach: kind_names(&p.dependency_kinds),
        reached_from: p
            .reached_from
            .iter()
            .map(|(m, k)| (shown(m), kind_names(k)))
            .collect(),
        path: path.map(all_shown),
        caps: &p.capabilities,
        shipped: codes(&p.shipped),
        build: codes(&p.build),
        build_script: p.build_script.as_ref().map(|b| BuildScript {
            path: shown(&b.path),
            kinds: b.kinds.iter().map(|k| k.code()).collect(),
            evidence: all_shown(&b.evidence),
        }),
        proc_macro: p.proc_macro,
        not_analyzed: p.not_analyzed.as_deref().map(shown),
        files: p.coverage.files,
        lines: p.coverage.lines,
        approximate: p.coverage.approximate.len(),
        files_not_analyzed: p.coverage.not_analyzed.len(),
        embedded: all_shown(&p.embedded),
        binaries: p
            .binaries
            .iter()
            .map(|b| BinaryFile {
                path: shown(&b.path),
                format: shown(&b.format),
                bytes: b.bytes,
                fixture: b.fixture,
            })
            .collect(),
        vcs_info: p.provenance.vcs_info,
        vcs_commit: p.provenance.vcs_commit.as_deref().map(shown),
        unsafe_total: p.unsafe_findings(),
    }
}

/// The dashboard's JSON data, as embedded in the page (before script escaping).
pub fn data_json(d: &Dashboard) -> Result<String, serde_json::Error> {
    let empty = Report::default();
    let current = d.snapshots.last().map(|s| s.report).unwrap_or(&empty);
    let history = d
        .snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| Point {
            label: shown(&s.label),
            detail: shown(&s.detail),
            counters: counters(&s.report.summary),
            change: i
                .checked_sub(1)
                .map(|prev| change(d.snapshots[prev].report, s.report)),
        })
        .collect();
    let data = Data {
        title: shown(&d.title),
        generator: &d.generator,
        current: d
            .snapshots
            .last()
            .map(|s| shown(&s.label))
            .unwrap_or_default(),
        kinds: Kind::ALL
            .iter()
            .map(|k| KindInfo {
                code: k.code(),
                family: match k.family() {
                    Family::Unsafe => "unsafe",
                    Family::Embed => "embed",
                    Family::Api => "api",
                    Family::Hiding => "hiding",
                },
                text: k.describe(),
            })
            .collect(),
        capabilities: Capability::ALL
            .iter()
            .map(|c| {
                let info = c.info();
                CapabilityInfo {
                    code: info.code,
                    label: info.label,
                    text: info.describe,
                    severity: info.severity.code(),
                }
            })
            .collect(),
        build_kinds: {
            let mut kinds: Vec<BuildKind> = BuildKind::ALL.to_vec();
            kinds.sort_by_key(|k| std::cmp::Reverse(k.severity()));
            kinds
                .into_iter()
                .map(|k| BuildKindInfo {
                    code: k.code(),
                    severity: k.severity().code(),
                })
                .collect()
        },
        packages: current
            .packages
            .iter()
            .map(|(k, p)| row(k, p, d.paths.get(k).map(Vec::as_slice)))
            .collect(),
        history,
        trend: TREND.to_vec(),
    };
    serde_json::to_string(&data)
}

/// Writes the page.
pub fn render(d: &Dashboard, out: &mut impl Write) -> io::Result<()> {
    let json = data_json(d).map_err(io::Error::other)?;
    let title = sanitize::html(&d.title);
    let data = sanitize::json_for_script(&json);
    let page = fill(
        TEMPLATE,
        &[
            ("{{title}}", &title),
            ("/*{{style}}*/", STYLE),
            ("{{data}}", &data),
            ("/*{{script}}*/", SCRIPT),
        ],
    );
    out.write_all(page.as_bytes())
}

/// Replaces placeholders in one pass over the template, so that a value that happens to
/// contain a placeholder (a crate named `{{data}}`) is never expanded again.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    loop {
        let next = values
            .iter()
            .filter_map(|(k, v)| rest.find(k).map(|at| (at, *k, *v)))
            .min_by_key(|(at, _, _)| *at);
        match next {
            Some((at, key, value)) => {
                out.push_str(&rest[..at]);
                out.push_str(value);
                rest = &rest[at + key.len()..];
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile_report() -> Report {
        let mut r = Report::default();
        let p = Package {
            name: "</script><img src=x onerror=alert(1)>".into(),
            version: "1.0.0\u{2028}".into(),
            source: "crates-io".into(),
            capabilities: [Capability::Net].into(),
            embedded: vec!["include-bytes <!--".into()],
            ..Package::default()
        };
        r.packages.insert(format!("{}@{}", p.name, p.version), p);
        r
    }

    #[test]
    fn crate_strings_cannot_leave_the_data_element() -> Result<(), Box<dyn std::error::Error>> {
        let report = hostile_report();
        let d = Dashboard {
            title: "<b>t</b>{{data}}".into(),
            generator: "test".into(),
            snapshots: vec![Snapshot {
                label: "r.toml".into(),
                detail: "r.toml".into(),
                report: &report,
            }],
            paths: BTreeMap::new(),
        };
        let mut out = Vec::new();
        render(&d, &mut out)?;
        let page = String::from_utf8(out)?;
        let start = page
            .find(r#"<script type="application/json" id="risk-data">"#)
            .ok_or("no data element")?;
        let data = &page[start..];
        let end = data.find("</script>").ok_or("unclosed")?;
        let body = &data[data.find('>').ok_or("tag")? + 1..end];
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!body.contains(bad), "{bad:?} in the data element");
        }
        let value: serde_json::Value = serde_json::from_str(body)?;
        assert_eq!(
            value["packages"][0]["name"],
            "</script><img src=x onerror=alert(1)>"
        );
        assert!(page.contains("<title>&lt;b&gt;t&lt;/b&gt;{{data}}"));
        for external in ["<script src", "<link", "url(", "@import", "<img", "<iframe"] {
            assert!(!page.contains(external), "{external} in the page");
        }
        Ok(())
    }
}
