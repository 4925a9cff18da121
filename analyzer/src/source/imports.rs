//! The per-file import map and path resolution.
//!
//! Every `use` item and `extern crate` of the file goes into one map, whatever module it sits
//! in: simple, deterministic, and an over-approximation where two modules of one file bind
//! the same name differently (any external binding that classifies wins). Names of items the
//! file declares (`mod fs`, `fn read`, ...) shadow external crate roots and glob imports.
//! Everything borrows from the source text: resolving a path allocates nothing.

use std::collections::{HashMap, HashSet};

use risk_report::facts::Kind;

use super::Src;
use super::tokens::{Delim, TK, Tok, matching};
use crate::taxonomy::{self, Entry};

#[derive(Debug, Clone)]
struct Binding<'s> {
    /// Full path the name stands for.
    segs: Vec<&'s str>,
    /// Written with a leading `::` or from `extern crate`: an external crate for sure.
    anchored: bool,
    /// Points into this crate (`crate::`, `self::`, `super::`, a local module).
    local: bool,
}

/// Names, globs and local declarations of one file.
#[derive(Debug, Default)]
pub(crate) struct Imports<'s> {
    names: HashMap<&'s str, Vec<Binding<'s>>>,
    /// External glob imports (`use std::fs::*;`), in file order.
    globs: Vec<Vec<&'s str>>,
    /// Items declared in this file: they shadow crate roots and globs.
    locals: HashSet<&'s str>,
    /// Variable and parameter names: a lone `x` that is one is a value, not an import.
    bindings: HashSet<&'s str>,
    /// Functions declared in `extern` blocks of this file.
    extern_fns: HashSet<&'s str>,
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

fn is_self_root(s: &str) -> bool {
    matches!(s, "crate" | "self" | "super" | "Self" | "$crate")
}

