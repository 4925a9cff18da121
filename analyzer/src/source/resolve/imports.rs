//! The import map and path resolution, one scope per inline module.
//!
//! Rust resolves a path in the module it is written in: a module sees its own `use` items
//! and the items it declares, never its parent's imports (plus the extern prelude and the std
//! prelude). So the map holds one scope per module of the file: the file itself is
//! [`ROOT`], and every inline `mod x { .. }` opens the next scope, numbered in preorder. The
//! collector fills the scopes; the syn visitor and the token scanner resolve each path in the
//! scope of the module it is written in, found by the byte offset of the `mod` keyword
//! ([`Imports::scope_at`]), so the two passes never have to agree on a counter.
//!
//! - Items and `use` items inside blocks (`fn f() { use std::fs; .. }`) belong to the scope
//!   of the enclosing module: an over-approximation within that module, never across modules.
//! - A glob of a module of this file (`use super::*;` in the `mod tests { .. }` idiom,
//!   `use self::imp::*;`, `use imp::*;`, `super::super::*`, transitively) makes that module's
//!   scope visible: a name the module neither imports nor declares is looked up there
//!   (explicit imports and items, then globs), as Rust's glob shadowing says. Visibility is
//!   not checked (a child's private import counts), which only matters for code that would
//!   not compile. `use super::name;` is followed through the parent's import of `name`.
//!   `crate::*` and paths above the file's root point outside what this file shows and are
//!   ignored.
//! - `extern crate` names are the file's extern prelude, seen from every scope.
//! - Variable and parameter names are one set per file.
//! - Files syn cannot parse (`resolve::from_tokens`) get one scope per inline module too, as
//!   far as their braces balance; the token scan switches scope at each `mod x {`.
//! - `self::x` and `super::x` resolve in this module and its parents (as far as this file
//!   shows them: `super` above the file's root is another file); `<T>::f` is `T::f`, `Self::f`
//!   in an impl block is the self type's `f`, and `type A = path;` binds `A` like a `use`.
//! - Identifiers are compared after NFC normalization (the scan normalizes the text first).
//!
//! Names of items a module declares shadow by namespace: a module or type (`mod fs`, `struct
//! File`) hides a crate root and globs for paths starting with it, a function or constant
//! (`fn std() {}`) only a name used alone. Everything borrows from the source text: resolving a
//! path allocates nothing.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use risk_report::facts::Kind;

use super::scopes::{self, Binding, Scope, is_self_root};
pub(crate) use super::scopes::{ROOT, ScopeId};
use crate::gates::Gate;
use crate::taxonomy::{self, Entry};

/// Names, globs and local declarations of one file, per module.
#[derive(Debug)]
pub(crate) struct Imports<'s> {
    /// Indexed by [`ScopeId`]; never empty. A parent's id is below its children's.
    scopes: Vec<Scope<'s>>,
    /// Byte offset of each inline module's `mod` keyword and its scope, sorted by offset.
    mods: Vec<(usize, ScopeId)>,
    /// `extern crate` names (`self` ones are local).
    crates: HashMap<&'s str, Binding<'s>>,
    /// Variable and parameter names: a lone `x` that is one is a value, not an import.
    bindings: HashSet<&'s str>,
}

impl Default for Imports<'_> {
    fn default() -> Self {
        Imports {
            scopes: vec![Scope::default()],
            mods: Vec::new(),
            crates: HashMap::new(),
            bindings: HashSet::new(),
        }
    }
}

/// Names that are never taken from a glob import: the prelude and primitive types.
const PRELUDE: &[&str] = &[
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Option",
    "Result",
    "drop",
    "Default",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Sized",
    "Drop",
    "Extend",
    "IntoIterator",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "bool",
    "char",
    "str",
    "Self",
    "self",
    "super",
    "crate",
];

/// An inline-assembly or embedding macro, recognised by its resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MacroHit {
    /// The resolved path as written (`asm`, `core::arch::asm`).
    InlineAsm(String),
    IncludeBytes,
    IncludeStr,
    Include,
}

