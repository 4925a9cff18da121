//! How the token scan walks flat tokens: the [`Step`] at each token, and how a path is read
//! from where it starts ([`path_at`]). The rules (`rules.rs`) walk with these, and so does the
//! fast path's planner ([`resolved_paths`]): a change to how a path starts, extends or is
//! skipped changes both at once.

use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, attribute_at, matching};

/// Keywords after which an identifier is a name being declared, not a path.
const DECL: &[&str] = &[
    "fn",
    "mod",
    "struct",
    "enum",
    "union",
    "trait",
    "type",
    "let",
    "const",
    "static",
    "crate",
    "macro_rules",
    "as",
    "mut",
    "ref",
];

/// Keywords that can never start a path (`fn(u8)` is a pointer type, `if (..)` a condition).
pub(crate) const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "union", "unsafe", "use",
    "where", "while", "yield",
];

/// What starts at one token of the walk [`scan`] makes, and so where the walk goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Open,
    Close,
    /// `#[..]` or `#![..]`, whose `[` is at `open`: read by the attribute rules, then the walk
    /// goes on after its `]`.
    Attr {
        inner: bool,
        open: usize,
    },
    /// `unsafe`, `extern` and `static`, each with a rule of its own.
    Unsafe,
    Extern,
    Static,
    /// `use ..;`: imports are read by the import map, never counted; skipped to the `;`.
    Use,
    /// A path starts here (see [`path_at`]).
    Path,
    Other,
}

/// The step at `toks[i]`.
pub(crate) fn step(toks: &[Tok], i: usize, src: &Src<'_>) -> Step {
    let t = toks[i];
    let prev_kind = i.checked_sub(1).map(|p| toks[p].kind);
    match t.kind {
        TK::Open(_) => Step::Open,
        TK::Close(_) => Step::Close,
        TK::Punct(b'#') => match attribute_at(toks, i) {
            Some((inner, open)) => Step::Attr { inner, open },
            None => Step::Other,
        },
        TK::Ident => {
            if prev_kind == Some(TK::Punct(b'\'')) || prev_kind == Some(TK::Punct(b'$')) {
                // a lifetime (`'static mut` is not a `static mut`) or a macro variable
                return Step::Other;
            }
            let after_sep = matches!(prev_kind, Some(TK::Punct(b'.') | TK::PathSep));
            match t.text(src) {
                "unsafe" => return Step::Unsafe,
                "extern" => return Step::Extern,
                "static" => return Step::Static,
                "use" if !after_sep => return Step::Use,
                _ => {}
            }
            let declared = i
                .checked_sub(1)
                .is_some_and(|p| toks[p].kind == TK::Ident && DECL.contains(&toks[p].text(src)));
            if after_sep || declared {
                Step::Other
            } else {
                Step::Path
            }
        }
        TK::Punct(b'<') if qself_end(toks, i, src).is_some() => Step::Path,
        TK::PathSep
            if !matches!(
                prev_kind,
                Some(TK::Ident | TK::Punct(b'>') | TK::Punct(b'$'))
            ) && toks.get(i + 1).is_some_and(|n| n.kind == TK::Ident) =>
        {
            Step::Path
        }
        _ => Step::Other,
    }
}

/// Calls `f` with the token range of every path [`scan`] resolves (not one in a type
/// position, not one led by a keyword): a name of `toks` outside them can only reach a rule
/// as a keyword or inside an attribute.
pub(crate) fn resolved_paths(toks: &[Tok], src: &Src<'_>, mut f: impl FnMut(usize, usize)) {
    let m = matching(toks);
    let mut segs = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        i = match step(toks, i, src) {
            Step::Attr { open, .. } => m[open] as usize + 1,
            Step::Use => skip_to_semi(toks, &m, i + 1),
            Step::Path => {
                let p = path_at(toks, &m, i, src, &mut segs);
                if p.resolved {
                    f(i, p.end);
                }
                p.end
            }
            _ => i + 1,
        };
    }
}

/// Whether `toks[i]` is the name of a method call: `.name(` or `.name::<`.
pub(crate) fn method_call(toks: &[Tok], i: usize) -> bool {
    toks[i].kind == TK::Ident
        && i > 0
        && toks[i - 1].is_punct('.')
        && toks.get(i + 1).is_some_and(|n| {
            n.kind == TK::Open(Delim::Paren)
                || (n.kind == TK::PathSep && toks.get(i + 2).is_some_and(|t| t.is_punct('<')))
        })
}

/// From `j` (just after an outer attribute), the item it applies to: the index of its last
/// token (its closing brace or `;`).
pub(crate) fn item_extent(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    while j < toks.len() {
        let t = toks[j];
        match t.kind {
            TK::Punct(b'#')
                if toks
                    .get(j + 1)
                    .is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) =>
            {
                j = m[j + 1] as usize + 1;
            }
            TK::Open(Delim::Brace) => return m[j] as usize,
            TK::Open(_) => j = m[j] as usize + 1,
            TK::Close(_) => return j,
            TK::Punct(b';') => return j,
            _ => j += 1,
        }
    }
    toks.len()
}

pub(crate) fn skip_to_semi(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    while j < toks.len() {
        match toks[j].kind {
            TK::Punct(b';') => return j + 1,
            TK::Open(_) => j = m[j] as usize + 1,
            TK::Close(_) => return j,
            _ => j += 1,
        }
    }
    j
}

