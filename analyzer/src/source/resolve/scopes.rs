//! The scopes of the import map (one per module of a file) and how they are finished once
//! collected: see the module doc of `imports` for the rules.

use foldhash::{HashMap, HashSet};

/// Index of a scope: [`ROOT`] for the file, then one per inline module in preorder.
pub(crate) type ScopeId = usize;

/// The file's own scope.
pub(crate) const ROOT: ScopeId = 0;

/// How many scopes one module sees through crate-local globs, transitively (bounds the work
/// on a hostile file).
const MAX_LINKS: usize = 16;

#[derive(Debug, Clone)]
pub(super) struct Binding<'s> {
    /// Full path the name stands for.
    pub(super) segs: Vec<&'s str>,
    /// Written with a leading `::` or from `extern crate`: an external crate for sure.
    pub(super) anchored: bool,
    /// Points into this crate (`crate::`, `self::`, `super::`, a local module).
    pub(super) local: bool,
}

/// What one module imports and declares.
#[derive(Debug, Default)]
pub(super) struct Scope<'s> {
    pub(super) parent: Option<ScopeId>,
    /// The module's name (empty for the file).
    pub(super) name: &'s str,
    pub(super) names: HashMap<&'s str, Vec<Binding<'s>>>,
    /// External glob imports (`use std::fs::*;`), in file order.
    pub(super) globs: Vec<Vec<&'s str>>,
    /// `use x::Trait as _;`: traits in scope under no name.
    pub(super) anon: Vec<Vec<&'s str>>,
    /// Items declared in this module, in the type namespace (modules, types, traits): they
    /// shadow crate roots (`mod std {}` hides `std::..`) and globs.
    pub(super) locals: HashSet<&'s str>,
    /// Items declared in the value namespace (functions, constants, statics): they shadow a
    /// name used alone (`fn read()` hides a glob's `read`), never a path's first segment
    /// (`fn std() {}` does not hide `std::fs`).
    pub(super) values: HashSet<&'s str>,
    /// Functions declared in `extern` blocks of this module.
    pub(super) extern_fns: HashSet<&'s str>,
    /// Globs of crate-local paths (`super::*`, `self::imp::*`, `imp::*`).
    pub(super) local_globs: Vec<Vec<&'s str>>,
    /// Set by [`finish`]: the scopes of this file the local globs name, and those
    /// they see in turn, nearest first.
    pub(super) links: Vec<ScopeId>,
}

/// A binding rewritten by [`finish`].
enum Fix<'s> {
    Local,
    To(Binding<'s>),
}

/// The binding `b` (imported as `alias` into `sc`) stands for, once the other imports of
/// `sc`, its ancestors (`done`, all finished) and the extern prelude are known.
fn fix<'s>(
    b: &Binding<'s>,
    alias: &str,
    sc: &Scope<'s>,
    done: &[Scope<'s>],
    crates: &HashMap<&'s str, Binding<'s>>,
) -> Option<Fix<'s>> {
    if b.anchored {
        return None;
    }
    let first = *b.segs.first()?;
    let through = |via: &Binding<'s>, rest: &[&'s str]| {
        let mut segs = via.segs.clone();
        segs.extend_from_slice(rest);
        Fix::To(Binding {
            segs,
            anchored: via.anchored,
            local: via.local,
        })
    };
    if first == "super" {
        // `use super::fs;` where the parent has `use std::fs;`
        let ups = b.segs.iter().take_while(|s| **s == "super").count();
        let mut target = sc.parent;
        for _ in 1..ups {
            target = target.and_then(|t| done.get(t)).and_then(|t| t.parent);
        }
        let name = b.segs.get(ups)?;
        let via = done
            .get(target?)?
            .names
            .get(name)?
            .iter()
            .find(|v| !v.local)?;
        return Some(through(via, &b.segs[ups + 1..]));
    }
    if b.local {
        return None;
    }
    if sc.locals.contains(first) {
        return Some(Fix::Local);
    }
    // `use std::os; use os::unix::fs;`: one step is enough in practice
    if first != alias
        && let Some(via) = sc.names.get(first).and_then(|l| l.first())
    {
        return Some(through(via, &b.segs[1..]));
    }
    crates.get(first).map(|via| through(via, &b.segs[1..]))
}

