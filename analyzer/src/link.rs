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
//! the crates whose macros it uses (a proc macro's templates, a `#[macro_export]`
//! `macro_rules!`'s body, matched on invocations only and by root when known) and what they
//! put into it. Nothing here reads a file: a warm run stays warm.
//!
//! [`FileFacts::dep_paths`]: risk_report::facts::FileFacts::dep_paths

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{
    Capability, CrateFacts, Export, Finding, GlobExport, ManifestFacts, Origin,
};

use crate::crate_paths;

/// [`link`] over a whole graph: each crate's dependencies are the crates of the graph whose
/// package name is the one its manifest declares for a name code uses (`b` for
/// `b = { package = "base" }` is `base`; see [`dependencies`]); when several versions of one
/// crate are in the graph, what any of them re-exports counts.
pub fn link_all<'a>(crates: impl IntoIterator<Item = &'a mut CrateFacts>) {
    let mut crates: Vec<&mut CrateFacts> = crates.into_iter().collect();
    via_all(&mut crates);
    let mut by_package: BTreeMap<String, Exports> = BTreeMap::new();
    for c in &crates {
        if !c.exports.is_empty() || !c.glob_exports.is_empty() {
            let all = by_package.entry(key(&c.name)).or_default();
            all.named.extend(c.exports.iter().cloned());
            all.globs.extend(c.glob_exports.iter().cloned());
        }
    }
    if by_package.is_empty() {
        return;
    }
    for all in by_package.values_mut() {
        all.named.sort();
        all.named.dedup();
        all.globs.sort();
        all.globs.dedup();
    }
    for c in &mut crates {
        let deps: BTreeMap<String, Exports> = dependencies(&c.manifest, Tables::All)
            .filter_map(|(code, package)| by_package.get(&package).map(|e| (code, e.clone())))
            .collect();
        if !deps.is_empty() {
            link(c, &deps);
        }
    }
}

/// What one dependency (any of its versions) re-exports from capability paths.
#[derive(Debug, Clone, Default)]
pub struct Exports {
    /// By name ([`CrateFacts::exports`]).
    pub named: Vec<Export>,
    /// By glob ([`CrateFacts::glob_exports`]).
    pub globs: Vec<GlobExport>,
}

/// A package name as code writes it (`-` as `_`): how the graph pass keys crates.
fn key(name: &str) -> String {
    name.replace('-', "_")
}

/// Which dependency tables [`dependencies`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tables {
    /// `[dependencies]` only.
    Normal,
    /// Normal, build and dev dependencies.
    All,
}

/// The dependencies a manifest declares, as (the name code uses, the package's [`key`]):
/// a renamed one (`b = { package = "base" }`) is `("b", "base")`. Build dependencies are
/// recorded by package name; their renamed keys come from [`ManifestFacts::renamed`].
///
/// [`ManifestFacts::renamed`]: risk_report::facts::ManifestFacts::renamed
fn dependencies(m: &ManifestFacts, tables: Tables) -> impl Iterator<Item = (String, String)> + '_ {
    let all = tables == Tables::All;
    let build = (m.build_dependencies.iter()).filter(move |_| all);
    let code_names: BTreeSet<String> = (m.dependencies.iter())
        .chain((m.dev_dependencies.iter()).filter(move |_| all))
        .chain(build)
        .map(|d| key(d))
        .chain((m.renamed.keys()).filter(move |_| all).cloned())
        .collect();
    code_names.into_iter().map(|code| {
        let package = m
            .renamed
            .get(&code)
            .map_or_else(|| code.clone(), |p| key(p));
        (code, package)
    })
}

/// A crate of the graph whose macros put code into the crates that use them: a proc-macro
/// crate (what its templates emit, whichever macro) or a library with `#[macro_export]`
/// macros (what each one's body writes).
struct Emitter<'a> {
    name: &'a str,
    /// By macro name, the capabilities of the code it puts in, and whether it is a proc macro
    /// (a derive or an attribute names one too; a `macro_rules!` is only ever `name!`).
    macros: BTreeMap<&'a str, (BTreeSet<Capability>, bool)>,
}