impl MacroHit {
    pub fn kind(&self) -> Kind {
        match self {
            MacroHit::InlineAsm(_) => Kind::InlineAsm,
            MacroHit::IncludeBytes => Kind::IncludeBytes,
            MacroHit::IncludeStr => Kind::IncludeStr,
            MacroHit::Include => Kind::Include,
        }
    }
}

impl<'s> Imports<'s> {
    /// Opens the scope of the inline module `name` whose `mod` keyword is at byte `offset`,
    /// inside `parent`; returns its id.
    pub fn open_scope(&mut self, parent: ScopeId, name: &'s str, offset: usize) -> ScopeId {
        let id = self.scopes.len();
        self.scopes.push(Scope {
            parent: Some(parent.min(id - 1)),
            name,
            ..Scope::default()
        });
        self.mods.push((offset, id));
        id
    }

    /// The scope of the inline module whose `mod` keyword is at byte `offset`.
    pub fn scope_at(&self, offset: usize) -> Option<ScopeId> {
        let i = self.mods.binary_search_by_key(&offset, |m| m.0).ok()?;
        Some(self.mods[i].1)
    }

    fn scope_mut(&mut self, scope: ScopeId) -> &mut Scope<'s> {
        let last = self.scopes.len() - 1;
        &mut self.scopes[scope.min(last)]
    }

    /// `use <segs>` in `scope`, binding `alias` (the last segment, or the `as` name).
    pub fn add_use(&mut self, scope: ScopeId, alias: &'s str, segs: Vec<&'s str>, anchored: bool) {
        if segs.is_empty() {
            return;
        }
        if alias == "_" {
            // a trait brought in for its methods only
            self.scope_mut(scope).anon.push(segs);
            return;
        }
        let local = !anchored && is_self_root(segs[0]);
        let list = self.scope_mut(scope).names.entry(alias).or_default();
        let binding = Binding {
            segs,
            anchored,
            local,
        };
        if !list
            .iter()
            .any(|b| b.segs == binding.segs && b.anchored == binding.anchored)
        {
            list.push(binding);
        }
    }

    /// `use <segs>::*;` in `scope`.
    pub fn add_glob(&mut self, scope: ScopeId, segs: Vec<&'s str>, anchored: bool) {
        let Some(&first) = segs.first() else {
            return;
        };
        let sc = self.scope_mut(scope);
        let list = if !anchored && is_self_root(first) {
            &mut sc.local_globs
        } else {
            &mut sc.globs
        };
        if !list.contains(&segs) {
            list.push(segs);
        }
    }

    /// An item declared in `scope`, in the type namespace (`value == false`: a module, a type,
    /// a trait) or the value namespace (a function, a constant, a static).
    pub fn add_local(&mut self, scope: ScopeId, name: &'s str, value: bool) {
        let sc = self.scope_mut(scope);
        if value {
            sc.values.insert(name);
        } else {
            sc.locals.insert(name);
        }
    }

    /// A variable or parameter name, anywhere in the file.
    pub fn add_binding(&mut self, name: &'s str) {
        self.bindings.insert(name);
    }

    /// A function declared in an `extern` block of `scope`.
    pub fn add_extern_fn(&mut self, scope: ScopeId, name: &'s str) {
        let sc = self.scope_mut(scope);
        sc.extern_fns.insert(name);
        sc.values.insert(name);
    }

    /// `extern crate name as alias;`, visible from every scope of the file.
    pub fn add_extern_crate(&mut self, alias: &'s str, name: &'s str) {
        let binding = Binding {
            segs: vec![name],
            anchored: true,
            local: name == "self",
        };
        self.crates.entry(alias).or_insert(binding);
    }

    /// Once everything is collected: see [`scopes::finish`].
    pub fn finish(&mut self) {
        if !self.mods.is_sorted_by_key(|m| m.0) {
            self.mods.sort_unstable();
        }
        scopes::finish(&mut self.scopes, &self.crates);
    }

    /// Resolution as seen from `scope`.
    pub fn at(&self, scope: ScopeId) -> Resolver<'_, 's> {
        Resolver {
            imports: self,
            scope: scope.min(self.scopes.len() - 1),
        }
    }
}

