//! Paths that leave their file, resolved over the crate's modules as rustc resolves them.
//!
//! A file shows its own `use` items and inline modules; the engines resolve what those reach.
//! A path starting with `crate::`, `super::` past the file's root, an out-of-line module
//! (`sys::system(..)` with `mod sys;`), a name a `use` binds to such a path, or the crate's
//! own `extern crate self as` name, is resolved here instead, once every file is read: an
//! index of the crate's modules holds each module's `use` bindings (`pub use` re-exports,
//! `pub(crate) use` and type aliases alike), globs, foreign functions and child modules, and a
//! path is followed through them to a capability path of the taxonomy or to a foreign
//! function of the crate. Each target root is its own crate (`crate::` in a binary is the
//! binary's root).
//!
//! What a name means in a module is worked out once (memoized), so a crate of many paths
//! through many re-exports costs one lookup per (module, name); a ring of `use` items that
//! name each other resolves to nothing.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::cell::RefCell;

use risk_report::facts::Kind;

use crate::source::decls::Ns;
use crate::source::decls::{Decls, ItemKind};

use crate::taxonomy;

type ModuleId = usize;

#[derive(Debug, Default)]
struct Module {
    parent: Option<ModuleId>,
    /// Its path from the crate root.
    path: Vec<String>,
    /// `use` bindings and type aliases: name -> (path, anchored).
    uses: HashMap<String, Vec<(Vec<String>, bool)>>,
    /// `use` globs: (path, anchored, `pub`).
    globs: Vec<(Vec<String>, bool, bool)>,
    /// Items it defines at its top level in every build, with their namespaces: they shadow
    /// what its globs supply (read only from files that hold a glob).
    defs: HashMap<String, Ns>,
    foreign: HashSet<String>,
    children: HashMap<String, ModuleId>,
    /// Names of `uses` bound by `pub use` (or `pub type`): other crates see them.
    public: HashSet<String>,
}

/// What a name stands for in a module.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Module(ModuleId),
    /// A path of another crate or of the standard library; with the depth of the glob that
    /// supplied the last segment (0 when named).
    External(Vec<String>, usize),
    /// A function of an `extern` block of a module.
    Foreign(ModuleId, String),
}

/// The modules of one crate (one target root); module 0 is its root.
#[derive(Debug)]
pub(crate) struct Index {
    modules: Vec<Module>,
    by_path: HashMap<Vec<String>, ModuleId>,
    /// By module, name -> what it stands for; `None` while being worked out (a ring).
    memo: RefCell<Vec<HashMap<String, Option<Option<Target>>>>>,
}

/// A glob re-export of another crate's path (see [`Index::glob_exports`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GlobExport {
    pub module: Vec<String>,
    pub target: Vec<String>,
    pub types: Vec<String>,
    pub values: Vec<String>,
}

/// How many `use` items [`Index::namespaces`] follows to the item a name stands for.
const MAX_USE_HOPS: usize = 8;

/// What a path resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub kind: Kind,
    pub detail: String,
    /// A function of one of the crate's own `extern` blocks.
    pub foreign: bool,
}

