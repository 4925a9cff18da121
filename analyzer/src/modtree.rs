//! Which files each target compiles: the module tree walked from every target root as rustc
//! walks it.
//!
//! A file's role is the best of the roles of the targets that reach it (shipped, then build,
//! then test): a file under `tests/` that the library reaches through `#[path]` ships, and the
//! build script's own modules are build code wherever they sit. A module reached only through
//! code under a gate that holds (`#[cfg(test)] mod tests;`) is test code. Files no target
//! reaches are left out of the result; the crate pass reports them as unreached.
//!
//! rustc's rules, as followed here (`rustc_expand`'s module loading):
//! - A target root's modules live in its folder. `mod x;` in a file loaded as `x.rs` looks in
//!   `x/` (the "relative" folder); in a `mod.rs`, a root or a `#[path]` file, next to it.
//!   Both `x.rs` and `x/mod.rs` are followed when both exist (rustc would refuse the crate).
//! - Inline modules (`mod a { mod b; }`) add their name to the folder, or replace it with
//!   their `#[path]` (a folder, for historical reasons).
//! - `#[path = "p"]` on `mod x;` is relative to the module's folder, without the relative
//!   part. Every `cfg_attr(.., path = ..)` before the first unconditional `path` is a
//!   candidate too: which one applies depends on `cfg`, so all are followed.
//! - `include!("p")` is relative to the folder of the file it is written in; the file it
//!   names is part of the including module, but its own `mod` items resolve from its folder.
//! - A `mod` or `include!` in the body of a `macro_rules!` of the crate declares where the
//!   macro is invoked (`prelude!()` in libc's root declares `src/types.rs`), and only there;
//!   invocations inside macro bodies expand too.
//!
//! What cannot be followed (a path a macro computes, a name a macro supplies, a file that is
//! skipped, missing or unreadable) is recorded as unread; when it could be any file, the tree
//! says so (`computed`) and unreached files then count as possibly compiled.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashSet, HashSetExt};

use risk_report::facts::Role;

use crate::gates::Gate;
use crate::source::decls::literal;
use crate::source::decls::{Decls, Include, IncludeArg, Inline, Invocation, ModDecl, Name};

/// Bound on nested macro expansions followed (a macro whose body invokes another, ...).
const MAX_EXPANSION_DEPTH: usize = 16;

/// Bound on the walk: (file, folder, role) visits. Real crates need a few per file; a hostile
/// crate of files that all name each other under many folders stops here.
const MAX_VISITS: usize = 200_000;

/// Bound on the candidate folders of one declaration (`cfg_attr` paths multiply them).
const MAX_CANDIDATES: usize = 16;

/// What the walk knows of a file's declarations.
pub(crate) enum Known<'a> {
    Decls(&'a Decls),
    /// The file was scanned but could not be read (not UTF-8, over a cap).
    Unreadable,
    /// Not scanned yet: the crate pass scans it and walks again.
    NotScanned,
}

/// The result of a walk.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// Every reached file and its role.
    pub roles: BTreeMap<String, Role>,
    /// Declarations of reached code whose file could not be read, as `file: what -> path: why`.
    pub unread: BTreeSet<String>,
    /// Some declaration's file is unknown (computed by a macro or at build time, or declared
    /// by a file that could not be read): any file could be compiled.
    pub computed: bool,
    /// Reached files the crate pass has not scanned yet.
    pub pending: BTreeSet<String>,
    /// Each reached file as loaded: (index of the target root, file, module path from that
    /// root). A file can be loaded as several modules.
    pub modules: BTreeSet<(usize, String, Vec<String>)>,
}

/// What the `macro_rules!` of the crate named one name declare in their bodies, with the
/// file each is written in.
#[derive(Debug, Default)]
pub(crate) struct MacroDefs<'a> {
    pub mods: Vec<(&'a str, &'a ModDecl)>,
    pub includes: Vec<(&'a str, &'a Include)>,
    pub invocations: Vec<&'a Invocation>,
}

/// Every macro of the crate whose body declares something, by name.
pub(crate) fn macro_table<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a Decls)>,
) -> BTreeMap<&'a str, MacroDefs<'a>> {
    let mut table: BTreeMap<&str, MacroDefs<'_>> = BTreeMap::new();
    for (file, d) in files {
        for m in &d.mods {
            if let Some(name) = &m.in_macro {
                table.entry(name).or_default().mods.push((file, m));
            }
        }
        for inc in &d.includes {
            if let Some(name) = &inc.in_macro {
                table.entry(name).or_default().includes.push((file, inc));
            }
        }
        for inv in &d.invocations {
            if let Some(name) = &inv.in_macro {
                table.entry(name).or_default().invocations.push(inv);
            }
        }
    }
    table
}