/// Resolves paths written in one scope of a file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolver<'a, 's> {
    imports: &'a Imports<'s>,
    scope: ScopeId,
}

impl<'a, 's> Resolver<'a, 's> {
    /// This scope, then those its crate-local globs make visible.
    fn visible(&self) -> impl Iterator<Item = &'a Scope<'s>> + use<'a, 's> {
        let scopes = &self.imports.scopes;
        let sc = &scopes[self.scope];
        std::iter::once(sc).chain(sc.links.iter().filter_map(|&l| scopes.get(l)))
    }

    /// What `name` is bound to in this module itself (no glob, no parent: an import elsewhere
    /// cannot shadow the prelude here, and a glob that would is an ambiguity rustc rejects),
    /// as the roots of the paths it stands for (`self` for paths into the crate). With
    /// `path_root`, the name starts a path (type namespace): items the module declares and
    /// `extern crate .. as name` count too.
    pub fn roots_of(&self, name: &str, path_root: bool) -> Vec<String> {
        let sc = &self.imports.scopes[self.scope];
        let mut roots: Vec<String> = (sc.names.get(name).into_iter().flatten())
            .map(|b| {
                if b.local {
                    "self".to_owned()
                } else {
                    b.segs.first().copied().unwrap_or("self").to_owned()
                }
            })
            .collect();
        if path_root {
            if sc.locals.contains(name) {
                roots.push("self".to_owned());
            }
            if let Some(b) = self.imports.crates.get(name) {
                roots.push(b.segs.first().copied().unwrap_or("self").to_owned());
            }
        }
        roots.sort();
        roots.dedup();
        roots
    }

    /// `gate` with what its attribute path's first segment is bound to in this module.
    pub fn bind(&self, gate: Gate) -> Gate {
        match gate {
            Gate::Attr { segs, bound: None } => {
                let bound = segs
                    .first()
                    .map(|first| self.roots_of(first, segs.len() > 1));
                Gate::Attr { segs, bound }
            }
            other => other,
        }
    }