impl Index {
    /// The index of the files of one crate, each with the module path it is loaded as.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a [String], &'a Decls)>) -> Index {
        let mut index = Index {
            modules: vec![Module::default()],
            by_path: HashMap::from_iter([(Vec::new(), 0)]),
            memo: RefCell::new(Vec::new()),
        };
        for (modpath, decls) in files {
            let file_module = index.add_module(modpath);
            // items come in file order: most share the inline module of the one before
            let mut last: (&[String], ModuleId) = (&[], file_module);
            for item in &decls.items {
                let id = if item.inline == last.0 {
                    last.1
                } else {
                    let mut path = modpath.to_vec();
                    path.extend(item.inline.iter().cloned());
                    let id = index.add_module(&path);
                    last = (&item.inline, id);
                    id
                };
                let m = &mut index.modules[id];
                match &item.kind {
                    ItemKind::Use {
                        alias,
                        segs,
                        anchored,
                        public,
                    } => {
                        m.uses
                            .entry(alias.clone())
                            .or_default()
                            .push((segs.clone(), *anchored));
                        if *public {
                            m.public.insert(alias.clone());
                        }
                    }
                    ItemKind::Glob {
                        segs,
                        anchored,
                        public,
                    } => m.globs.push((segs.clone(), *anchored, *public)),
                    ItemKind::Def { name, ns } => {
                        let ns = m.defs.get(name).map_or(*ns, |had| had.with(*ns));
                        m.defs.insert(name.clone(), ns);
                    }
                    ItemKind::Foreign { name } => {
                        m.foreign.insert(name.clone());
                    }
                    ItemKind::Module { name } => {
                        let mut path = modpath.to_vec();
                        path.extend(item.inline.iter().cloned());
                        path.push(name.clone());
                        index.add_module(&path);
                    }
                }
            }
        }
        index
    }

    /// The module at `path`, made (with the modules on the way) when new.
    pub fn add_module(&mut self, path: &[String]) -> ModuleId {
        if let Some(&id) = self.by_path.get(path) {
            return id;
        }
        let mut id = 0;
        for k in 0..path.len() {
            let name = &path[k];
            id = match self.modules[id].children.get(name) {
                Some(&child) => child,
                None => {
                    let child = self.modules.len();
                    self.modules.push(Module {
                        parent: Some(id),
                        path: path[..=k].to_vec(),
                        ..Module::default()
                    });
                    self.modules[id].children.insert(name.clone(), child);
                    self.by_path.insert(path[..=k].to_vec(), child);
                    child
                }
            };
        }
        id
    }

    /// Resolves `segs`, written in the module `here`, to a capability: a path of the taxonomy
    /// (called, or a function value or static when not called, as the engines count) or a
    /// foreign function of the crate (called).
    #[cfg(test)]
    pub fn resolve(&self, here: &[String], segs: &[String], callee: bool) -> Option<Resolved> {
        self.resolve_in(*self.by_path.get(here)?, segs, callee)
    }

    /// The module at `path` (`None` when no module of the index is there).
    pub fn module(&self, path: &[String]) -> Option<ModuleId> {
        self.by_path.get(path).copied()
    }

    /// [`Index::resolve`] from a module already found.
    pub fn resolve_in(&self, here: ModuleId, segs: &[String], callee: bool) -> Option<Resolved> {
        let (target, rest, guess) = self.start(here, segs, false)?;
        self.follow(target, rest, callee)
            .or_else(|| guess.and_then(|g| self.follow(g, rest, callee)))
    }

    /// Follows the segments `rest` from `target`.
    fn follow(&self, mut target: Target, rest: &[String], callee: bool) -> Option<Resolved> {
        for (k, seg) in rest.iter().enumerate() {
            target = match target {
                Target::Module(m) => self.lookup(m, seg)?,
                Target::External(mut path, _) => {
                    path.extend(rest[k..].iter().cloned());
                    return classify(&path, 0, callee);
                }
                Target::Foreign(..) => return None,
            };
        }
        match target {
            Target::Module(_) => None,
            Target::External(path, glob) => classify(&path, glob, callee),
            Target::Foreign(m, name) => callee.then(|| {
                let module = &self.modules[m].path;
                let sep = if module.is_empty() { "" } else { "::" };
                Resolved {
                    kind: Kind::Ffi,
                    detail: format!("extern fn crate::{}{sep}{name}", module.join("::")),
                    foreign: true,
                }
            }),
        }
    }

    /// `segs`, written in module `here`, as a path of another crate when it leads out of this
    /// one and no rule knows it (`base::Stream::connect`, through a `use base::Stream;` too).
    pub fn external_in(&self, here: ModuleId, segs: &[String]) -> Option<Vec<String>> {
        let (mut target, rest, _) = self.start(here, segs, false)?;
        for (k, seg) in rest.iter().enumerate() {
            target = match target {
                Target::Module(m) => self.lookup(m, seg)?,
                Target::External(mut path, _) => {
                    path.extend(rest[k..].iter().cloned());
                    return Some(path);
                }
                Target::Foreign(..) => return None,
            };
        }
        match target {
            Target::External(path, 0) if path.len() > 1 => Some(path),
            _ => None,
        }
    }

    /// What the crate's modules re-export from other crates: (path from the crate root, the
    /// path it names), for every `pub use` whose path leads out of the crate. Sorted.
    pub fn exports(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for (id, module) in self.modules.iter().enumerate() {
            for name in &module.public {
                let Some(bindings) = module.uses.get(name) else {
                    continue;
                };
                let found = (bindings.iter()).find_map(|(segs, anchored)| {
                    match self.binding(id, segs, *anchored)? {
                        Target::External(path, 0) => Some(path),
                        _ => None,
                    }
                });
                if let Some(target) = found {
                    let mut path = module.path.clone();
                    path.push(name.clone());
                    out.push((path.join("::"), target));
                }
            }
        }
        out.sort();
        out
    }

    /// What the crate's modules re-export from other crates by glob (`pub use std::net::*;`):
    /// for each, the module's path from the crate root, the path the glob imports, and the
    /// names the module gives itself (items, child modules, foreign functions, `use`s of its
    /// own items) in the type and in the value namespace, which shadow the glob's. Sorted.
    pub fn glob_exports(&self) -> Vec<GlobExport> {
        let mut out = Vec::new();
        for (id, module) in self.modules.iter().enumerate() {
            for (segs, anchored, public) in &module.globs {
                let Some(Target::External(target, 0)) = (*public)
                    .then(|| self.binding(id, segs, *anchored))
                    .flatten()
                else {
                    continue;
                };
                let mut names: Vec<&String> = (module.defs.keys())
                    .chain(module.children.keys())
                    .chain(&module.foreign)
                    .chain(module.uses.keys())
                    .collect();
                names.sort();
                names.dedup();
                let (mut types, mut values) = (Vec::new(), Vec::new());
                for name in names {
                    let ns = self.namespaces(id, name, 0);
                    if ns.is_some_and(Ns::types) {
                        types.push(name.clone());
                    }
                    if ns.is_some_and(Ns::values) {
                        values.push(name.clone());
                    }
                }
                out.push(GlobExport {
                    module: module.path.clone(),
                    target,
                    types,
                    values,
                });
            }
        }
        out.sort();
        out
    }

    /// The namespaces `name` takes in module `m` by what the crate itself gives it: an item,
    /// a child module, a foreign function, or a `use` of one of these (followed
    /// [`MAX_USE_HOPS`] times). `None` when nothing of the crate is known to: a `use` of
    /// another crate's path may take either, so it shadows nothing.
    fn namespaces(&self, m: ModuleId, name: &str, hops: usize) -> Option<Ns> {
        let module = &self.modules[m];
        let mut ns = module.defs.get(name).copied();
        let mut add = |more: Ns| ns = Some(ns.map_or(more, |had| had.with(more)));
        if module.children.contains_key(name) {
            add(Ns::Type);
        }
        if module.foreign.contains(name) {
            add(Ns::Value);
        }
        for (segs, anchored) in module.uses.get(name).into_iter().flatten() {
            if *anchored || hops >= MAX_USE_HOPS {
                continue;
            }
            let Some((last, parent)) = segs.split_last() else {
                continue;
            };
            let found = match self.binding(m, segs, false) {
                Some(Target::Module(_)) => Some(Ns::Type),
                Some(Target::Foreign(..)) => Some(Ns::Value),
                _ if parent.is_empty() => None,
                _ => match self.binding(m, parent, false) {
                    Some(Target::Module(g)) => self.namespaces(g, last, hops + 1),
                    _ => None,
                },
            };
            if let Some(more) = found {
                add(more);
            }
        }
        ns
    }

    /// The target of the first segments of `segs` in module `here` (`crate`, `self`,
    /// `super`s, or a name), the segments left, and a second guess. `in_use`: `segs` is the
    /// path of a `use` (whose first segment is never the item itself).
    ///
    /// A first segment that only a glob of another crate could supply (`use libc::*;` then
    /// `libc::open(..)`) is read as a crate name first (the glob's crate may have no item of
    /// that name, and then rustc takes the crate); the glob's path is the second guess.
    fn start<'p>(
        &self,
        here: ModuleId,
        segs: &'p [String],
        in_use: bool,
    ) -> Option<(Target, &'p [String], Option<Target>)> {
        let first = segs.first()?;
        match first.as_str() {
            "crate" | "$crate" => Some((Target::Module(0), &segs[1..], None)),
            "self" => Some((Target::Module(here), &segs[1..], None)),
            "super" => {
                let mut m = here;
                let ups = segs.iter().take_while(|s| *s == "super").count();
                for _ in 0..ups {
                    m = self.modules[m].parent?;
                }
                Some((Target::Module(m), &segs[ups..], None))
            }
            _ => {
                let named = Target::External(vec![first.clone()], 0);
                Some(match self.lookup(here, first) {
                    Some(guess @ Target::External(_, 1..)) if in_use || segs.len() > 1 => {
                        (named, &segs[1..], Some(guess))
                    }
                    found => (found.unwrap_or(named), &segs[1..], None),
                })
            }
        }
    }

    /// What `name` stands for in module `m`: an import, a child module, a foreign function,
    /// or what a glob of `m` supplies. Worked out once.
    fn lookup(&self, m: ModuleId, name: &str) -> Option<Target> {
        if let Some(known) = self.memo.borrow().get(m).and_then(|names| names.get(name)) {
            return known.clone().flatten();
        }
        let remember = |value: Option<Option<Target>>| {
            let mut memo = self.memo.borrow_mut();
            if memo.len() <= m {
                memo.resize_with(m + 1, HashMap::new);
            }
            memo[m].insert(name.to_owned(), value);
        };
        remember(None);
        let found = self.lookup_uncached(m, name);
        remember(Some(found.clone()));
        found
    }

    fn lookup_uncached(&self, m: ModuleId, name: &str) -> Option<Target> {
        let module = &self.modules[m];
        if let Some(bindings) = module.uses.get(name) {
            return bindings
                .iter()
                .find_map(|(segs, anchored)| self.binding(m, segs, *anchored));
        }
        if let Some(&child) = module.children.get(name) {
            return Some(Target::Module(child));
        }
        if module.foreign.contains(name) {
            return Some(Target::Foreign(m, name.to_owned()));
        }
        if module.defs.get(name).is_some_and(|ns| ns.values()) {
            return None;
        }
        // A glob of another crate may supply any name (what that crate holds is not known
        // here): it is only a guess, and a glob that leads to a declaration of the crate
        // (an `extern` function, a module, a named `use`) wins over it, whatever the order.
        let mut guess = None;
        for (segs, anchored, _) in &module.globs {
            let found = match self.binding(m, segs, *anchored) {
                Some(Target::Module(g)) if g != m => self.lookup(g, name),
                Some(Target::External(mut path, _)) => {
                    let depth = path.len();
                    path.push(name.to_owned());
                    Some(Target::External(path, depth))
                }
                _ => None,
            };
            match found {
                Some(t @ Target::External(_, 1..)) => {
                    guess.get_or_insert(t);
                }
                Some(t) => return Some(t),
                None => {}
            }
        }
        guess
    }

    /// What the path of a `use` in module `m` stands for.
    fn binding(&self, m: ModuleId, segs: &[String], anchored: bool) -> Option<Target> {
        if anchored {
            return Some(Target::External(segs.to_vec(), 0));
        }
        // a `use` path starts with a name in scope in this module (uniform paths: a child
        // module, another `use`), else with a crate (also when only a glob of another crate
        // could supply the name)
        let (mut target, rest, _) = self.start(m, segs, true)?;
        for seg in rest {
            target = match target {
                Target::Module(g) => self.lookup(g, seg)?,
                Target::External(mut path, _) => {
                    path.push(seg.clone());
                    Target::External(path, 0)
                }
                Target::Foreign(..) => return None,
            };
        }
        Some(target)
    }
}

