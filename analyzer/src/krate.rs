//! The crate pass: files in, facts out, in parallel across files.
//!
//! This is the one place that does parallel work inside a crate; every function it calls on a
//! single file is pure, and results are sorted before they are returned, so the facts are the
//! same whatever the thread count.

use crate::archive::Files;
use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use rayon::prelude::*;
use risk_report::facts::{
    Capability, CrateFacts, DepPath, Export, Family, FileFacts, GlobExport, Kind, ManifestFacts,
    Parse, Role, SkippedEntry,
};

use crate::archive::{self, ArchiveError, Limits, Unpacked};
use crate::gates::Binder;
use crate::gates::{self, TestRules};
use crate::source::decls::ExportedMacro;
use crate::source::decls::{Alias, LocalRef, RefAt};
use crate::source::{CrateTemplates, Mode, Scanned};
use crate::{binary, build_script, crate_paths, manifest, modtree, source, vcs};

/// Scans a `.crate` tarball held in memory. `expected_root` is `name-version` when known.
pub fn scan_crate_tarball(gz: &[u8], expected_root: Option<&str>, limits: &Limits) -> CrateFacts {
    scan_crate_tarball_with(gz, expected_root, limits, Mode::Fast)
}

/// [`scan_crate_tarball`] in a chosen [`Mode`].
pub fn scan_crate_tarball_with(
    gz: &[u8],
    expected_root: Option<&str>,
    limits: &Limits,
    mode: Mode,
) -> CrateFacts {
    match archive::read_crate_tarball(gz, expected_root, limits) {
        Ok(unpacked) => scan_unpacked_with(&unpacked, mode),
        Err(e) => not_analyzed(expected_root.unwrap_or_default(), e),
    }
}

/// Scans a crate's source directory (git and path dependencies, vendored sources).
pub fn scan_crate_dir(dir: &Path, limits: &Limits) -> CrateFacts {
    scan_crate_dir_with(dir, limits, Mode::Fast)
}

/// [`scan_crate_dir`] in a chosen [`Mode`].
pub fn scan_crate_dir_with(dir: &Path, limits: &Limits, mode: Mode) -> CrateFacts {
    match archive::read_crate_dir(dir, limits) {
        Ok(unpacked) => scan_unpacked_with(&unpacked, mode),
        Err(e) => {
            let root = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            not_analyzed(&root, e)
        }
    }
}

fn not_analyzed(root: &str, e: ArchiveError) -> CrateFacts {
    let (name, version) = split_root(root);
    CrateFacts {
        name,
        version,
        not_analyzed: Some(e.to_string()),
        rules_version: crate::RULES_VERSION,
        ..CrateFacts::default()
    }
}

/// Splits `name-version` at the last `-` that starts a version (a digit), which is right for
/// every crate name (names may hold `-`, versions start with a digit).
fn split_root(root: &str) -> (String, String) {
    let mut at = None;
    for (i, _) in root.match_indices('-') {
        if root[i + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            at = Some(i);
            break;
        }
    }
    match at {
        Some(i) => (root[..i].to_string(), root[i + 1..].to_string()),
        None => (root.to_string(), String::new()),
    }
}

/// Scans the files of one crate.
pub fn scan_unpacked(unpacked: &Unpacked) -> CrateFacts {
    scan_unpacked_with(unpacked, Mode::Fast)
}

/// Bound on the rounds of scanning files the module walk finds that are not named `*.rs`
/// (each round scans at least one more file).
const MAX_ROUNDS: usize = 16;