/// What the walk asks the crate about.
pub(crate) struct Crate<'a> {
    pub known: &'a dyn Fn(&str) -> Known<'a>,
    pub macros: &'a BTreeMap<&'a str, MacroDefs<'a>>,
    pub exists: &'a dyn Fn(&str) -> bool,
    /// Why a path was not read, when the archive skipped it.
    pub skipped: &'a dyn Fn(&str) -> Option<String>,
    pub holds: &'a dyn Fn(&Gate) -> bool,
}

/// A module's place: the folder its `mod x;` items look in, and the relative part (`Some(x)`
/// for a file loaded as `x.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Place {
    dir: String,
    relative: Option<String>,
}

impl Place {
    /// The folder `mod x;` looks in: the folder plus the relative part.
    fn own_dir(&self) -> String {
        match &self.relative {
            Some(r) => join(&self.dir, r),
            None => self.dir.clone(),
        }
    }
}

/// Walks the module trees of `roots` (target root path and role).
pub(crate) fn walk(roots: &[(String, Role)], krate: &Crate<'_>) -> Tree {
    let mut w = Walker {
        krate,
        tree: Tree::default(),
        seen: HashSet::new(),
        expanded: HashSet::new(),
        queue: Vec::new(),
    };
    for (k, (root, role)) in roots.iter().enumerate() {
        if (krate.exists)(root) {
            let at = At {
                place: Place {
                    dir: parent(root).to_owned(),
                    relative: None,
                },
                root: k,
                modpath: Vec::new(),
            };
            w.push(root.clone(), at, *role);
        }
    }
    while let Some((file, at, role)) = w.queue.pop() {
        if w.seen.len() > MAX_VISITS {
            w.tree.computed = true;
            w.tree.unread.insert(format!(
                "{file}: module tree larger than {MAX_VISITS} visits; not followed further"
            ));
            break;
        }
        w.visit(&file, &at, role);
    }
    w.tree
}

/// Where a file is loaded: its folder place, the target root it belongs to and its module
/// path from that root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct At {
    place: Place,
    root: usize,
    modpath: Vec<String>,
}

impl At {
    /// The module path of a child module `name` declared under `inline`.
    fn child(&self, inline: &[Inline], name: &str) -> Vec<String> {
        let mut p = self.within(inline);
        p.push(name.to_owned());
        p
    }

    /// The module path of the inline modules `inline` (from here).
    fn within(&self, inline: &[Inline]) -> Vec<String> {
        let mut p = self.modpath.clone();
        p.extend(inline.iter().map(|m| match &m.name {
            Name::Literal(n) => n.clone(),
            Name::Computed => "$".to_owned(),
        }));
        p
    }
}

struct Walker<'a, 'k> {
    krate: &'a Crate<'k>,
    tree: Tree,
    seen: HashSet<(String, At, Role)>,
    /// Macro expansions done: (name, place, role).
    expanded: HashSet<(String, At, Role)>,
    queue: Vec<(String, At, Role)>,
}

impl Walker<'_, '_> {
    fn push(&mut self, file: String, at: At, role: Role) {
        if self.seen.insert((file.clone(), at.clone(), role)) {
            let best = self.tree.roles.entry(file.clone()).or_insert(role);
            *best = (*best).min(role);
            self.tree
                .modules
                .insert((at.root, file.clone(), at.modpath.clone()));
            self.queue.push((file, at, role));
        }
    }

    fn holds_any(&self, gates: &[Gate]) -> bool {
        gates.iter().any(|g| (self.krate.holds)(g))
    }

    fn visit(&mut self, file: &str, at: &At, role: Role) {
        let decls = match (self.krate.known)(file) {
            Known::Decls(d) => d,
            Known::Unreadable => {
                self.tree.computed = true;
                self.tree.unread.insert(format!(
                    "{file}: not analyzed, so the modules it declares are unknown"
                ));
                return;
            }
            Known::NotScanned => {
                self.tree.pending.insert(file.to_owned());
                return;
            }
        };
        if decls.too_deep {
            self.tree.computed = true;
            self.tree.unread.insert(format!(
                "{file}: modules nested too deep in inline modules; not followed"
            ));
        }
        for m in decls.mods.iter().filter(|m| m.in_macro.is_none()) {
            self.module(file, at, role, m);
        }
        for inc in decls.includes.iter().filter(|i| i.in_macro.is_none()) {
            self.include(file, at, role, inc);
        }
        for inv in decls.invocations.iter().filter(|i| i.in_macro.is_none()) {
            self.expand(at, role, inv, 0);
        }
    }

