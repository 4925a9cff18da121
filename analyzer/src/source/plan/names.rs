//! The names that can trigger a rule in one file, beyond the rule words and the crate roots:
//! names `use` and `extern crate` bind to a path a rule can reach, names a glob of such a
//! module can supply, functions declared in `extern` blocks.

use foldhash::HashSet;

use super::rule_names::{Sieve, rules};
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok};
use crate::source::lex::use_tokens;
use crate::source::token_engine::expand;

/// The names that can trigger a rule in one file, beyond [`Rules::always`] and the roots.
#[derive(Debug, Default)]
pub(super) struct Names<'s> {
    /// Names `use` and `extern crate` bind to a path a rule can reach, names a glob of such
    /// a module can supply, and functions declared in `extern` blocks.
    extra: HashSet<&'s str>,
    /// [`Sieve`] of every name [`Names::triggers`] can say yes to.
    sieve: Sieve,
}

impl<'s> Names<'s> {
    /// Whether the name at `toks[k]` can trigger a rule. A crate root counts when the path
    /// it starts can reach a rule (`std::fs`, not `std::fmt`), and when it is not followed by
    /// `::` (a declaration or binding of that name would shadow the crate).
    pub fn triggers(&self, toks: &[Tok], k: usize, src: &Src<'_>) -> bool {
        let name = toks[k].text(src);
        if !self.sieve.may_hold(name) {
            return false;
        }
        let rules = rules();
        if rules.always.contains(name) || (!self.extra.is_empty() && self.extra.contains(name)) {
            return true;
        }
        if !rules.roots.contains(name) {
            return name == "static" && toks.get(k + 1).is_some_and(|n| n.text(src) == "mut");
        }
        if toks.get(k + 1).is_none_or(|t| t.kind != TK::PathSep) {
            return true;
        }
        // the path as written (a root this file rebinds was decided above, as one of `extra`)
        let mut buf = [""; PATH_SEGMENTS];
        let segs = written_path(toks, k, src, &mut buf);
        match segs {
            // `root::<..>`, `root::{..}`, `root::$name`
            [_] => true,
            // under a data prefix (`windows_sys::core::w!(..)`) a path names no capability
            _ if rules.whole.contains(name) => !rules.under_data(segs),
            _ => rules.pairs.contains(&(segs[0], segs[1])) && rules.reaches_written(segs),
        }
    }

