//! The graph pass of name resolution: a crate's paths into its dependencies, resolved against
//! what those dependencies re-export.
//!
//! Each crate is scanned alone (and cached alone), so a path into a dependency that no rule
//! knows (`base::Stream::connect(..)`) is kept in the crate's facts ([`FileFacts::dep_paths`]),
//! and each library records what it re-exports from other crates' paths
//! ([`CrateFacts::exports`]: `Stream` -> `std::net::TcpStream`). Once every package of the
//! graph has its facts, [`link`] puts the two together: the dependency's export that names
//! the longest prefix of the path is substituted, and the result is classified as the engines
//! classify a path (called, or a function value or static). A hit is a finding of the user,
//! where the path is written, with origin `re-export`. Nothing here reads a file: a warm run
//! stays warm.
//!
//! [`FileFacts::dep_paths`]: risk_report::facts::FileFacts::dep_paths

use std::collections::BTreeMap;

use risk_report::facts::{CrateFacts, Export, Finding, Origin};

use crate::taxonomy;

/// [`link`] over a whole graph: each crate's dependencies are the crates of the graph whose
/// name is one its manifest declares (as code writes it, `-` as `_`); when several versions of
/// one crate are in the graph, what any of them re-exports counts (a renamed dependency,
/// `foo = { package = "bar" }`, is not followed).
pub fn link_all<'a>(crates: impl IntoIterator<Item = &'a mut CrateFacts>) {
    let mut crates: Vec<&mut CrateFacts> = crates.into_iter().collect();
    let mut by_name: BTreeMap<String, Vec<Export>> = BTreeMap::new();
    for c in &crates {
        if !c.exports.is_empty() {
            let all = by_name.entry(c.name.replace('-', "_")).or_default();
            all.extend(c.exports.iter().cloned());
            all.sort();
            all.dedup();
        }
    }
    if by_name.is_empty() {
        return;
    }
    for c in &mut crates {
        let m = &c.manifest;
        let deps: BTreeMap<String, Vec<Export>> = (m.dependencies.iter())
            .chain(&m.build_dependencies)
            .chain(&m.dev_dependencies)
            .map(|d| d.replace('-', "_"))
            .filter_map(|d| by_name.get(&d).map(|e| (d, e.clone())))
            .collect();
        if !deps.is_empty() {
            link(c, &deps);
        }
    }
}

/// Adds to `user` the findings its paths into dependencies make through their re-exports.
/// `exports` maps the name `user`'s code uses for each dependency to what it re-exports.
pub fn link(user: &mut CrateFacts, exports: &BTreeMap<String, Vec<Export>>) {
    if exports.values().all(Vec::is_empty) {
        return;
    }
    for file in &mut user.files {
        let mut added = Vec::new();
        for dp in &file.dep_paths {
            let segs: Vec<&str> = dp.path.split("::").collect();
            let Some((dep, rest)) = segs.split_first() else {
                continue;
            };
            let Some(table) = exports.get(*dep) else {
                continue;
            };
            let Some(path) = substitute(table, rest) else {
                continue;
            };
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let counts = dp.callee || path.last().is_some_and(|l| crate::source::value_like(l));
            let Some(entry) = counts.then(|| taxonomy::classify(&path)).flatten() else {
                continue;
            };
            let same_place = |f: &Finding| {
                f.line == dp.line && f.col == dp.col && f.kind.family() == entry.kind.family()
            };
            if file.findings.iter().any(same_place) {
                continue;
            }
            added.push(Finding {
                line: dp.line,
                col: dp.col,
                kind: entry.kind,
                detail: Some(format!("{} (as {})", path.join("::"), dp.path)),
                origin: Origin::Reexport,
                test: dp.test,
            });
        }
        if !added.is_empty() {
            file.findings.extend(added);
            file.findings.sort();
        }
    }
}

/// `rest` (a path inside a dependency) with the export naming its longest prefix replaced by
/// what it names.
fn substitute(table: &[Export], rest: &[&str]) -> Option<Vec<String>> {
    let (len, export) = table
        .iter()
        .filter_map(|e| {
            let segs: Vec<&str> = e.path.split("::").collect();
            (segs.len() <= rest.len() && segs[..] == rest[..segs.len()]).then_some((segs.len(), e))
        })
        .max_by_key(|(len, _)| *len)?;
    let mut path: Vec<String> = export.target.split("::").map(str::to_owned).collect();
    path.extend(rest[len..].iter().map(|s| (*s).to_owned()));
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use risk_report::facts::{DepPath, FileFacts, Kind};

    fn export(path: &str, target: &str) -> Export {
        Export {
            path: path.into(),
            target: target.into(),
        }
    }

    fn user(paths: &[(&str, bool)]) -> CrateFacts {
        CrateFacts {
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                dep_paths: (paths.iter().enumerate())
                    .map(|(k, (p, callee))| DepPath {
                        line: k as u32 + 1,
                        col: 1,
                        path: (*p).into(),
                        callee: *callee,
                        test: false,
                    })
                    .collect(),
                ..FileFacts::default()
            }],
            ..CrateFacts::default()
        }
    }

    #[test]
    fn paths_resolve_through_the_longest_export() {
        let exports = BTreeMap::from([(
            "base".to_owned(),
            vec![
                export("Stream", "std::net::TcpStream"),
                export("files", "std::fs"),
                export("getenv", "std::env::var"),
                export("Map", "std::collections::HashMap"),
            ],
        )]);
        let mut u = user(&[
            ("base::Stream::connect", true),
            ("base::files::read", true),
            ("base::getenv", true),
            ("base::Map::new", true),
            ("other::Stream::connect", true),
            ("base::Stream", false),
        ]);
        link(&mut u, &exports);
        let got: Vec<(u32, Kind, &str)> = (u.files[0].findings.iter())
            .map(|f| (f.line, f.kind, f.detail.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    Kind::Net,
                    "std::net::TcpStream::connect (as base::Stream::connect)"
                ),
                (2, Kind::Fs, "std::fs::read (as base::files::read)"),
                (3, Kind::EnvRead, "std::env::var (as base::getenv)"),
            ]
        );
        assert!(
            u.files[0]
                .findings
                .iter()
                .all(|f| f.origin == Origin::Reexport)
        );
    }
}
