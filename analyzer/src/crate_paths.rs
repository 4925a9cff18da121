//! Paths that leave their file, resolved over the crate's modules as rustc resolves them.
//!
//! A file shows its own `use` items and inline modules; the engines resolve what those reach.
//! A path starting with `crate::`, `super::` past the file's root, an out-of-line module
//! (`sys::system(..)` with `mod sys;`), a name a `use` binds to such a path, or the crate's
//! own `extern crate self as` name, is resolved here instead, once every file is read: an
//! index of the crate's modules (by module path) holds each module's `use` bindings (`pub use`
//! re-exports, `pub(crate) use` and type aliases alike), globs, foreign functions and child
//! modules, and a path is followed through them to a capability path of the taxonomy or to a
//! foreign function of the crate. Each target root is its own crate (`crate::` in a binary is
//! the binary's root).

use std::collections::{HashMap, HashSet};

use risk_report::facts::Kind;

use crate::source::decls::{Decls, ItemKind};
use crate::taxonomy;

/// Bound on the steps of one resolution (bindings followed): re-exports chain a few times in
/// real crates; a crate whose `use` items name each other in a ring stops here.
const MAX_STEPS: usize = 32;

#[derive(Debug, Default)]
struct Module {
    /// `use` bindings and type aliases: name -> (path, anchored).
    uses: HashMap<String, Vec<(Vec<String>, bool)>>,
    globs: Vec<(Vec<String>, bool)>,
    foreign: HashSet<String>,
    children: HashSet<String>,
}

/// The modules of one crate (one target root), by module path (`[]` is the root).
#[derive(Debug, Default)]
pub(crate) struct Index {
    modules: HashMap<Vec<String>, Module>,
}

/// What a path resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub kind: Kind,
    pub detail: String,
}

/// Where a path leads before the index is consulted further.
enum Step {
    /// A path of this crate, from its root.
    Local(Vec<String>),
    /// A path of another crate (or of the standard library), as written.
    External(Vec<String>),
}

impl Index {
    /// The index of the files of one crate, each with the module path it is loaded as.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a [String], &'a Decls)>) -> Index {
        let mut index = Index::default();
        for (modpath, decls) in files {
            for item in &decls.items {
                let mut path = modpath.to_vec();
                path.extend(item.inline.iter().cloned());
                index.register(&path);
                let m = index.modules.entry(path.clone()).or_default();
                match &item.kind {
                    ItemKind::Use {
                        alias,
                        segs,
                        anchored,
                    } => m
                        .uses
                        .entry(alias.clone())
                        .or_default()
                        .push((segs.clone(), *anchored)),
                    ItemKind::Glob { segs, anchored } => m.globs.push((segs.clone(), *anchored)),
                    ItemKind::Foreign { name } => {
                        m.foreign.insert(name.clone());
                    }
                    ItemKind::Module { name } => {
                        m.children.insert(name.clone());
                    }
                }
            }
        }
        index
    }

    /// Makes every module on the way to `path` know its child.
    fn register(&mut self, path: &[String]) {
        for k in 0..path.len() {
            self.modules
                .entry(path[..k].to_vec())
                .or_default()
                .children
                .insert(path[k].clone());
        }
    }

    /// Adds the modules the walk loaded from files (`mod x;`), so that paths through them
    /// resolve even when the module file declares nothing.
    pub fn add_module(&mut self, path: &[String]) {
        self.register(path);
        self.modules.entry(path.to_vec()).or_default();
    }

    /// Resolves `segs`, written in the module `here`, to a capability: a path of the taxonomy
    /// (called, or a function value or static when not called, as the engines count) or a
    /// foreign function of the crate (called).
    pub fn resolve(&self, here: &[String], segs: &[String], callee: bool) -> Option<Resolved> {
        let mut steps = 0;
        let start = self.absolute(here, segs)?;
        self.follow(start, callee, &mut steps)
    }

    /// `segs` written in module `here`, as a path from the crate root or an external path.
    fn absolute(&self, here: &[String], segs: &[String]) -> Option<Step> {
        let first = segs.first()?;
        let rest = &segs[1..];
        match first.as_str() {
            "crate" | "$crate" => Some(Step::Local(rest.to_vec())),
            "self" => Some(Step::Local([here, rest].concat())),
            "super" => {
                let ups = segs.iter().take_while(|s| *s == "super").count();
                let base = here.get(..here.len().checked_sub(ups)?)?;
                Some(Step::Local([base, &segs[ups..]].concat()))
            }
            _ => {
                let m = self.modules.get(here);
                let known =
                    m.is_some_and(|m| m.uses.contains_key(first) || m.children.contains(first));
                if known {
                    Some(Step::Local([here, segs].concat()))
                } else {
                    Some(Step::External(segs.to_vec()))
                }
            }
        }
    }

    fn follow(&self, step: Step, callee: bool, steps: &mut usize) -> Option<Resolved> {
        *steps += 1;
        if *steps > MAX_STEPS {
            return None;
        }
        let path = match step {
            Step::External(path) => return classify(&path, callee),
            Step::Local(path) => path,
        };
        let mut here: Vec<String> = Vec::new();
        for (k, name) in path.iter().enumerate() {
            let m = self.modules.get(&here)?;
            let last = k + 1 == path.len();
            if !last && m.children.contains(name) && !m.uses.contains_key(name) {
                here.push(name.clone());
                continue;
            }
            if last && callee && m.foreign.contains(name) {
                let mut full = here.clone();
                full.push(name.clone());
                return Some(Resolved {
                    kind: Kind::Ffi,
                    detail: format!("extern fn crate::{}", full.join("::")),
                });
            }
            let rest = &path[k + 1..];
            if let Some(bindings) = m.uses.get(name) {
                return bindings.iter().find_map(|(segs, anchored)| {
                    let target = if *anchored {
                        Step::External([segs, rest].concat())
                    } else {
                        match self.absolute(&here, segs)? {
                            Step::Local(p) => Step::Local([p.as_slice(), rest].concat()),
                            Step::External(p) => Step::External([p.as_slice(), rest].concat()),
                        }
                    };
                    self.follow(target, callee, steps)
                });
            }
            // globs, in order: `use std::fs::*;`, `pub use self::imp::*;`
            return m.globs.iter().find_map(|(segs, anchored)| {
                let tail = &path[k..];
                let target = if *anchored {
                    Step::External([segs.as_slice(), tail].concat())
                } else {
                    match self.absolute(&here, segs)? {
                        Step::Local(p) => Step::Local([p.as_slice(), tail].concat()),
                        Step::External(p) => Step::External([p.as_slice(), tail].concat()),
                    }
                };
                self.follow(target, callee, steps)
            });
        }
        None
    }
}