    /// Reads the file's `use`, `extern crate` and `extern` blocks; `None` when a glob of a
    /// whole risky crate makes every called name a candidate.
    /// `words` lists the tokens that can be such an item's keyword
    /// ([`binder_words`](crate::source::lex::lexer::binder_words)).
    pub fn of(toks: &[Tok], close: &[u32], words: &[u32], src: &Src<'s>) -> Option<Names<'s>> {
        let mut names = Names::default();
        let mut binds: Vec<(&'s str, Vec<&'s str>)> = Vec::new();
        let mut globs: Vec<Vec<&'s str>> = Vec::new();
        let text = |i: usize| toks[i].text(src);
        let is_ident = |i: usize, s: &str| {
            toks.get(i)
                .is_some_and(|t| t.kind == TK::Ident && t.text(src) == s)
        };
        // how far the names of an unfollowed `use`, and the functions of an `extern` block,
        // were already read: a `use` or `extern` inside that range adds nothing new, and
        // reading it again made nested ones (`use a::{b, use a::{..` ) quadratic
        let (mut extra_until, mut extern_until) = (0, 0);
        // names in the headers of impl blocks: `Self` is a trigger when one of them is
        let mut impl_headers: Vec<&'s str> = Vec::new();
        for i in words.iter().map(|&w| w as usize) {
            if i >= toks.len() || after_dot_or_quote(toks, i) {
                continue;
            }
            match text(i) {
                "impl" => {
                    // the self type's names: after a top-level `for`, else after the impl's
                    // own generic parameters (`impl From<std::io::Error> for E` is about `E`)
                    let mut k = i + 1;
                    let mut angle = 0i32;
                    let mut names: Vec<&'s str> = Vec::new();
                    while let Some(t) = toks.get(k) {
                        match t.kind {
                            TK::Open(Delim::Brace) | TK::Punct(b';') => break,
                            TK::Open(_) => k = close[k] as usize,
                            TK::Punct(b'<') => angle += 1,
                            TK::Punct(b'>') if !(k > 0 && toks[k - 1].is_punct('-')) => angle -= 1,
                            TK::Ident => match t.text(src) {
                                "for" if angle <= 0 => names.clear(),
                                "where" if angle <= 0 => break,
                                name if angle <= 0 || k > i + 1 => names.push(name),
                                _ => {}
                            },
                            _ => {}
                        }
                        k += 1;
                    }
                    impl_headers.extend(names);
                }
                "type" => {
                    // `type Runner = std::process::Command;` binds like a `use`
                    if let Some(name) = toks.get(i + 1).filter(|t| t.kind == TK::Ident)
                        && toks.get(i + 2).is_some_and(|t| t.is_punct('='))
                    {
                        let mut segs = Vec::new();
                        let mut k = i
                            + 3
                            + usize::from(toks.get(i + 3).is_some_and(|t| t.kind == TK::PathSep));
                        while let Some(t) = toks.get(k).filter(|t| t.kind == TK::Ident) {
                            segs.push(t.text(src));
                            if !toks.get(k + 1).is_some_and(|n| n.kind == TK::PathSep) {
                                break;
                            }
                            k += 2;
                        }
                        if !segs.is_empty() {
                            binds.push((name.text(src), segs));
                        }
                    }
                }
                "use" if i < extra_until || !use_tokens::starts_tree(toks, i) => {}
                "use" => {
                    let mut tree = UseTree {
                        toks,
                        close,
                        src,
                        binds: &mut binds,
                        globs: &mut globs,
                        groups: 0,
                    };
                    let mut j = i + 1;
                    if toks.get(j).is_some_and(|t| t.kind == TK::PathSep) {
                        j += 1;
                    }
                    // a `use` the tree reader does not follow (macro fragments such as
                    // `use $crate::x;`): every name in it counts, and a glob in it gives up
                    if tree.read(j, &mut Vec::new()).is_none() {
                        // up to its `;`, or the end of the group it is in
                        let mut k = i + 1;
                        let mut depth = 0usize;
                        while k < toks.len() && !toks[k].is_punct(';') {
                            match toks[k].kind {
                                TK::Open(_) => depth += 1,
                                TK::Close(_) if depth == 0 => break,
                                TK::Close(_) => depth -= 1,
                                _ => {}
                            }
                            if toks[k].kind == TK::Ident {
                                names.extra.insert(text(k));
                            }
                            if toks[k].is_punct('*') {
                                return None;
                            }
                            k += 1;
                        }
                        extra_until = k;
                    }
                }
                "extern" if is_ident(i + 1, "crate") => {
                    if let Some(name) = toks.get(i + 2).filter(|t| t.kind == TK::Ident) {
                        let name = name.text(src);
                        let alias = if is_ident(i + 3, "as") {
                            toks.get(i + 4).map_or(name, |t| t.text(src))
                        } else {
                            name
                        };
                        binds.push((alias, vec![name]));
                    }
                }
                "extern" if i < extern_until => {}
                "extern" => {
                    // `extern "C" { fn f(); }`: calls to `f` are FFI
                    let mut j = i + 1;
                    if toks.get(j).is_some_and(|t| t.kind == TK::Lit) {
                        j += 1;
                    }
                    if toks
                        .get(j)
                        .is_some_and(|t| t.kind == TK::Open(Delim::Brace))
                    {
                        let end = close[j] as usize;
                        extern_until = end;
                        for k in j + 1..end {
                            if is_ident(k, "fn")
                                && let Some(n) = toks.get(k + 1).filter(|t| t.kind == TK::Ident)
                            {
                                names.extra.insert(n.text(src));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let rules = rules();
        // Globs: only one written from a rule root is looked into (the import map joins the
        // glob path to the name as written).
        for g in &globs {
            if !rules.roots.contains(g[0]) || !rules.reaches(g) {
                continue;
            }
            if g.len() == 1 || rules.whole.contains(g[0]) {
                // `use libc::*;`, `use nix::sys::*;`: every called name is a candidate
                return None;
            }
            // the names the glob can supply: the next segment of every rule path under it
            for p in &rules.paths {
                if p.len() > g.len() && p[..g.len()] == g[..] {
                    names.extra.insert(p[g.len()]);
                }
            }
        }
        // A binding counts when the path it stands for can reach a rule. Paths that start
        // with another import or `super::name` are expanded through that name (the import
        // map follows them), so they count when that name does: repeat until stable.
        let mut risky = vec![false; binds.len()];
        loop {
            let mut changed = false;
            for (k, (alias, segs)) in binds.iter().enumerate() {
                if risky[k] {
                    continue;
                }
                let first = segs[0];
                let ups = segs.iter().take_while(|s| **s == "super").count();
                // a binding whose last segment is a risky name of this file (a foreign
                // function `use self::sys::system as sh;` names) may be that name
                let last_risky = segs.len() > 1
                    && segs
                        .last()
                        .is_some_and(|n| n != alias && names.extra.contains(n));
                let counts = last_risky
                    || if ups > 0 {
                        segs.get(ups).is_some_and(|n| names.extra.contains(n))
                    } else if matches!(first, "crate" | "self" | "Self") {
                        false
                    } else {
                        (first != *alias && names.extra.contains(first))
                            || (rules.roots.contains(first) && rules.reaches(segs))
                    };
                if counts {
                    risky[k] = true;
                    // `extern crate std;` binds a root to itself: nothing new
                    if !(segs.len() == 1 && segs[0] == *alias) {
                        changed |= names.extra.insert(alias);
                    }
                }
            }
            if !changed {
                // a capability method is a name to keep where its carrier is imported
                for (method, carriers) in &rules.carriers {
                    let seen = carriers.iter().any(|path| {
                        binds.iter().any(|(_, segs)| segs == path)
                            || globs
                                .iter()
                                .any(|g| g.len() + 1 == path.len() && g[..] == path[..g.len()])
                    });
                    if seen {
                        names.extra.insert(method);
                    }
                }
                if impl_headers
                    .iter()
                    .any(|n| rules.roots.contains(n) || names.extra.contains(n))
                {
                    names.extra.insert("Self");
                }
                // an invocation of a macro of this file that splices its arguments can build
                // any path (see `expand.rs`)
                for (name, _) in expand::splicing(toks, close, src) {
                    names.extra.insert(name);
                }
                names.sieve = rules.sieve;
                for name in &names.extra {
                    names.sieve.add(name);
                }
                return Some(names);
            }
        }
    }
}

/// Reads one `use` tree into bindings and globs.
struct UseTree<'a, 's> {
    toks: &'a [Tok],
    close: &'a [u32],
    src: &'a Src<'s>,
    binds: &'a mut Vec<(&'s str, Vec<&'s str>)>,
    globs: &'a mut Vec<Vec<&'s str>>,
    /// Groups open around the tree being read: `{self, {self, ..}}` nests without a segment,
    /// and each group is a frame of `read`, so it is bounded like the path.
    groups: usize,
}

impl<'s> UseTree<'_, 's> {
    /// Reads the tree starting at `i` under `prefix`; returns the index after it, or `None`
    /// when the tokens are not a plain use tree.
    fn read(&mut self, mut i: usize, prefix: &mut Vec<&'s str>) -> Option<usize> {
        let depth = prefix.len();
        if depth > MAX_MOD_DEPTH {
            return None;
        }
        let toks = self.toks;
        loop {
            let t = toks.get(i)?;
            match t.kind {
                TK::Ident => {
                    let name = t.text(self.src);
                    i += 1;
                    if toks.get(i).is_some_and(|t| t.kind == TK::PathSep) {
                        prefix.push(name);
                        i += 1;
                        continue;
                    }
                    let (alias, segs) = if name == "self" {
                        (*prefix.last()?, prefix.clone())
                    } else {
                        let mut segs = prefix.clone();
                        segs.push(name);
                        (name, segs)
                    };
                    let alias = match toks.get(i) {
                        Some(a) if a.kind == TK::Ident && a.text(self.src) == "as" => {
                            // `as _` binds no name (a trait brought into scope for its
                            // methods): kept as the binding `_`, which no identifier is
                            let n = toks
                                .get(i + 1)
                                .filter(|t| t.kind == TK::Ident || t.is_punct('_'))?;
                            i += 2;
                            n.text(self.src)
                        }
                        _ => alias,
                    };
                    self.binds.push((alias, segs));
                    break;
                }
                TK::Punct(b'*') => {
                    if prefix.is_empty() {
                        return None;
                    }
                    self.globs.push(prefix.clone());
                    i += 1;
                    break;
                }
                TK::Open(Delim::Brace) => {
                    if self.groups >= MAX_MOD_DEPTH {
                        return None;
                    }
                    self.groups += 1;
                    let end = self.close[i] as usize;
                    let mut j = i + 1;
                    while j < end {
                        let mut inner = prefix.clone();
                        j = self.read(j, &mut inner)?;
                        if j < end && toks[j].is_punct(',') {
                            j += 1;
                        } else if j != end {
                            return None;
                        }
                    }
                    self.groups -= 1;
                    i = end + 1;
                    break;
                }
                _ => return None,
            }
        }
        prefix.truncate(depth);
        Some(i)
    }
}

/// Segments of a written path [`written_path`] reads, at most: a longer path is read as its
/// first ones, which only keeps more.
const PATH_SEGMENTS: usize = 16;

/// The path written from `toks[k]` (`root :: a :: b ..`, as far as identifiers go) in `buf`:
/// a `::` followed by anything else (`::<T>`, `::$name`, `::{..}`) ends it where it is.
fn written_path<'b, 's>(
    toks: &[Tok],
    k: usize,
    src: &Src<'s>,
    buf: &'b mut [&'s str; PATH_SEGMENTS],
) -> &'b [&'s str] {
    let mut n = 0;
    let mut j = k;
    while n < PATH_SEGMENTS {
        buf[n] = toks[j].text(src);
        n += 1;
        match (toks.get(j + 1), toks.get(j + 2)) {
            (Some(sep), Some(seg)) if sep.kind == TK::PathSep && seg.kind == TK::Ident => j += 2,
            _ => break,
        }
    }
    &buf[..n]
}

/// An identifier after `.` (a field or method, never a path) or `'` (a lifetime).
pub(super) fn after_dot_or_quote(toks: &[Tok], i: usize) -> bool {
    let Some(p) = i.checked_sub(1).map(|p| toks[p]) else {
        return false;
    };
    if p.is_punct('\'') {
        return true;
    }
    // `..x` is a range, whose end is an expression
    p.is_punct('.') && !(i >= 2 && toks[i - 2].is_punct('.'))
}

/// Deepest inline module whose items are split one by one (deeper ones are kept or cut
/// whole), and deepest `use` group read: bounds the recursion on hostile files.
pub(super) const MAX_MOD_DEPTH: usize = 32;