impl<'a> Emitter<'a> {
    /// `c` as an emitter, when some macro of it puts in code with a capability.
    fn of(c: &'a CrateFacts) -> Option<Emitter<'a>> {
        let mut macros: BTreeMap<&str, (BTreeSet<Capability>, bool)> = (c.macro_exports.iter())
            .map(|(name, caps)| (name.as_str(), (caps.clone(), false)))
            .collect();
        if c.manifest.proc_macro && !c.proc_macros.is_empty() {
            let emitted: BTreeSet<Capability> =
                (c.counts().emits.keys()).map(|k| k.capability()).collect();
            if !emitted.is_empty() {
                for name in &c.proc_macros {
                    let entry = macros.entry(name).or_default();
                    entry.0.extend(&emitted);
                    entry.1 = true;
                }
            }
        }
        (!macros.is_empty()).then_some(Emitter {
            name: &c.name,
            macros,
        })
    }
}

/// One entry of [`CrateFacts::macro_uses`]: `Name` (a derive or an attribute), `name!`, or
/// `root::name!` (an invocation whose path's root is known).
struct MacroUse<'a> {
    root: Option<&'a str>,
    name: &'a str,
    bang: bool,
}

impl<'a> MacroUse<'a> {
    fn of(u: &'a str) -> MacroUse<'a> {
        let (path, bang) = match u.strip_suffix('!') {
            Some(p) => (p, true),
            None => (u, false),
        };
        let (root, name) = match path.rsplit_once("::") {
            Some((root, name)) => (Some(root), name),
            None => (None, path),
        };
        MacroUse { root, name, bang }
    }

    /// Whether this use can be macro `name` of package `emitter`: the same name; an
    /// invocation for a `macro_rules!`; and a root, when written or imported, that is a
    /// dependency (code name -> package in `deps`) which is `emitter` or depends on it
    /// (`normal`), never `std` or a module of the crate.
    fn names(
        &self,
        name: &str,
        proc_macro: bool,
        emitter: &str,
        deps: &BTreeMap<String, String>,
        normal: &BTreeMap<String, BTreeSet<String>>,
    ) -> bool {
        self.name == name
            && (self.bang || proc_macro)
            && self.root.is_none_or(|root| {
                deps.get(root).is_some_and(|package| {
                    package == emitter || normal.get(package).is_some_and(|n| n.contains(emitter))
                })
            })
    }
}

/// Sets each crate's [`CrateFacts::via`]: the crates whose macros put code with
/// capabilities into it (proc macros' templates, exported `macro_rules!` bodies), that it
/// depends on as a normal dependency (directly, or through a normal dependency that depends
/// on them, as `serde` on `serde_derive`), with the capabilities of each macro whose name its
/// code uses. Dependencies are matched by package name, as in [`link_all`].
fn via_all(crates: &mut [&mut CrateFacts]) {
    let mut emitters: BTreeMap<String, Vec<Emitter<'_>>> = BTreeMap::new();
    let mut normal: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in crates.iter() {
        normal
            .entry(key(&c.name))
            .or_default()
            .extend(dependencies(&c.manifest, Tables::Normal).map(|(_, package)| package));
        if let Some(e) = Emitter::of(c) {
            emitters.entry(key(&c.name)).or_default().push(e);
        }
    }
    let mut vias = Vec::with_capacity(crates.len());
    for c in crates.iter() {
        let mut via: BTreeMap<String, BTreeSet<Capability>> = BTreeMap::new();
        if !emitters.is_empty() {
            let deps: BTreeMap<String, String> =
                dependencies(&c.manifest, Tables::Normal).collect();
            let through = (deps.values())
                .filter_map(|d| normal.get(d))
                .flatten()
                .cloned();
            let reachable: BTreeSet<String> = deps.values().cloned().chain(through).collect();
            let uses: Vec<MacroUse<'_>> = c.macro_uses.iter().map(|u| MacroUse::of(u)).collect();
            for (package, e) in (reachable.iter())
                .filter_map(|d| Some((d, emitters.get(d)?)))
                .flat_map(|(d, es)| es.iter().map(move |e| (d, e)))
            {
                for (name, (caps, proc_macro)) in &e.macros {
                    if uses
                        .iter()
                        .any(|u| u.names(name, *proc_macro, package, &deps, &normal))
                    {
                        via.entry(e.name.to_owned()).or_default().extend(caps);
                    }
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
pub fn link(user: &mut CrateFacts, exports: &BTreeMap<String, Exports>) {
    if exports
        .values()
        .all(|e| e.named.is_empty() && e.globs.is_empty())
    {
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
            let hit = (substitutes(table, rest).into_iter())
                .find_map(|(path, glob)| crate_paths::classify(&path, glob, dp.callee));
            let Some(hit) = hit else {
                continue;
            };
            let same_place = |f: &Finding| {
                f.line == dp.line && f.col == dp.col && f.kind.family() == hit.kind.family()
            };
            if file.findings.iter().any(same_place) {
                continue;
            }
            added.push(Finding {
                line: dp.line,
                col: dp.col,
                kind: hit.kind,
                detail: Some(format!("{} (as {})", hit.detail, dp.path)),
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

/// What the dependency's re-exports make of `rest` (a path inside it), each with the length
/// of the glob's path when a glob supplied a segment (0 when named). The named export of the
/// longest prefix, when there is one; else each glob of the module `rest` is in supplies its
/// next segment, unless the module gives that name itself in the namespace the path needs (a
/// type when more segments follow, a value at the end), as rustc resolves it.
fn substitutes(table: &Exports, rest: &[&str]) -> Vec<(Vec<String>, usize)> {
    let named = (table.named.iter())
        .filter_map(|e| {
            let segs: Vec<&str> = e.path.split("::").collect();
            (segs.len() <= rest.len() && segs[..] == rest[..segs.len()]).then_some((segs.len(), e))
        })
        .max_by_key(|(len, _)| *len);
    if let Some((len, export)) = named {
        let mut path: Vec<String> = export.target.split("::").map(str::to_owned).collect();
        path.extend(rest[len..].iter().map(|s| (*s).to_owned()));
        return vec![(path, 0)];
    }
    (table.globs.iter())
        .filter_map(|g| {
            let module: Vec<&str> = g.module.split("::").filter(|s| !s.is_empty()).collect();
            let (name, tail) = rest.get(module.len()..)?.split_first()?;
            if rest[..module.len()] != module[..] {
                return None;
            }
            let shadows = if tail.is_empty() { &g.values } else { &g.types };
            if shadows.iter().any(|s| s == name) {
                return None;
            }
            let mut path: Vec<String> = g.target.split("::").map(str::to_owned).collect();
            let glob = path.len();
            path.extend(std::iter::once(name).chain(tail).map(|s| (*s).to_owned()));
            Some((path, glob))
        })
        .collect()
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
            Exports {
                named: vec![
                    export("Stream", "std::net::TcpStream"),
                    export("files", "std::fs"),
                    export("getenv", "std::env::var"),
                    export("Map", "std::collections::HashMap"),
                ],
                globs: Vec::new(),
            },
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

    /// What `user` found through `link_all` with `deps`, as (line, kind, detail).
    fn found(c: &CrateFacts) -> Vec<(u32, Kind, String)> {
        (c.files.iter().flat_map(|f| &f.findings))
            .map(|f| (f.line, f.kind, f.detail.clone().unwrap_or_default()))
            .collect()
    }

    /// A library named `name` re-exporting `named` and `globs`.
    fn library(name: &str, named: &[(&str, &str)], globs: Vec<GlobExport>) -> CrateFacts {
        CrateFacts {
            name: name.into(),
            exports: named.iter().map(|(p, t)| export(p, t)).collect(),
            glob_exports: globs,
            ..CrateFacts::default()
        }
    }

    #[test]
    fn renamed_dependencies_are_matched_by_package() {
        let mut base = library("base", &[("Stream", "std::net::TcpStream")], vec![]);
        // a package that is really called `b`: its `Stream` is a map
        let mut b = library("b", &[("Stream", "std::collections::HashMap")], vec![]);
        let mut renamed = user(&[("b::Stream::connect", true)]);
        renamed.manifest.dependencies = BTreeSet::from(["b".to_owned()]);
        renamed.manifest.renamed = BTreeMap::from([("b".to_owned(), "base".to_owned())]);
        let mut plain = user(&[("b::Stream::connect", true)]);
        plain.manifest.dependencies = BTreeSet::from(["b".to_owned()]);
        // a renamed build dependency is recorded by package name and by its key
        let mut build = user(&[("sock::Stream::connect", true)]);
        build.manifest.build_dependencies = BTreeSet::from(["base".to_owned()]);
        build.manifest.renamed = BTreeMap::from([("sock".to_owned(), "base".to_owned())]);
        link_all([&mut base, &mut b, &mut renamed, &mut plain, &mut build]);
        let net = |p: &str| {
            vec![(
                1,
                Kind::Net,
                format!("std::net::TcpStream::connect (as {p}::Stream::connect)"),
            )]
        };
        assert_eq!(found(&renamed), net("b"));
        assert_eq!(found(&plain), []);
        assert_eq!(found(&build), net("sock"));
    }

    fn glob(module: &str, target: &str, types: &[&str], values: &[&str]) -> GlobExport {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        GlobExport {
            module: module.into(),
            target: target.into(),
            types: strings(types),
            values: strings(values),
        }
    }

    #[test]
    fn globs_supply_what_the_module_does_not_name_itself() {
        let exports = BTreeMap::from([(
            "base".to_owned(),
            Exports {
                named: vec![export("sys::Spawn", "std::process::Command")],
                globs: vec![
                    glob("", "std::net", &["TcpStream"], &["TcpStream"]),
                    glob("sys", "std::process", &[], &["exit"]),
                    glob("raw", "libc", &["Stat"], &[]),
                ],
            },
        )]);
        let mut u = user(&[
            ("base::TcpStream::connect", true), // shadowed by base's own struct
            ("base::UdpSocket::bind", true),    // the glob's
            ("base::sys::Command::new", true),  // the glob's, in a module
            ("base::sys::exit", true),          // base's own fn exit
            ("base::sys::Spawn::new", true),    // named export
            ("base::raw::open", true),          // a whole-crate glob, called
            ("base::raw::O_RDONLY", false),     // a constant
            ("base::UdpSocket", false),         // a type, named
            ("base::nothing::TcpListener::bind", true), // no such module
        ]);
        link(&mut u, &exports);
        let got: Vec<(u32, Kind)> = found(&u).into_iter().map(|(l, k, _)| (l, k)).collect();
        assert_eq!(
            got,
            [
                (2, Kind::Net),
                (3, Kind::Process),
                (5, Kind::Process),
                (6, Kind::Ffi)
            ]
        );
    }

    #[test]
    fn invoking_an_exported_macro_gives_its_capabilities_via() {
        let mut base = krate("base", &[], &[], &[], &[]);
        base.macro_exports = BTreeMap::from([
            ("dial".to_owned(), BTreeSet::from([Capability::Net])),
            ("spawn".to_owned(), BTreeSet::from([Capability::Process])),
        ]);
        let mut facade = krate("facade", &["base"], &[], &[], &[]);
        let mut direct = krate("direct", &["base"], &[], &[], &["base::dial!", "println!"]);
        let mut through = krate("through", &["facade"], &[], &[], &["facade::spawn!"]);
        // `map!` is exported but writes nothing with a capability; no dependency on base; an
        // attribute of the same name (a `macro_rules!` is only ever invoked); the same name
        // from std, or from a module of the crate
        let mut lookalike = krate("lookalike", &["base"], &[], &[], &["map!"]);
        let mut stranger = krate("stranger", &[], &[], &[], &["dial!"]);
        let mut attribute = krate("attribute", &["base"], &[], &[], &["dial"]);
        let mut elsewhere = krate(
            "elsewhere",
            &["base"],
            &[],
            &[],
            &["std::dial!", "crate::spawn!"],
        );
        let mut renamed = krate("renamed", &["b"], &[], &[], &["b::dial!"]);
        renamed.manifest.renamed = BTreeMap::from([("b".to_owned(), "base".to_owned())]);
        link_all([
            &mut base,
            &mut facade,
            &mut direct,
            &mut through,
            &mut lookalike,
            &mut stranger,
            &mut attribute,
            &mut elsewhere,
            &mut renamed,
        ]);
        let via = |caps: &[Capability]| {
            BTreeMap::from([("base".to_owned(), caps.iter().copied().collect())])
        };
        assert_eq!(direct.via, via(&[Capability::Net]));
        assert_eq!(through.via, via(&[Capability::Process]));
        assert_eq!(renamed.via, via(&[Capability::Net]));
        for c in [
            &base, &facade, &lookalike, &stranger, &attribute, &elsewhere,
        ] {
            assert!(c.via.is_empty(), "{} has {:?}", c.name, c.via);
        }
    }
}