/// How [`scan`] reads the path starting at `i`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathAt {
    /// The index after the path (and its generics).
    pub end: usize,
    pub leading: bool,
    /// `path(..)`.
    pub callee: bool,
    /// `path!`.
    pub is_macro: bool,
    /// `path::<..>`.
    pub turbofish: bool,
    /// Resolved and classified: not led by a keyword, not a type after `x:`, `->`, `<`,
    /// `impl`, `dyn`, `for` or `where` (unless called or invoked as a macro).
    pub resolved: bool,
}

/// The path starting at `i`; `segs` gets its segments.
pub(crate) fn path_at<'s>(
    toks: &[Tok],
    m: &[u32],
    i: usize,
    src: &Src<'s>,
    segs: &mut Vec<&'s str>,
) -> PathAt {
    segs.clear();
    let mut leading = toks[i].kind == TK::PathSep;
    let mut j = i + usize::from(leading);
    if toks[i].is_punct('<')
        && let Some((qsegs_leading, after)) = qself_end(toks, i, src)
    {
        // `<T>::rest` is `T::rest`; `<T as Trait>::rest` is `Trait::rest`
        leading = qsegs_leading;
        qself_segs(toks, i, src, segs);
        j = after;
    }
    let mut turbofish = false;
    while let Some(s) = toks.get(j).filter(|s| s.kind == TK::Ident) {
        segs.push(s.text(src));
        j += 1;
        if toks.get(j).is_none_or(|n| n.kind != TK::PathSep) {
            break;
        }
        match toks.get(j + 1).map(|n| n.kind) {
            Some(TK::Ident) => j += 1,
            Some(TK::Punct(b'<')) => {
                turbofish = true;
                j = skip_generics(toks, m, j + 1);
                if toks.get(j).is_some_and(|n| n.kind == TK::PathSep) {
                    j += 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    let next = toks.get(j);
    let callee = next.is_some_and(|n| n.kind == TK::Open(Delim::Paren));
    // `Path { .. }`: a struct literal builds data (or a block follows an expression)
    let struct_lit = next.is_some_and(|n| n.kind == TK::Open(Delim::Brace));
    let is_macro =
        next.is_some_and(|n| n.is_punct('!')) && !toks.get(j + 1).is_some_and(|n| n.is_punct('='));
    // after `x:` or `-> `, a path is a type unless it is called
    let prev = i.checked_sub(1).map(|p| toks[p]);
    let type_position = prev.is_some_and(|p| {
        (p.is_punct(':') && !p.joint)
            || (p.is_punct('>') && i >= 2 && toks[i - 2].is_punct('-'))
            || p.is_punct('<')
            || (p.kind == TK::Ident && matches!(p.text(src), "impl" | "dyn" | "for" | "where"))
    });
    let keyword = segs.is_empty() || KEYWORDS.contains(&segs[0]);
    PathAt {
        end: if keyword { j.max(i + 1) } else { j },
        leading,
        callee,
        is_macro,
        turbofish,
        resolved: !keyword && (callee || is_macro || !(type_position || struct_lit)),
    }
}

/// For `<` at `i` that starts a qualified path in expression position (`<T>::f`,
/// `<T as Trait>::f`, with `T` and `Trait` plain paths): whether the path inside starts with
/// `::`, and the index of the first segment after `>::`.
pub(crate) fn qself_end(toks: &[Tok], i: usize, src: &Src<'_>) -> Option<(bool, usize)> {
    let prev_ok = match i.checked_sub(1).map(|p| toks[p]) {
        None => true,
        Some(p) => match p.kind {
            TK::Ident => KEYWORDS.contains(&p.text(src)),
            TK::Lit | TK::Close(_) => false,
            TK::Punct(b'>') => false,
            _ => true,
        },
    };
    if !prev_ok {
        return None;
    }
    let mut j = i + 1;
    let leading = toks.get(j)?.kind == TK::PathSep;
    j += usize::from(leading);
    // plain path segments, an optional `as` and a second plain path, then `>::name`
    let mut seen_as = false;
    loop {
        let t = toks.get(j)?;
        match t.kind {
            TK::Ident if t.text(src) == "as" && !seen_as => seen_as = true,
            TK::Ident => {}
            TK::PathSep => {}
            TK::Punct(b'&') if !seen_as => {}
            TK::Punct(b'>') => break,
            _ => return None,
        }
        j += 1;
    }
    (toks.get(j + 1)?.kind == TK::PathSep && toks.get(j + 2)?.kind == TK::Ident)
        .then_some((leading, j + 2))
}

/// The segments of the path inside a qualified self at `i` (see [`qself_end`]): the type's,
/// or the trait's after `as`.
fn qself_segs<'s>(toks: &[Tok], i: usize, src: &Src<'s>, segs: &mut Vec<&'s str>) {
    let mut j = i + 1;
    while let Some(t) = toks.get(j).filter(|t| !t.is_punct('>')) {
        if t.kind == TK::Ident {
            if t.text(src) == "as" {
                segs.clear();
            } else {
                segs.push(t.text(src));
            }
        }
        j += 1;
    }
}

/// From a `<` after `::`, the index after its matching `>`.
fn skip_generics(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    let mut depth = 0usize;
    while j < toks.len() {
        let t = toks[j];
        match t.kind {
            TK::Punct(b'<') => depth += 1,
            TK::Punct(b'>') if !(j > 0 && toks[j - 1].is_punct('-') && toks[j - 1].joint) => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            TK::Open(_) => {
                j = m[j] as usize;
            }
            TK::Close(_) | TK::Punct(b';') => return j,
            _ => {}
        }
        j += 1;
    }
    j
}