/// [`scan_unpacked`] in a chosen [`Mode`].
///
/// Every `*.rs` file and every target root is scanned (in parallel); the module trees of the
/// targets then decide each file's role ([`modtree`]), files they reach that are not named
/// `*.rs` are scanned in turn, and what the build script can print and the crate imports
/// decide which gated code is test code ([`gates`]).
pub fn scan_unpacked_with(unpacked: &Unpacked, mode: Mode) -> CrateFacts {
    let files = &unpacked.files;
    let manifest_text = files
        .get("Cargo.toml")
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let mut manifest = manifest::read_manifest(manifest_text.as_deref(), files);
    note_missing_targets(&mut manifest, files);
    let (root_name, root_version) = split_root(&unpacked.root);
    let (name, version) =
        package_name_version(manifest_text.as_deref()).unwrap_or((root_name, root_version));

    let roots: Vec<(String, Role)> = manifest
        .targets
        .iter()
        .map(|t| (t.path.clone(), target_role(&t.kind)))
        .collect();
    let first: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".rs") || roots.iter().any(|(r, _)| r == *p))
        .collect();
    let mut scanned: BTreeMap<String, Scanned> = scan_all(files, &first, mode);
    // files read on demand: those a module names in a source directory's set-aside folders
    let mut extra: Files = BTreeMap::new();

    let skipped = skipped_paths(&unpacked.root, &unpacked.skipped);
    let normal: Vec<String> = (manifest.dependencies.iter())
        .chain(&manifest.build_dependencies)
        .map(|d| d.replace('-', "_"))
        .collect();
    let build_roots: Vec<(String, Role)> = roots
        .iter()
        .filter(|(_, r)| *r == Role::Build)
        .cloned()
        .collect();
    let mut round = 0;
    let (tree, rules, sets_cfg) = loop {
        round += 1;
        let aliases: Vec<&Alias> = scanned.values().flat_map(|s| &s.decls.aliases).collect();
        let macros = modtree::macro_table(scanned.iter().map(|(p, s)| (p.as_str(), &s.decls)));
        let walk_with = |rules: &TestRules, roots: &[(String, Role)]| {
            let known = |p: &str| match scanned.get(p) {
                Some(s) if matches!(s.facts.parse, Parse::NotAnalyzed { .. }) => {
                    modtree::Known::Unreadable
                }
                Some(s) => modtree::Known::Decls(&s.decls),
                None => modtree::Known::NotScanned,
            };
            let exists = |p: &str| files.contains_key(p) || unpacked.set_aside_exists(p);
            // a skipped entry, or one of its folders (a set-aside `target/`)
            let why = |p: &str| {
                let mut at = p;
                loop {
                    if let Some(r) = skipped.get(at) {
                        return Some(r.clone());
                    }
                    at = at.rsplit_once('/')?.0;
                }
            };
            let holds = |g: &gates::Gate| rules.holds(g);
            modtree::walk(
                roots,
                &modtree::Crate {
                    known: &known,
                    macros: &macros,
                    exists: &exists,
                    skipped: &why,
                    holds: &holds,
                },
            )
        };
        // A build script never sees its own `cfg`s: its tree decides with none settable.
        let plain = TestRules::new(
            &manifest.dev_dependencies,
            &normal,
            aliases.iter().copied(),
            &[],
        );
        let build_tree = walk_with(&plain, &build_roots);
        let build_texts = (build_tree.roles.iter())
            .filter(|(_, r)| **r == Role::Build)
            .filter_map(|(p, _)| files.get(p).or_else(|| extra.get(p)))
            .map(|b| String::from_utf8_lossy(b));
        let sets_cfg = build_script::sets_cfg(build_texts, &manifest.build_dependencies);
        let rules = plain.clone().with_cfg(&sets_cfg);
        let tree = walk_with(&rules, &roots);
        let pending: Vec<String> = (tree.pending.iter())
            .chain(&build_tree.pending)
            .filter(|p| !scanned.contains_key(*p))
            .cloned()
            .collect();
        if pending.is_empty() || round >= MAX_ROUNDS {
            let mut tree = tree;
            if !pending.is_empty() {
                tree.computed = true;
                for p in pending {
                    tree.unread
                        .insert(format!("{p}: not scanned (more than {MAX_ROUNDS} rounds)"));
                }
            }
            break (tree, rules, sets_cfg);
        }
        for p in &pending {
            if !files.contains_key(p)
                && let Some(read) = unpacked.read_set_aside(p)
            {
                match read {
                    Ok(bytes) => {
                        extra.insert(p.clone(), bytes.into());
                    }
                    Err(why) => {
                        scanned.insert(p.clone(), not_read(p, why));
                    }
                }
            }
        }
        let pending: Vec<&String> = pending
            .iter()
            .filter(|p| !scanned.contains_key(*p))
            .collect();
        scanned.extend(scan_all(files, &pending, mode));
        scanned.extend(scan_all(&extra, &pending, mode));
    };

    let deps = dependency_names(&manifest, &scanned);
    let lib =
        (manifest.targets.iter()).position(|t| matches!(t.kind.as_str(), "lib" | "proc-macro"));
    let lib_exports = resolve_local_paths(&tree, files, &mut scanned, &deps, lib);

    let forbids_unsafe = (manifest.targets.iter())
        .filter(|t| matches!(t.kind.as_str(), "lib" | "proc-macro"))
        .filter_map(|t| scanned.get(&t.path))
        .any(|s| s.decls.forbids_unsafe);
    // code templates: emitted findings, the proc macros defined and the macros used
    let krate = CrateTemplates::of(scanned.values().map(|s| &s.templates));
    let mut proc_macros = BTreeSet::new();
    let mut macro_uses = BTreeSet::new();
    for s in scanned.values_mut() {
        s.mark_emitted(&krate);
        match tree.roles.get(&s.facts.path) {
            Some(Role::Shipped) => {
                if manifest.proc_macro {
                    proc_macros.extend(s.templates.proc_macros.iter().cloned());
                }
                macro_uses.extend(s.templates.uses.iter().cloned());
            }
            Some(Role::Build) => macro_uses.extend(s.templates.uses.iter().cloned()),
            Some(Role::Test | Role::Unreached) | None => {}
        }
    }
    let mut out: Vec<FileFacts> = scanned
        .into_values()
        .map(|s| {
            let role = tree.roles.get(&s.facts.path).copied();
            let mut facts = s.decided(&rules);
            facts.role = role.unwrap_or(Role::Unreached);
            facts
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    let macro_exports = macro_capabilities(&lib_exports.macros, &out);

    let mut build_script = build_script::classify(&manifest, &out, files);
    if build_script.path.is_some() {
        build_script.sets_cfg = sets_cfg;
    }
    let mut binaries: Vec<_> = files
        .iter()
        .filter_map(|(p, b)| binary::detect_binary(p, b))
        .collect();
    // a binary under tests/ is a fixture unless code that is not test-only names it (the
    // build script, shipped code, or unreached code that may compile)
    let reaching = (out.iter())
        .filter(|f| f.role != Role::Test)
        .filter_map(|f| files.get(&f.path).or_else(|| extra.get(&f.path)));
    for b in &mut binaries {
        b.fixture = binary::in_fixture_folder(&b.path)
            && !reaching.clone().any(|text| binary::named_by(&b.path, text));
    }
    let mut skipped = unpacked.skipped.clone();
    skipped.sort();
    let has_unreached = out.iter().any(|f| f.role == Role::Unreached);

    CrateFacts {
        name,
        version,
        manifest,
        unreached_may_compile: has_unreached && (build_script.path.is_some() || tree.computed),
        build_script,
        files: out,
        binaries,
        skipped,
        vcs: vcs::read_vcs_info(files.get(".cargo_vcs_info.json").map(|b| &b[..])),
        not_analyzed: None,
        forbids_unsafe,
        unread_modules: tree.unread.into_iter().collect(),
        rules_version: crate::RULES_VERSION,
        exports: lib_exports.named,
        glob_exports: lib_exports.globs,
        macro_exports,
        proc_macros: proc_macros.into_iter().collect(),
        macro_uses: macro_uses.into_iter().collect(),
        via: BTreeMap::new(),
    }
}

/// The names code uses for the crates it depends on (any table, tests and examples included),
/// each with the name the manifest declares it by (the table key, `-` as `_`): the
/// manifest's names, and the alias of each `extern crate NAME as ALIAS;` of one of them.
fn dependency_names(
    manifest: &ManifestFacts,
    scanned: &BTreeMap<String, Scanned>,
) -> HashMap<String, String> {
    let mut names: HashMap<String, String> = (manifest.dependencies.iter())
        .chain(&manifest.build_dependencies)
        .chain(&manifest.dev_dependencies)
        .map(|d| d.replace('-', "_"))
        .chain(manifest.renamed.keys().cloned())
        .map(|d| (d.clone(), d))
        .collect();
    for alias in scanned.values().flat_map(|s| &s.decls.aliases) {
        if alias.binder == Binder::Item
            && names.contains_key(&alias.root)
            && !names.contains_key(&alias.name)
        {
            names.insert(alias.name.clone(), alias.root.clone());
        }
    }
    names
}

/// The crate pass of name resolution ([`crate_paths`]): paths that leave their file, resolved
/// over the modules each target root loads, become findings of the file they are written in.
/// A finding the engines made through the crate's own `extern crate self as` name
/// (`windows_sys::..` inside windows-sys) is such a path too: it is resolved here instead.
///
/// A path that leads into one of `deps` (by the name code uses, see [`dependency_names`]) and
/// names nothing a rule knows is kept for the graph pass, starting with the name the manifest
/// declares the dependency by ([`crate::link`]); what the library root (`lib`) shows its
/// users is returned ([`lib_exports`]).
fn resolve_local_paths(
    tree: &modtree::Tree,
    files: &Files,
    scanned: &mut BTreeMap<String, Scanned>,
    deps: &HashMap<String, String>,
    lib: Option<usize>,
) -> LibExports {
    let self_names: Vec<String> = (scanned.values())
        .flat_map(|s| &s.decls.self_names)
        .cloned()
        .collect();
    // the engines' findings under a self name, turned back into paths of the crate
    let mut own: BTreeMap<String, Vec<LocalRef>> = BTreeMap::new();
    if !self_names.is_empty() {
        for (path, s) in scanned.iter_mut() {
            let mut kept = Vec::new();
            let mut kept_gates = Vec::new();
            for (f, ids) in s.facts.findings.drain(..).zip(s.gated.drain(..)) {
                let segs: Option<Vec<String>> = (f.kind.family() == Family::Api)
                    .then_some(f.detail.as_deref())
                    .flatten()
                    .and_then(|d| {
                        let mut parts = d.split("::");
                        let first = parts.next()?;
                        self_names.iter().any(|n| n == first).then(|| {
                            std::iter::once("crate".to_owned())
                                .chain(parts.map(str::to_owned))
                                .collect()
                        })
                    });
                match segs {
                    Some(segs) => own.entry(path.clone()).or_default().push(LocalRef {
                        at: RefAt::LineCol(f.line, f.col),
                        segs,
                        callee: true,
                        glob_only: false,
                        inline: Vec::new(),
                        gates: ids
                            .iter()
                            .filter_map(|&id| s.gates.get(id).cloned())
                            .collect(),
                    }),
                    None => {
                        kept.push(f);
                        kept_gates.push(ids);
                    }
                }
            }
            s.facts.findings = kept;
            s.gated = kept_gates;
        }
    }
    let mut roots: BTreeMap<usize, Vec<(&[String], &str)>> = BTreeMap::new();
    for (root, file, modpath) in &tree.modules {
        roots
            .entry(*root)
            .or_default()
            .push((modpath.as_slice(), file.as_str()));
    }
    // by file: (line, column, what the path is, its gates)
    type Hit = (u32, u32, crate_paths::Resolved, Vec<gates::Gate>);
    let mut found: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    let mut into_deps: BTreeMap<String, Vec<(DepPath, Vec<gates::Gate>)>> = BTreeMap::new();
    let mut exports = LibExports::default();
    for (root, loaded) in &roots {
        let decls = loaded
            .iter()
            .filter_map(|(modpath, file)| Some((*modpath, &scanned.get(*file)?.decls)));
        let mut index = crate_paths::Index::of(decls);
        for (modpath, _) in loaded {
            index.add_module(modpath);
        }
        if Some(*root) == lib {
            exports = lib_exports(&index, loaded, scanned);
        }
        // one resolution per (module, path): the same path is often written many times
        type Outcome = (Option<crate_paths::Resolved>, Option<Vec<String>>);
        let mut seen: HashMap<(usize, &[String], bool), Outcome> = HashMap::new();
        for (modpath, file) in loaded {
            let Some(s) = scanned.get(*file) else {
                continue;
            };
            let refs = s
                .decls
                .refs
                .iter()
                .chain(own.get(*file).into_iter().flatten());
            for r in refs {
                let module = if r.inline.is_empty() {
                    index.module(modpath)
                } else {
                    let here: Vec<String> = modpath.iter().chain(&r.inline).cloned().collect();
                    index.module(&here)
                };
                let Some(module) = module else {
                    continue;
                };
                let (hit, external) = seen
                    .entry((module, r.segs.as_slice(), r.callee))
                    .or_insert_with(|| {
                        let hit = index.resolve_in(module, &r.segs, r.callee);
                        let external = hit
                            .is_none()
                            .then(|| index.external_in(module, &r.segs))
                            .flatten()
                            .and_then(|mut p| {
                                p[0] = deps.get(&p[0])?.clone();
                                Some(p)
                            });
                        (hit, external)
                    })
                    .clone();
                let (hit, external) = if r.glob_only {
                    (hit.filter(|h| h.foreign), None)
                } else {
                    (hit, external)
                };
                if hit.is_none() && external.is_none() {
                    continue;
                }
                let (line, col) = match r.at {
                    RefAt::LineCol(line, col) => (line, col),
                    RefAt::Offset(at) => line_col(
                        files.get(*file).map_or(&[][..], |b| &b[..]),
                        (s.decls.base + at) as usize,
                    ),
                };
                if let Some(hit) = hit {
                    found.entry((*file).to_owned()).or_default().push((
                        line,
                        col,
                        hit,
                        r.gates.clone(),
                    ));
                } else if let Some(path) = external {
                    let dep = DepPath {
                        line,
                        col,
                        path: path.join("::"),
                        callee: r.callee,
                        test: false,
                    };
                    (into_deps.entry((*file).to_owned()).or_default()).push((dep, r.gates.clone()));
                }
            }
        }
    }
    for (file, hits) in found {
        if let Some(s) = scanned.get_mut(&file) {
            for (line, col, hit, gates) in hits {
                s.add_resolved(line, col, hit.kind, hit.detail, &gates);
            }
        }
    }
    for (file, paths) in into_deps {
        if let Some(s) = scanned.get_mut(&file) {
            for (path, gates) in paths {
                s.add_dep_path(path, &gates);
            }
        }
    }
    exports
}

/// What the library shows its users beyond its items: see [`lib_exports`].
#[derive(Default)]
struct LibExports {
    named: Vec<Export>,
    globs: Vec<GlobExport>,
    /// The exported macros, each with its file and the kinds of its `$crate::` paths.
    macros: Vec<(String, ExportedMacro, BTreeSet<Kind>)>,
}

/// The library's re-exports of other crates' paths that lead to a capability, named and by
/// glob, and its `#[macro_export]` macros with what their `$crate::` paths resolve to over
/// the library's modules (`index`, of the files `loaded`).
fn lib_exports(
    index: &crate_paths::Index,
    loaded: &[(&[String], &str)],
    scanned: &BTreeMap<String, Scanned>,
) -> LibExports {
    let named = (index.exports().into_iter())
        .filter(|(path, target)| {
            let segs: Vec<&str> = target.iter().map(String::as_str).collect();
            let name = path.rsplit("::").next().unwrap_or(path);
            exported_capability(name, &segs)
        })
        .map(|(path, target)| Export {
            path,
            target: target.join("::"),
        })
        .collect();
    let globs = (index.glob_exports().into_iter())
        .filter(|g| {
            let segs: Vec<&str> = g.target.iter().map(String::as_str).collect();
            crate::taxonomy::classify(&segs).is_some() || crate::taxonomy::leads_to_entry(&segs)
        })
        .map(|g| {
            // only the names the glob could supply a capability path by
            let relevant = |names: Vec<String>| -> Vec<String> {
                (names.into_iter())
                    .filter(|n| {
                        let mut segs: Vec<&str> = g.target.iter().map(String::as_str).collect();
                        segs.push(n);
                        crate::taxonomy::classify(&segs).is_some()
                            || crate::taxonomy::leads_to_entry(&segs)
                    })
                    .collect()
            };
            GlobExport {
                module: g.module.join("::"),
                target: g.target.join("::"),
                types: relevant(g.types),
                values: relevant(g.values),
            }
        })
        .collect();
    let mut macros = Vec::new();
    for (_, file) in loaded {
        let Some(s) = scanned.get(*file) else {
            continue;
        };
        for m in &s.decls.exported_macros {
            let kinds = (m.paths.iter())
                .filter_map(|(segs, callee)| index.resolve_in(0, segs, *callee))
                .map(|r| r.kind)
                .collect();
            macros.push(((*file).to_owned(), m.clone(), kinds));
        }
    }
    LibExports {
        named,
        globs,
        macros,
    }
}

/// By exported macro name, the capabilities of the code its body writes: its `$crate::` paths
/// and the findings inside it, in shipped code that is not test code (`files`, decided).
fn macro_capabilities(
    macros: &[(String, ExportedMacro, BTreeSet<Kind>)],
    files: &[FileFacts],
) -> BTreeMap<String, BTreeSet<Capability>> {
    let mut out: BTreeMap<String, BTreeSet<Capability>> = BTreeMap::new();
    for (path, m, kinds) in macros {
        let Ok(at) = files.binary_search_by(|f| f.path.as_str().cmp(path)) else {
            continue;
        };
        let file = &files[at];
        if file.role != Role::Shipped {
            continue;
        }
        let inside = (file.findings.iter())
            .filter(|f| !f.test && !f.emitted && m.contains(f.line, f.col))
            .map(|f| f.kind);
        let capabilities: BTreeSet<Capability> = (kinds.iter().copied())
            .chain(inside)
            .map(Kind::capability)
            .collect();
        if !capabilities.is_empty() {
            out.entry(m.name.clone()).or_default().extend(capabilities);
        }
    }
    out
}

/// A re-export worth keeping: a path some taxonomy entry can be reached through (an item of
/// an entry, or a type or module an entry lies under). Of a whole-crate entry (`libc`), only
/// what is named and written as a function (`pub use libc::open as sys_open`), not its types
/// (`pub type CURLcode = libc::c_int`).
fn exported_capability(name: &str, target: &[&str]) -> bool {
    use crate::source::value_like;
    match crate::taxonomy::classify(target) {
        Some(entry) if entry.depth() == 1 => {
            value_like(name) && target.last().is_some_and(|l| value_like(l))
        }
        Some(_) => true,
        None => crate::taxonomy::leads_to_entry(target),
    }
}

/// The 1-based line and column (in characters) of byte `at` of a file.
fn line_col(bytes: &[u8], at: usize) -> (u32, u32) {
    let at = at.min(bytes.len());
    let before = &bytes[..at];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line as u32, col as u32)
}