/// A taxonomy path, counted as the engines count paths: called, or named as a function value
/// or a static. When a glob of `glob` segments supplied the last segment, the entry must name
/// an item inside the glob's module (a whole-crate glob counts for a called name).
pub(crate) fn classify(path: &[String], glob: usize, callee: bool) -> Option<Resolved> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    if segs.len() < 2 {
        return None;
    }
    if !callee && !segs.last().is_some_and(|l| crate::source::value_like(l)) {
        return None;
    }
    let entry = taxonomy::classify(&segs)?;
    let inside = glob == 0 || entry.depth() > glob || (entry.depth() == 1 && callee);
    inside.then(|| Resolved {
        kind: entry.kind,
        detail: segs.join("::"),
        foreign: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decls::ModItem;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn use_item(alias: &str, segs: &[&str]) -> ModItem {
        ModItem {
            inline: Vec::new(),
            kind: ItemKind::Use {
                alias: alias.into(),
                segs: s(segs),
                anchored: false,
                public: true,
            },
        }
    }

    fn glob(segs: &[&str]) -> ModItem {
        ModItem {
            inline: Vec::new(),
            kind: ItemKind::Glob {
                segs: s(segs),
                anchored: false,
                public: true,
            },
        }
    }

    #[test]
    fn re_exports_and_foreign_functions_across_files() {
        let root = Decls {
            items: vec![
                use_item("Conn", &["std", "net", "TcpStream"]),
                use_item("run", &["self", "sys", "system"]),
            ],
            ..Decls::default()
        };
        let sys = Decls {
            items: vec![ModItem {
                inline: vec![],
                kind: ItemKind::Foreign {
                    name: "system".into(),
                },
            }],
            ..Decls::default()
        };
        let net = Decls {
            items: vec![use_item("Dial", &["super", "Conn"])],
            ..Decls::default()
        };
        let c = Decls {
            items: vec![glob(&["libc"])],
            ..Decls::default()
        };
        let (r, sy, ne, cc) = (s(&[]), s(&["sys"]), s(&["net"]), s(&["c"]));
        let index = Index::of([
            (r.as_slice(), &root),
            (sy.as_slice(), &sys),
            (ne.as_slice(), &net),
            (cc.as_slice(), &c),
        ]);
        let got = |here: &[&str], segs: &[&str], callee| index.resolve(&s(here), &s(segs), callee);
        assert_eq!(
            got(&["net"], &["crate", "Conn", "connect"], true).map(|r| r.detail),
            Some("std::net::TcpStream::connect".into())
        );
        // through two re-exports: net::Dial -> super::Conn -> std::net::TcpStream
        assert_eq!(
            got(&[], &["net", "Dial", "connect"], true).map(|r| r.kind),
            Some(Kind::Net)
        );
        assert_eq!(
            got(&["net"], &["super", "sys", "system"], true).map(|r| r.kind),
            Some(Kind::Ffi)
        );
        assert_eq!(got(&[], &["run"], true).map(|r| r.kind), Some(Kind::Ffi));
        // a whole-crate glob supplies a called name, not a constant
        assert_eq!(
            got(&["net"], &["crate", "c", "open"], true).map(|r| r.detail),
            Some("libc::open".into())
        );
        assert_eq!(got(&["net"], &["crate", "c", "O_RDONLY"], false), None);
        // a type named, not called: a mention
        assert_eq!(got(&[], &["crate", "Conn"], false), None);
        // nothing there
        assert_eq!(got(&[], &["crate", "nothing", "here"], true), None);
    }

    #[test]
    fn a_ring_of_uses_stops() {
        let root = Decls {
            items: vec![use_item("a", &["self", "b"]), use_item("b", &["self", "a"])],
            ..Decls::default()
        };
        let r = s(&[]);
        let index = Index::of([(r.as_slice(), &root)]);
        assert_eq!(index.resolve(&r, &s(&["a"]), true), None);
    }
}
