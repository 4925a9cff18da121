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
//! where the path is written, with origin `re-export`. The same pass sets each crate's `via`:
//! the proc-macro crates it uses a macro of and what their templates emit into it. Nothing
//! here reads a file: a warm run stays warm.
//!
//! [`FileFacts::dep_paths`]: risk_report::facts::FileFacts::dep_paths

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{Capability, CrateFacts, Export, Finding, Origin};

use crate::taxonomy;

/// [`link`] over a whole graph: each crate's dependencies are the crates of the graph whose
/// name is one its manifest declares (as code writes it, `-` as `_`); when several versions of
/// one crate are in the graph, what any of them re-exports counts (a renamed dependency,
/// `foo = { package = "bar" }`, is not followed).
pub fn link_all<'a>(crates: impl IntoIterator<Item = &'a mut CrateFacts>) {
    let mut crates: Vec<&mut CrateFacts> = crates.into_iter().collect();
    via_all(&mut crates);
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

/// What a proc-macro crate of the graph emits: the macros it exports and the capabilities
/// of its templates' code.
struct Emitter<'a> {
    name: &'a str,
    macros: &'a [String],
    capabilities: BTreeSet<Capability>,
}

/// Sets each crate's [`CrateFacts::via`]: the proc-macro crates whose templates emit
/// capabilities, that it depends on as a normal dependency (directly, or through a normal
/// dependency that depends on them, as `serde` on `serde_derive`), and one of whose macro
/// names its code uses. Dependencies are matched by name, as in [`link_all`].
fn via_all(crates: &mut [&mut CrateFacts]) {
    let key = |name: &str| name.replace('-', "_");
    let mut emitters: BTreeMap<String, Vec<Emitter<'_>>> = BTreeMap::new();
    let mut normal: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in crates.iter() {
        normal
            .entry(key(&c.name))
            .or_default()
            .extend(c.manifest.dependencies.iter().map(|d| key(d)));
        if !c.manifest.proc_macro || c.proc_macros.is_empty() {
            continue;
        }
        let capabilities: BTreeSet<Capability> =
            (c.counts().emits.keys()).map(|k| k.capability()).collect();
        if !capabilities.is_empty() {
            emitters.entry(key(&c.name)).or_default().push(Emitter {
                name: &c.name,
                macros: &c.proc_macros,
                capabilities,
            });
        }
    }
    let mut vias = Vec::with_capacity(crates.len());
    for c in crates.iter() {
        let mut via: BTreeMap<String, BTreeSet<Capability>> = BTreeMap::new();
        if !emitters.is_empty() {
            let direct = c.manifest.dependencies.iter().map(|d| key(d));
            let through = (c.manifest.dependencies.iter())
                .filter_map(|d| normal.get(&key(d)))
                .flatten()
                .cloned();
            let reachable: BTreeSet<String> = direct.chain(through).collect();
            for e in reachable.iter().filter_map(|d| emitters.get(d)).flatten() {
                let uses = |m: &String| c.macro_uses.binary_search(m).is_ok();
                if e.macros.iter().any(uses) {
                    via.entry(e.name.to_owned())
                        .or_default()
                        .extend(&e.capabilities);
                }
            }
        }
        vias.push(via);
    }
    for (c, via) in crates.iter_mut().zip(vias) {
        c.via = via;
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
                emitted: false,
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

    /// A crate named `name` depending normally on `deps`, exporting `macros` when it is a
    /// proc macro whose templates emit `emitted`, and using `uses`.
    fn krate(
        name: &str,
        deps: &[&str],
        macros: &[&str],
        emitted: &[Kind],
        uses: &[&str],
    ) -> CrateFacts {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        CrateFacts {
            name: name.into(),
            manifest: risk_report::facts::ManifestFacts {
                proc_macro: !macros.is_empty(),
                dependencies: strings(deps).into_iter().collect(),
                ..Default::default()
            },
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                findings: (emitted.iter())
                    .map(|&kind| Finding {
                        line: 1,
                        col: 1,
                        kind,
                        detail: None,
                        origin: Origin::MacroTokens,
                        test: false,
                        emitted: true,
                    })
                    .collect(),
                ..FileFacts::default()
            }],
            proc_macros: strings(macros),
            macro_uses: strings(uses),
            ..CrateFacts::default()
        }
    }

    #[test]
    fn users_of_an_emitting_proc_macro_get_it_via() {
        let mut derive = krate(
            "my-derive",
            &[],
            &["Spawn", "traced"],
            &[Kind::Process, Kind::UnsafeBlock],
            &[],
        );
        let mut safe = krate("safe-derive", &[], &["Plain"], &[], &[]);
        let mut facade = krate("facade", &["my-derive"], &[], &[], &[]);
        // directly, through the facade, a name it does not export, no dependency
        let mut direct = krate(
            "direct",
            &["my_derive", "safe-derive"],
            &[],
            &[],
            &["Plain", "traced"],
        );
        let mut through = krate("through", &["facade"], &[], &[], &["Spawn"]);
        let mut other = krate("other", &["my-derive"], &[], &[], &["Debug", "println"]);
        let mut stranger = krate("stranger", &[], &[], &[], &["Spawn"]);
        link_all([
            &mut derive,
            &mut safe,
            &mut facade,
            &mut direct,
            &mut through,
            &mut other,
            &mut stranger,
        ]);
        let caps = BTreeSet::from([Capability::Process, Capability::Unsafe]);
        let expected = BTreeMap::from([("my-derive".to_owned(), caps)]);
        assert_eq!(direct.via, expected);
        assert_eq!(through.via, expected);
        for c in [&derive, &safe, &facade, &other, &stranger] {
            assert!(c.via.is_empty(), "{} has {:?}", c.name, c.via);
        }
    }
}