/// The role a target gives the files it reaches.
fn target_role(kind: &str) -> Role {
    match kind {
        "build-script" => Role::Build,
        "example" | "test" | "bench" => Role::Test,
        // lib, proc-macro, bin, and any kind a future cargo adds: the safe side
        _ => Role::Shipped,
    }
}

/// A file named by a module that could not be read: not analyzed, with why.
fn not_read(path: &str, why: String) -> Scanned {
    Scanned {
        facts: FileFacts {
            path: path.to_owned(),
            parse: Parse::NotAnalyzed { reason: why },
            ..FileFacts::default()
        },
        ..Scanned::default()
    }
}

/// Scans `paths` of `files` in parallel.
fn scan_all(files: &Files, paths: &[&String], mode: Mode) -> BTreeMap<String, Scanned> {
    paths
        .par_iter()
        .filter_map(|p| files.get(*p).map(|b| ((*p).clone(), scan_file(p, b, mode))))
        .collect()
}

/// Skipped archive entries by crate path (the `name-version/` root taken off), with the
/// reason; for use when a module names one.
fn skipped_paths(root: &str, skipped: &[SkippedEntry]) -> BTreeMap<String, String> {
    let prefix = format!("{root}/");
    skipped
        .iter()
        .filter_map(|s| {
            let rel = s.path.strip_prefix(&prefix)?;
            Some((rel.to_owned(), s.reason.clone()))
        })
        .collect()
}