/// Once everything is collected: crate-local globs become links between scopes; a `use`
/// path starting with a local module points into the crate, one starting with another import
/// or an extern crate is expanded through it, `use super::x` through the ancestor's `x`.
pub(super) fn finish<'s>(scopes: &mut [Scope<'s>], crates: &HashMap<&'s str, Binding<'s>>) {
    link_globs(scopes);
    let mut fixes = Vec::new();
    for s in 0..scopes.len() {
        let (done, rest) = scopes.split_at_mut(s);
        let Some((sc, _)) = rest.split_first_mut() else {
            break;
        };
        fixes.clear();
        for (alias, list) in &sc.names {
            for (k, b) in list.iter().enumerate() {
                if let Some(f) = fix(b, alias, sc, done, crates) {
                    fixes.push((*alias, k, f));
                }
            }
        }
        for (alias, k, f) in fixes.drain(..) {
            if let Some(b) = sc.names.get_mut(alias).and_then(|l| l.get_mut(k)) {
                match f {
                    Fix::Local => b.local = true,
                    Fix::To(nb) => *b = nb,
                }
            }
        }
    }
}

/// Resolves crate-local globs to the scopes of this file they name (`super::*` the parent,
/// `self::imp::*` or `imp::*` the inline module `imp`, every `cfg` variant of it), then closes
/// the links transitively. Globs that name no scope here are dropped.
fn link_globs(scopes: &mut [Scope<'_>]) {
    for sc in scopes.iter_mut() {
        if sc.globs.iter().any(|g| sc.locals.contains(g[0])) {
            // `use imp::*;` where `imp` is declared here: crate-local too
            let globs = std::mem::take(&mut sc.globs);
            let (local, external) = globs.into_iter().partition(|g| sc.locals.contains(g[0]));
            sc.globs = external;
            sc.local_globs.extend::<Vec<_>>(local);
        }
    }
    if scopes.iter().all(|sc| sc.local_globs.is_empty()) {
        return;
    }
    let direct = direct_links(scopes);
    for (s, first) in direct.iter().enumerate() {
        if first.is_empty() {
            continue;
        }
        let mut all = first.clone();
        let mut k = 0;
        while k < all.len() && all.len() < MAX_LINKS {
            for &t in &direct[all[k]] {
                if t != s && !all.contains(&t) && all.len() < MAX_LINKS {
                    all.push(t);
                }
            }
            k += 1;
        }
        scopes[s].links = all;
    }
}

/// For each scope, the scopes its crate-local globs name directly.
fn direct_links(scopes: &[Scope<'_>]) -> Vec<Vec<ScopeId>> {
    // (parent, name, child), sorted for lookups
    let mut kids: Vec<(ScopeId, &str, ScopeId)> = (scopes.iter().enumerate())
        .filter_map(|(id, sc)| Some((sc.parent?, sc.name, id)))
        .collect();
    kids.sort_unstable();
    let mut direct: Vec<Vec<ScopeId>> = vec![Vec::new(); scopes.len()];
    let (mut cur, mut next) = (Vec::new(), Vec::new());
    for (s, sc) in scopes.iter().enumerate() {
        for g in &sc.local_globs {
            cur.clear();
            let ups = g.iter().take_while(|x| **x == "super").count();
            let names = match g[0] {
                "self" => {
                    cur.push(s);
                    &g[1..]
                }
                "super" => {
                    let mut t = Some(s);
                    for _ in 0..ups {
                        t = t.and_then(|t| scopes.get(t)).and_then(|t| t.parent);
                    }
                    cur.extend(t);
                    &g[ups..]
                }
                "crate" | "$crate" | "Self" => continue,
                _ => {
                    cur.push(s);
                    &g[..]
                }
            };
            for name in names {
                next.clear();
                for &c in &cur {
                    let lo = kids.partition_point(|k| (k.0, k.1) < (c, *name));
                    let same = kids[lo..].iter().take_while(|k| k.0 == c && k.1 == *name);
                    next.extend(same.map(|k| k.2));
                }
                next.truncate(MAX_LINKS);
                std::mem::swap(&mut cur, &mut next);
            }
            for &t in &cur {
                if t != s && !direct[s].contains(&t) && direct[s].len() < MAX_LINKS {
                    direct[s].push(t);
                }
            }
        }
    }
    direct
}

/// A path starting with this points into the crate.
pub(super) fn is_self_root(s: &str) -> bool {
    matches!(s, "crate" | "self" | "super" | "Self" | "$crate")
}