    /// The capability method a call `.name(..)` in this module is: one whose carrier this
    /// module imports (by name, `as _`, or through a glob of the carrier's module).
    pub fn method(&self, name: &str) -> Option<&'static taxonomy::Method> {
        taxonomy::methods(name).find(|m| m.carriers.iter().any(|c| self.sees(c)))
    }

    /// Whether a rule could fire on `name` here beyond the crate roots it knows: a name bound
    /// in this module (or one its local globs show), a foreign function, an `extern crate`
    /// name, a capability method; any name at all when an external glob is in scope (it can
    /// supply one).
    pub fn may_matter(&self, name: &str) -> bool {
        // a binding matters when it points into the crate (anything may be there) or to a
        // path a taxonomy entry is at or under
        let leads = |b: &Binding<'_>| {
            b.local || taxonomy::classify(&b.segs).is_some() || taxonomy::leads_to_entry(&b.segs)
        };
        self.imports.crates.contains_key(name)
            || taxonomy::methods(name).next().is_some()
            || self.visible().any(|sc| {
                !sc.globs.is_empty()
                    || sc.names.get(name).is_some_and(|bs| bs.iter().any(leads))
                    || sc.extern_fns.contains(name)
            })
    }

    fn sees(&self, carrier: &str) -> bool {
        let path: Vec<&str> = carrier.split("::").collect();
        self.visible().any(|sc| {
            let named = (sc.names.values().flatten()).any(|b| !b.local && b.segs == path);
            let glob = sc
                .globs
                .iter()
                .any(|g| g.len() + 1 == path.len() && g[..] == path[..g.len()]);
            named || glob || sc.anon.contains(&path)
        })
    }

    pub fn is_extern_fn(&self, name: &str) -> bool {
        self.visible().any(|sc| sc.extern_fns.contains(name))
    }

    /// Whether the called path `segs` names a function declared in an `extern` block of a
    /// module of this file: `f` here, `sys::f` or `self::sys::f` in a child module,
    /// `super::f` in the parent, or a name a `use` of this file binds to one of those.
    pub fn calls_extern_fn(&self, segs: &[&str]) -> bool {
        self.extern_fn_in(segs, 0)
    }

    fn extern_fn_in(&self, segs: &[&str], depth: usize) -> bool {
        let Some((&last, module)) = segs.split_last() else {
            return false;
        };
        if depth > 8 {
            return false;
        }
        if module.is_empty() {
            if self.is_extern_fn(last) {
                return true;
            }
            // `use sys::f;` / `use self::sys::f;`: follow the binding inside this file
            let sc = &self.imports.scopes[self.scope];
            return (sc.names.get(last).into_iter().flatten())
                .filter(|b| b.local || self.child(self.scope, b.segs[0]).is_some())
                .any(|b| self.extern_fn_in(&b.segs, depth + 1));
        }
        let mut scope = Some(self.scope);
        for (k, seg) in module.iter().enumerate() {
            scope = match *seg {
                "self" if k == 0 => scope,
                "super" => scope
                    .and_then(|s| self.imports.scopes.get(s))
                    .and_then(|s| s.parent),
                name => scope.and_then(|s| self.child(s, name)),
            };
        }
        scope.is_some_and(|s| self.imports.scopes[s].extern_fns.contains(last))
    }

    /// The inline module `name` declared in `scope`.
    fn child(&self, scope: ScopeId, name: &str) -> Option<ScopeId> {
        (self.imports.scopes.iter().enumerate())
            .find(|(_, sc)| sc.parent == Some(scope) && sc.name == name)
            .map(|(id, _)| id)
    }

    /// Calls `f` with each candidate full path for `segs` in priority order, stopping at the
    /// first `true`. The second argument is the glob module's depth for glob candidates.
    /// `macro_ns`: the path names a macro, and macros live apart from the functions, types and
    /// modules the file declares (`fn include_bytes` does not hide `include_bytes!`).
    fn candidates(
        &self,
        segs: &[&'s str],
        leading: bool,
        macro_ns: bool,
        buf: &mut Vec<&'s str>,
        mut f: impl FnMut(&[&'s str], Option<usize>) -> bool,
    ) -> bool {
        let Some(&first) = segs.first() else {
            return false;
        };
        buf.clear();
        if leading {
            buf.extend_from_slice(segs);
            return f(buf, None);
        }
        if first == "self" || first == "super" {
            // `self::x` is `x` as this module declares or imports it; `super::x` the same in
            // the parent, as far as this file shows its modules
            let ups = segs.iter().take_while(|s| **s == "super").count();
            let rest = if first == "self" {
                &segs[1..]
            } else {
                &segs[ups..]
            };
            let mut scope = Some(self.scope);
            for _ in 0..ups {
                scope = scope
                    .and_then(|s| self.imports.scopes.get(s))
                    .and_then(|s| s.parent);
            }
            return match scope {
                Some(scope) if !rest.is_empty() && !is_self_root(rest[0]) => {
                    let module = Resolver {
                        imports: self.imports,
                        scope,
                    };
                    module.lookup(rest, true, macro_ns, buf, &mut f)
                }
                _ => false,
            };
        }
        if is_self_root(first) {
            return false;
        }
        self.lookup(segs, false, macro_ns, buf, &mut f)
    }

    /// Resolves `segs` in this module: its imports and items, then (unless `module_only`, for
    /// `self::`/`super::` paths) the extern prelude and the path as written, then its globs.
    fn lookup(
        &self,
        segs: &[&'s str],
        module_only: bool,
        macro_ns: bool,
        buf: &mut Vec<&'s str>,
        f: &mut impl FnMut(&[&'s str], Option<usize>) -> bool,
    ) -> bool {
        let first = segs[0];
        let mut through = |list: &[Binding<'s>], buf: &mut Vec<&'s str>| {
            for b in list.iter().filter(|b| !b.local) {
                buf.clear();
                buf.extend_from_slice(&b.segs);
                buf.extend_from_slice(&segs[1..]);
                if f(buf, None) {
                    return true;
                }
            }
            false
        };
        for sc in self.visible() {
            if let Some(list) = sc.names.get(first) {
                return through(list, buf);
            }
            // a path's first segment is a type-namespace name; a name alone is a value (or a
            // unit or tuple struct), and macros are a namespace of their own
            let declared = if segs.len() > 1 {
                sc.locals.contains(first)
            } else {
                !macro_ns && (sc.values.contains(first) || sc.locals.contains(first))
            };
            if declared {
                return false;
            }
        }
        if !module_only {
            if let Some(b) = self.imports.crates.get(first) {
                return through(std::slice::from_ref(b), buf);
            }
            buf.clear();
            buf.extend_from_slice(segs);
            if f(buf, None) {
                return true;
            }
            if PRELUDE.contains(&first) {
                return false;
            }
        }
        for sc in self.visible() {
            for g in &sc.globs {
                buf.clear();
                buf.extend_from_slice(g);
                buf.extend_from_slice(segs);
                if f(buf, Some(g.len())) {
                    return true;
                }
            }
        }
        false
    }

    /// The taxonomy entry an expression path resolves to; `buf` then holds the resolved path.
    /// `callee`: the path is called (`f(..)`) or is a macro, not merely used as a value.
    pub fn classify(
        &self,
        segs: &[&'s str],
        leading: bool,
        callee: bool,
        buf: &mut Vec<&'s str>,
    ) -> Option<&'static Entry> {
        let single = segs.len() == 1;
        let bindings = &self.imports.bindings;
        if single && !callee && bindings.contains(segs[0]) {
            return None;
        }
        let mut hit = None;
        self.candidates(segs, leading, false, buf, |path, glob| {
            // a crate root alone is never an item (`let curl = ..; curl`)
            if path.len() < 2 {
                return false;
            }
            // a mention is not a use: a path that is not called counts only as a function
            // value or a static (`map(std::env::var)`, `libc::environ`), never as a constant
            // (`libc::O_RDONLY`) or a type (`std::fs::File`)
            if !callee && !path.last().is_some_and(|last| value_like(last)) {
                return false;
            }
            let Some(entry) = taxonomy::classify(path) else {
                return false;
            };
            let ok = match glob {
                None => true,
                // the entry must name an item inside the glob module; whole-crate bindings
                // (`use libc::*;`) only count for a called name (`open(..)`), since their
                // constants and types are data
                Some(depth) => {
                    entry.depth() > depth
                        || (entry.depth() == 1 && single && callee && !bindings.contains(segs[0]))
                }
            };
            if ok {
                hit = Some(entry);
            }
            ok
        });
        hit
    }

    /// Inline assembly and embedding macros: bare (`asm!`), qualified (`core::arch::asm!`)
    /// or imported under any name.
    pub fn resolve_macro(&self, segs: &[&'s str], leading: bool) -> Option<MacroHit> {
        let mut hit = None;
        let mut buf = Vec::new();
        self.candidates(segs, leading, true, &mut buf, |path, _| {
            hit = macro_hit(path);
            hit.is_some()
        });
        hit
    }
}

/// A name written the way functions and statics are (`read`, `_private`), not the way
/// constants (`O_RDONLY`) and types or variants (`File`) are.
pub(crate) fn value_like(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    name.chars().next().is_some_and(|c| c.is_lowercase())
        && !name.chars().all(|c| !c.is_lowercase())
}

/// Recognises a resolved macro path. `core::` and `alloc::` mirror `std::`.
fn macro_hit(path: &[&str]) -> Option<MacroHit> {
    let (root, rest) = match path {
        [name] => (None, std::slice::from_ref(name)),
        [root, rest @ ..] => (Some(*root), rest),
        [] => return None,
    };
    if root.is_some_and(|r| !taxonomy::SYSROOT.contains(&r)) {
        return None;
    }
    match rest {
        ["arch", name @ ("asm" | "global_asm" | "naked_asm")] => {
            let _ = name;
            Some(MacroHit::InlineAsm(path.join("::")))
        }
        ["asm" | "global_asm" | "naked_asm"] => Some(MacroHit::InlineAsm(path.join("::"))),
        ["include_bytes"] => Some(MacroHit::IncludeBytes),
        ["include_str"] => Some(MacroHit::IncludeStr),
        ["include"] => Some(MacroHit::Include),
        _ => None,
    }
}