/// A taxonomy path, counted as the engines count paths: called, or named as a function value
/// or a static.
fn classify(path: &[String], callee: bool) -> Option<Resolved> {
    let segs: Vec<&str> = path.iter().map(String::as_str).collect();
    if segs.len() < 2 {
        return None;
    }
    if !callee && !segs.last().is_some_and(|l| crate::source::value_like(l)) {
        return None;
    }
    let entry = taxonomy::classify(&segs)?;
    Some(Resolved {
        kind: entry.kind,
        detail: segs.join("::"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decls::ModItem;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn use_item(inline: &[&str], alias: &str, segs: &[&str]) -> ModItem {
        ModItem {
            inline: s(inline),
            kind: ItemKind::Use {
                alias: alias.into(),
                segs: s(segs),
                anchored: false,
            },
        }
    }

    #[test]
    fn re_exports_and_foreign_functions_across_files() {
        let root = Decls {
            items: vec![
                use_item(&[], "Conn", &["std", "net", "TcpStream"]),
                use_item(&[], "run", &["self", "sys", "system"]),
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
            items: vec![use_item(&[], "Dial", &["super", "Conn"])],
            ..Decls::default()
        };
        let (r, sy, ne) = (s(&[]), s(&["sys"]), s(&["net"]));
        let mut index = Index::of([
            (r.as_slice(), &root),
            (sy.as_slice(), &sys),
            (ne.as_slice(), &net),
        ]);
        index.add_module(&sy);
        index.add_module(&ne);
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
        // a type named, not called: a mention
        assert_eq!(got(&[], &["crate", "Conn"], false), None);
        // nothing there
        assert_eq!(got(&[], &["crate", "nothing", "here"], true), None);
    }

    #[test]
    fn a_ring_of_uses_stops() {
        let root = Decls {
            items: vec![
                use_item(&[], "a", &["self", "b"]),
                use_item(&[], "b", &["self", "a"]),
            ],
            ..Decls::default()
        };
        let r = s(&[]);
        let index = Index::of([(r.as_slice(), &root)]);
        assert_eq!(index.resolve(&r, &s(&["a"]), true), None);
    }
}