    /// What the macro `inv` names declares, expanded at `place` (after the invocation's own
    /// inline modules).
    fn expand(&mut self, at: &At, role: Role, inv: &Invocation, depth: usize) {
        let krate = self.krate;
        let Some(defs) = krate.macros.get(inv.name.as_str()) else {
            return;
        };
        if depth > MAX_EXPANSION_DEPTH {
            self.tree.computed = true;
            return;
        }
        let test = self.holds_any(&inv.gates);
        for (place, test) in self.places(&at.place, &inv.inline, test) {
            let role = if test { Role::Test } else { role };
            let here = At {
                place,
                root: at.root,
                modpath: at.within(&inv.inline),
            };
            if !self.expanded.insert((inv.name.clone(), here.clone(), role)) {
                continue;
            }
            for (file, m) in &defs.mods {
                self.module(file, &here, role, m);
            }
            for (file, inc) in &defs.includes {
                self.include(file, &here, role, inc);
            }
            for inner in &defs.invocations {
                self.expand(&here, role, inner, depth + 1);
            }
        }
    }

    /// The places an inline chain leads to from `place`, each with whether a gate on the way
    /// holds.
    fn places(&mut self, from: &Place, chain: &[Inline], test: bool) -> Vec<(Place, bool)> {
        let mut out = vec![(from.clone(), test)];
        for seg in chain {
            let mut next = Vec::new();
            for (place, test) in &out {
                let mut fixed = false;
                for p in &seg.paths {
                    let t = *test || p.gate.as_ref().is_some_and(|g| (self.krate.holds)(g));
                    match literal(p) {
                        Some(path) => next.extend(normalize(&join(&place.dir, path)).map(|dir| {
                            let place = Place {
                                dir,
                                relative: None,
                            };
                            (place, t)
                        })),
                        None => self.tree.computed = true,
                    }
                    if !p.conditional {
                        fixed = true;
                        break;
                    }
                }
                if !fixed {
                    match &seg.name {
                        Name::Literal(n) => next.push((
                            Place {
                                dir: join(&place.own_dir(), n),
                                relative: None,
                            },
                            *test,
                        )),
                        Name::Computed => self.tree.computed = true,
                    }
                }
            }
            next.truncate(MAX_CANDIDATES);
            out = next;
        }
        out
    }

    fn module(&mut self, file: &str, at: &At, role: Role, m: &ModDecl) {
        let test = self.holds_any(&m.gates);
        let name = match &m.name {
            Name::Literal(n) => n.as_str(),
            Name::Computed => "$name",
        };
        let modpath = at.child(&m.inline, name);
        let loaded = |place: Place| At {
            place,
            root: at.root,
            modpath: modpath.clone(),
        };
        for (place, test) in self.places(&at.place, &m.inline, test) {
            let mut fixed = false;
            for p in &m.paths {
                let test = test || p.gate.as_ref().is_some_and(|g| (self.krate.holds)(g));
                let role = if test { Role::Test } else { role };
                match literal(p) {
                    Some(path) => {
                        let what = format!("{file}: mod {name} -> #[path = {path:?}]");
                        // a `cfg_attr` path naming no file is a `cfg` no working build
                        // takes (rustc would fail): only a skipped file is news then
                        let say = if p.conditional {
                            Missing::SkippedOnly
                        } else {
                            Missing::Say
                        };
                        if let Some(target) = self.existing(&what, &place.dir, path, role, say) {
                            let next = Place {
                                dir: parent(&target).to_owned(),
                                relative: None,
                            };
                            self.push(target, loaded(next), role);
                        }
                    }
                    None => {
                        self.tree.computed = true;
                        self.tree.unread.insert(format!(
                            "{file}: mod {name} -> #[path] computed by a macro: any file"
                        ));
                    }
                }
                if !p.conditional {
                    fixed = true;
                    break;
                }
            }
            if fixed {
                continue;
            }
            let role = if test { Role::Test } else { role };
            let Name::Literal(n) = &m.name else {
                self.tree.computed = true;
                self.tree.unread.insert(format!(
                    "{file}: mod $name -> the name comes from a macro: any file"
                ));
                continue;
            };
            let base = place.own_dir();
            let flat = join(&base, &format!("{n}.rs"));
            let nested = join(&base, &format!("{n}/mod.rs"));
            let mut found = false;
            if (self.krate.exists)(&flat) {
                found = true;
                let next = Place {
                    dir: base.clone(),
                    relative: Some(n.clone()),
                };
                self.push(flat.clone(), loaded(next), role);
            }
            if (self.krate.exists)(&nested) {
                found = true;
                let next = Place {
                    dir: join(&base, n),
                    relative: None,
                };
                self.push(nested.clone(), loaded(next), role);
            }
            // with `cfg_attr` paths around, the default file is usually the case no `cfg`
            // leaves (`cfg_attr(unix, ..)`, `cfg_attr(windows, ..)`, `cfg_attr(not(any(..)), ..)`)
            let alternatives = m.paths.iter().any(|p| p.conditional);
            if !found && role != Role::Test && !alternatives {
                let why = (self.krate.skipped)(&flat)
                    .or_else(|| (self.krate.skipped)(&nested))
                    .unwrap_or_else(|| "not in the crate".to_owned());
                self.tree
                    .unread
                    .insert(format!("{file}: mod {n} -> {flat} or {nested}: {why}"));
            }
        }
    }