impl<'s> Imports<'s> {
    /// `use <segs>` binding `alias` (the last segment, or the `as` name).
    pub fn add_use(&mut self, alias: &'s str, segs: Vec<&'s str>, anchored: bool) {
        if alias == "_" || segs.is_empty() {
            return;
        }
        let local = !anchored && is_self_root(segs[0]);
        let list = self.names.entry(alias).or_default();
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

    pub fn add_glob(&mut self, segs: Vec<&'s str>, anchored: bool) {
        if segs.is_empty() || (!anchored && is_self_root(segs[0])) || self.globs.contains(&segs) {
            return;
        }
        self.globs.push(segs);
    }

    pub fn add_local(&mut self, name: &'s str) {
        self.locals.insert(name);
    }

    pub fn add_binding(&mut self, name: &'s str) {
        self.bindings.insert(name);
    }

    pub fn add_extern_fn(&mut self, name: &'s str) {
        self.extern_fns.insert(name);
        self.locals.insert(name);
    }

    /// Once everything is collected: a `use` path starting with a local module points into
    /// the crate, and one starting with another import is expanded through it.
    pub fn finish(&mut self) {
        let locals = &self.locals;
        let snapshot: HashMap<&'s str, Vec<Binding<'s>>> =
            self.names.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (alias, list) in &mut self.names {
            for b in list.iter_mut() {
                if b.anchored || b.local {
                    continue;
                }
                let first = b.segs[0];
                if locals.contains(first) {
                    b.local = true;
                } else if first != *alias
                    && let Some(via) = snapshot.get(first).and_then(|l| l.first())
                {
                    // `use std::os; use os::unix::fs;`: one step is enough in practice
                    let mut segs = via.segs.clone();
                    segs.extend_from_slice(&b.segs[1..]);
                    b.segs = segs;
                    b.local = via.local;
                    b.anchored = via.anchored;
                }
            }
        }
        self.globs.retain(|g| !locals.contains(g[0]));
    }

    pub fn is_extern_fn(&self, name: &str) -> bool {
        self.extern_fns.contains(name)
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
        if is_self_root(first) {
            return false;
        }
        if let Some(list) = self.names.get(first) {
            for b in list.iter().filter(|b| !b.local) {
                buf.clear();
                buf.extend_from_slice(&b.segs);
                buf.extend_from_slice(&segs[1..]);
                if f(buf, None) {
                    return true;
                }
            }
            return false;
        }
        if self.locals.contains(first) && !(macro_ns && segs.len() == 1) {
            return false;
        }
        buf.extend_from_slice(segs);
        if f(buf, None) {
            return true;
        }
        if PRELUDE.contains(&first) {
            return false;
        }
        for g in &self.globs {
            buf.clear();
            buf.extend_from_slice(g);
            buf.extend_from_slice(segs);
            if f(buf, Some(g.len())) {
                return true;
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
        if single && !callee && self.bindings.contains(segs[0]) {
            return None;
        }
        let mut hit = None;
        self.candidates(segs, leading, false, buf, |path, glob| {
            // a crate root alone is never an item (`let curl = ..; curl`)
            if path.len() < 2 {
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
                        || (entry.depth() == 1
                            && single
                            && callee
                            && !self.bindings.contains(segs[0]))
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

    /// Collects imports and declarations from flat tokens (files syn could not parse).
    pub fn from_tokens(toks: &[Tok], src: &Src<'s>) -> Imports<'s> {
        let mut imports = Imports::default();
        let m = matching(toks);
        let mut foreign_until = 0usize;
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.kind != TK::Ident
                || (i > 0 && matches!(toks[i - 1].kind, TK::Punct('.' | '$' | '\'') | TK::PathSep))
            {
                i += 1;
                continue;
            }
            let next_ident = toks
                .get(i + 1)
                .filter(|n| n.kind == TK::Ident)
                .map(|n| n.text(src));
            match t.text(src) {
                "use" => {
                    let mut j = i + 1;
                    let anchored = toks.get(j).is_some_and(|n| n.kind == TK::PathSep);
                    j += usize::from(anchored);
                    let mut prefix = Vec::new();
                    use_tree_tokens(
                        toks,
                        &m,
                        &mut j,
                        src,
                        &mut prefix,
                        anchored,
                        &mut imports,
                        0,
                    );
                    i = j;
                    continue;
                }
                "extern" => {
                    if next_ident == Some("crate")
                        && let Some(name) = toks.get(i + 2).filter(|n| n.kind == TK::Ident)
                    {
                        let name = name.text(src);
                        let alias = match toks.get(i + 3) {
                            Some(a) if a.is_ident(src, "as") => toks
                                .get(i + 4)
                                .filter(|n| n.kind == TK::Ident)
                                .map_or(name, |n| n.text(src)),
                            _ => name,
                        };
                        if name == "self" {
                            imports.add_local(alias);
                        } else {
                            imports.add_use(alias, vec![name], true);
                        }
                    } else {
                        let j =
                            i + 1 + usize::from(toks.get(i + 1).is_some_and(|n| n.kind == TK::Lit));
                        if toks
                            .get(j)
                            .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                        {
                            foreign_until = foreign_until.max(m[j] as usize);
                        }
                    }
                }
                "fn" => {
                    if let Some(name) = next_ident {
                        if i < foreign_until {
                            imports.add_extern_fn(name);
                        } else {
                            imports.add_local(name);
                        }
                    }
                }
                "mod" | "struct" | "enum" | "union" | "trait" | "type" | "const" => {
                    if let Some(name) = next_ident {
                        imports.add_local(name);
                    }
                }
                "static" | "let" => {
                    let k = i + 1 + usize::from(next_ident == Some("mut"));
                    if let Some(name) = toks.get(k).filter(|n| n.kind == TK::Ident) {
                        if t.text(src) == "let" {
                            imports.add_binding(name.text(src));
                        } else {
                            imports.add_local(name.text(src));
                        }
                    }
                }
                "macro_rules" => {
                    if let Some(name) = toks.get(i + 2).filter(|n| n.kind == TK::Ident) {
                        imports.add_local(name.text(src));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        imports.finish();
        imports
    }
}

/// One use tree from flat tokens: `a::b`, `a::b as c`, `a::{..}`, `a::*`, `self`.
#[allow(clippy::too_many_arguments)]
fn use_tree_tokens<'s>(
    toks: &[Tok],
    m: &[u32],
    j: &mut usize,
    src: &Src<'s>,
    prefix: &mut Vec<&'s str>,
    anchored: bool,
    imports: &mut Imports<'s>,
    depth: usize,
) {
    let base = prefix.len();
    while let Some(t) = toks.get(*j) {
        match t.kind {
            TK::Ident => {
                let word = t.text(src);
                *j += 1;
                if toks.get(*j).is_some_and(|n| n.kind == TK::PathSep) {
                    prefix.push(word);
                    *j += 1;
                    continue;
                }
                let alias = match toks.get(*j) {
                    Some(a) if a.is_ident(src, "as") => {
                        *j += 2;
                        toks.get(*j - 1).map_or(word, |n| n.text(src))
                    }
                    _ => word,
                };
                if word == "self" {
                    if let Some(&last) = prefix.last() {
                        let alias = if alias == "self" { last } else { alias };
                        imports.add_use(alias, prefix.clone(), anchored);
                    }
                } else {
                    let mut segs = prefix.clone();
                    segs.push(word);
                    imports.add_use(alias, segs, anchored);
                }
                break;
            }
            TK::Punct('*') => {
                imports.add_glob(prefix.clone(), anchored);
                *j += 1;
                break;
            }
            TK::Open(Delim::Brace) => {
                let close = m[*j] as usize;
                *j += 1;
                if depth < 16 {
                    while *j < close {
                        use_tree_tokens(toks, m, j, src, prefix, anchored, imports, depth + 1);
                        if toks.get(*j).is_some_and(|n| n.is_punct(',')) {
                            *j += 1;
                        } else {
                            break;
                        }
                    }
                }
                *j = close + 1;
                break;
            }
            _ => break,
        }
    }
    prefix.truncate(base);
    // the outermost call consumes through the `;`
    if depth == 0 {
        while let Some(t) = toks.get(*j) {
            *j += 1;
            if t.is_punct(';') {
                break;
            }
        }
    }
}

/// Recognises a resolved macro path. `core::` and `alloc::` mirror `std::`.
fn macro_hit(path: &[&str]) -> Option<MacroHit> {
    let (root, rest) = match path {
        [name] => (None, std::slice::from_ref(name)),
        [root, rest @ ..] => (Some(*root), rest),
        [] => return None,
    };
    if root.is_some_and(|r| !matches!(r, "std" | "core" | "alloc")) {
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