/// A target whose file is not in the crate is a manifest problem worth seeing (cargo would
/// refuse to build it; a hostile crate may point one at a file it hides): appended to
/// `manifest.error`.
fn note_missing_targets(manifest: &mut ManifestFacts, files: &Files) {
    let missing: Vec<String> = manifest
        .targets
        .iter()
        .filter(|t| !files.contains_key(&t.path))
        .map(|t| {
            format!(
                "{} target `{}` points at `{}`, which is not in the crate",
                t.kind, t.name, t.path
            )
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut notes: Vec<String> = manifest.error.take().into_iter().collect();
    notes.extend(missing);
    manifest.error = Some(notes.join("; "));
}

/// `[package] name` and `version`, read leniently: the manifest module owns the full parse,
/// this only needs the identity and falls back to the tarball root when absent.
fn package_name_version(text: Option<&str>) -> Option<(String, String)> {
    let table: toml::Table = text?.parse().ok()?;
    let package = table.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?.to_string();
    let version = package.get("version")?.as_str()?.to_string();
    Some((name, version))
}

/// Scans one file, turning bytes that are not UTF-8 and scanner panics into recorded facts:
/// one bad file never aborts the crate, and never counts as zero findings.
fn scan_file(path: &str, bytes: &[u8], mode: Mode) -> Scanned {
    scan_file_with(path, bytes, |p, t| source::scan(p, t, mode))
}

/// [`scan_file`] with the source scanner as a parameter, so that a test can hand it one that
/// panics (no input is known to make syn panic today; this proves the guard, not a bug).
fn scan_file_with(path: &str, bytes: &[u8], scan: impl Fn(&str, &str) -> Scanned) -> Scanned {
    let lines = (memchr::memchr_iter(b'\n', bytes).count() + 1) as u32;
    let not_analyzed = |reason: String| Scanned {
        facts: FileFacts {
            path: path.to_string(),
            bytes: bytes.len() as u64,
            lines,
            parse: Parse::NotAnalyzed { reason },
            ..FileFacts::default()
        },
        ..Scanned::default()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return not_analyzed(format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.valid_up_to()
            ));
        }
    };
    match panic::catch_unwind(AssertUnwindSafe(|| scan(path, text))) {
        Ok(scanned) => scanned,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            not_analyzed(format!("scanner panicked: {msg}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_scan_is_a_file_not_analyzed() {
        fn boom(_: &str, _: &str) -> Scanned {
            panic!("syn fell over at 3:14")
        }
        fn boom_owned(_: &str, text: &str) -> Scanned {
            panic!("{} bytes were too many", text.len())
        }
        // The default hook would print the panic: keep the test output clean.
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let a = scan_file_with("src/a.rs", b"fn a() {}\n", boom).facts;
        let b = scan_file_with("src/b.rs", b"xyz", boom_owned).facts;
        panic::set_hook(hook);
        assert_eq!(
            a.parse,
            Parse::NotAnalyzed {
                reason: "scanner panicked: syn fell over at 3:14".into()
            }
        );
        assert_eq!((a.path.as_str(), a.bytes, a.lines), ("src/a.rs", 10, 2));
        assert!(a.findings.is_empty());
        assert_eq!(
            b.parse,
            Parse::NotAnalyzed {
                reason: "scanner panicked: 3 bytes were too many".into()
            }
        );
        // and the crate-level count says so: the file is listed, not counted as zero
        let facts = CrateFacts {
            files: vec![a],
            ..CrateFacts::default()
        };
        assert!(facts.counts().shipped.is_empty());
    }

    #[test]
    fn root_splits_at_the_version() {
        assert_eq!(
            split_root("foo-bar-1.2.3-rc.1"),
            ("foo-bar".into(), "1.2.3-rc.1".into())
        );
        assert_eq!(split_root("x-0.1.0"), ("x".into(), "0.1.0".into()));
        assert_eq!(split_root("noversion"), ("noversion".into(), String::new()));
    }
}