    fn include(&mut self, file: &str, at: &At, role: Role, inc: &Include) {
        let test = self.holds_any(&inc.gates);
        let (what, target) = match &inc.arg {
            IncludeArg::Relative(p) => (format!("{file}: include!({p:?})"), join(parent(file), p)),
            IncludeArg::CrateRoot(p) => (
                format!("{file}: include!(CARGO_MANIFEST_DIR/{p:?})"),
                p.clone(),
            ),
            IncludeArg::OutDir(written) => {
                if !test {
                    self.tree.unread.insert(format!(
                        "{file}: include!({written}) -> generated by the build script"
                    ));
                }
                return;
            }
            IncludeArg::Computed(written) => {
                self.tree.computed = true;
                self.tree.unread.insert(format!(
                    "{file}: include!({written}) -> path computed at build time: any file"
                ));
                return;
            }
        };
        let role = if test { Role::Test } else { role };
        if let Some(target) = self.existing(&what, "", &target, role, Missing::Say) {
            // its items belong to the including module; its `mod` items resolve from its folder
            let here = At {
                place: Place {
                    dir: parent(&target).to_owned(),
                    relative: None,
                },
                root: at.root,
                modpath: at.within(&inc.inline),
            };
            self.push(target, here, role);
        }
    }

    /// `dir/path` normalized when it is a file of the crate; otherwise records why it is not
    /// (when the code naming it is not test code) and gives `None`.
    fn existing(
        &mut self,
        what: &str,
        dir: &str,
        path: &str,
        role: Role,
        say: Missing,
    ) -> Option<String> {
        let mut why = None;
        // Windows reads `\` as a folder separator: the file can be either
        let spellings = [path.to_owned(), path.replace('\\', "/")];
        for spelling in &spellings[..1 + usize::from(path.contains('\\'))] {
            match normalize(&join(dir, spelling)) {
                Some(p) if (self.krate.exists)(&p) => return Some(p),
                Some(p) => {
                    why = why.or_else(|| (self.krate.skipped)(&p).map(|r| format!("{p}: {r}")));
                    if say == Missing::Say {
                        why = why.or(Some(format!("{p}: not in the crate")));
                    }
                }
                None if say == Missing::Say => {
                    why = why.or(Some("points outside the crate".to_owned()));
                }
                None => {}
            }
        }
        if role != Role::Test
            && let Some(why) = why
        {
            self.tree.unread.insert(format!("{what} -> {why}"));
        }
        None
    }
}

/// What [`Walker::existing`] records when the file is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    /// Any reason: a skipped entry, no such file, a path leaving the crate.
    Say,
    /// Only a skipped entry (the declaration may be one no build takes).
    SkippedOnly,
}

/// The folder of a crate path (`""` at the root).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_owned()
    } else {
        format!("{dir}/{rest}")
    }
}

/// A `/`-separated crate path with `.` and `..` worked out; `None` when it leaves the crate or
/// is absolute.
pub(crate) fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
