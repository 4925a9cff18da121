//! Flat tokens and the token-level scanner, shared by opaque macro bodies (`MacroTokens`) and
//! files syn could not parse (`Fallback`).
//!
//! Delimiters are tokens of their own (`Open` / `Close`) rather than nested groups, so every
//! walk here is a loop: no recursion, whatever the nesting. A table of matching delimiters,
//! built once per scan, lets the rules jump over a group in O(1).
//!
//! Paths resolve through [`Ctx::imports`]: the scope of the module a macro body is written in,
//! or the one merged scope of a fallback file. [`foreign_fns`] finds the functions of `extern`
//! blocks written inside macro bodies, for the collector.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use risk_report::facts::{Kind, Origin};

use super::expand::{self, Macros};
use super::imports::{Imports, MacroHit, Resolver};
use super::{Out, Src, attrs, shorten, unquote};
use crate::gates::{GateId, GateStack};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delim {
    Paren,
    Brace,
    Bracket,
}

impl Delim {
    pub fn from_byte(c: u8) -> Delim {
        match c {
            b'(' | b')' => Delim::Paren,
            b'[' | b']' => Delim::Bracket,
            _ => Delim::Brace,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TK {
    Ident,
    Lit,
    Punct(char),
    /// `::`
    PathSep,
    Open(Delim),
    Close(Delim),
}

/// One token: its kind and where its text is (`src.text[start..end]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub kind: TK,
    /// For punctuation: the next character is punctuation too (`->`, `!=`).
    pub joint: bool,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    /// 1-based, in characters.
    pub col: u32,
}

impl Tok {
    pub fn text<'s>(&self, src: &Src<'s>) -> &'s str {
        &src.text[self.start as usize..self.end as usize]
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TK::Punct(c)
    }

    pub fn is_ident(&self, src: &Src<'_>, word: &str) -> bool {
        self.kind == TK::Ident && self.text(src) == word
    }
}

/// Flattens a proc-macro2 stream, iteratively.
pub(crate) fn flatten(stream: TokenStream, src: &Src<'_>, out: &mut Vec<Tok>) {
    let mut stack = vec![(stream.into_iter(), None)];
    while let Some((iter, _)) = stack.last_mut() {
        let Some(tt) = iter.next() else {
            if let Some((_, Some(close))) = stack.pop() {
                out.push(close);
            }
            continue;
        };
        match tt {
            TokenTree::Group(g) => {
                let delim = match g.delimiter() {
                    Delimiter::Parenthesis => Some(Delim::Paren),
                    Delimiter::Brace => Some(Delim::Brace),
                    Delimiter::Bracket => Some(Delim::Bracket),
                    Delimiter::None => None,
                };
                let close = delim.map(|d| {
                    out.push(at(src, g.span_open(), TK::Open(d), 1));
                    at(src, g.span_close(), TK::Close(d), 1)
                });
                let inner = g.stream();
                // dropping the group first leaves the stream unshared, so iterating it moves
                // the tokens instead of cloning them
                drop(g);
                stack.push((inner.into_iter(), close));
            }
            TokenTree::Ident(ident) => {
                let off = src.span_offset(ident.span());
                let text = src.ident_at(off);
                let start = text.as_ptr() as usize - src.text.as_ptr() as usize;
                let mut tok = at(src, ident.span(), TK::Ident, 0);
                tok.start = start as u32;
                tok.end = (start + text.len()) as u32;
                out.push(tok);
            }
            TokenTree::Punct(p) => {
                let mut tok = at(src, p.span(), TK::Punct(p.as_char()), 1);
                tok.joint = p.spacing() == Spacing::Joint;
                if p.as_char() == ':'
                    && let Some(prev) = out.last_mut()
                    && prev.kind == TK::Punct(':')
                    && prev.joint
                    && prev.end == tok.start
                {
                    prev.kind = TK::PathSep;
                    prev.end = tok.end;
                    prev.joint = tok.joint;
                    continue;
                }
                out.push(tok);
            }
            TokenTree::Literal(lit) => {
                let span = lit.span();
                let mut tok = at(src, span, TK::Lit, 0);
                let end = span.end();
                tok.end = src.offset(end.line, end.column) as u32;
                out.push(tok);
            }
        }
    }
}

fn at(src: &Src<'_>, span: proc_macro2::Span, kind: TK, len: u32) -> Tok {
    let lc = span.start();
    let start = src.offset(lc.line, lc.column) as u32;
    Tok {
        kind,
        joint: false,
        start,
        end: start + len,
        line: lc.line as u32,
        col: lc.column as u32 + 1,
    }
}

/// For each `Open` token, the index of its `Close` (or the end when unbalanced).
pub(crate) fn matching(toks: &[Tok]) -> Vec<u32> {
    let mut m = vec![toks.len() as u32; toks.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TK::Open(_) => stack.push(i),
            TK::Close(_) => {
                if let Some(o) = stack.pop() {
                    m[o] = i as u32;
                }
            }
            _ => {}
        }
    }
    m
}

/// Calls `f` with the name of every function declared in an `extern` block of `toks`
/// (`extern "C" { fn abs(x: i32) -> i32; }`), at any nesting depth.
pub(crate) fn foreign_fns<'s>(toks: &[Tok], src: &Src<'s>, mut f: impl FnMut(&'s str)) {
    let m = matching(toks);
    let mut foreign_until = 0usize;
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TK::Ident || (i > 0 && toks[i - 1].is_punct('$')) {
            continue;
        }
        match t.text(src) {
            "extern" => {
                let j = i + 1 + usize::from(toks.get(i + 1).is_some_and(|n| n.kind == TK::Lit));
                if toks
                    .get(j)
                    .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                {
                    foreign_until = foreign_until.max(m[j] as usize);
                }
            }
            "fn" if i < foreign_until => {
                if let Some(name) = toks.get(i + 1).filter(|n| n.kind == TK::Ident) {
                    f(name.text(src));
                }
            }
            _ => {}
        }
    }
}

/// What the token scanner needs to know about where it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a, 's> {
    pub src: &'a Src<'s>,
    /// Resolution in the module the tokens are written in.
    pub imports: Resolver<'a, 's>,
    pub origin: Origin,
    /// The gates of the code the tokens are in (see `crate::gates`).
    pub gates: &'a [GateId],
    /// The self type of the impl block the tokens are in, as written (`Self::x` is it
    /// followed by `x`): empty when unknown. With whether it starts with `::`.
    pub self_ty: (&'a [&'s str], bool),
    /// For a whole file: every scope of it, so that the walk resolves each path in the
    /// inline module it is written in (the import map opened one per `mod x {`).
    pub modules: Option<&'a Imports<'s>>,
    /// The file's macros that splice their arguments: their invocations are expanded.
    pub macros: Option<&'a Macros<'s>>,
    /// How many expansions deep these tokens are.
    pub depth: u8,
}

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
const KEYWORDS: &[&str] = &[
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
        TK::Punct('#') => {
            let inner = toks.get(i + 1).is_some_and(|n| n.is_punct('!'));
            let open = i + 1 + usize::from(inner);
            if toks
                .get(open)
                .is_some_and(|n| n.kind == TK::Open(Delim::Bracket))
            {
                Step::Attr { inner, open }
            } else {
                Step::Other
            }
        }
        TK::Ident => {
            if prev_kind == Some(TK::Punct('\'')) || prev_kind == Some(TK::Punct('$')) {
                // a lifetime (`'static mut` is not a `static mut`) or a macro variable
                return Step::Other;
            }
            let after_sep = matches!(prev_kind, Some(TK::Punct('.') | TK::PathSep));
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
        TK::Punct('<') if qself_end(toks, i, src).is_some() => Step::Path,
        TK::PathSep
            if !matches!(prev_kind, Some(TK::Ident | TK::Punct('>') | TK::Punct('$')))
                && toks.get(i + 1).is_some_and(|n| n.kind == TK::Ident) =>
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

/// The token-level rules. See `docs/capabilities.md` for what each one matches.
pub(crate) fn scan(toks: &[Tok], ctx: &Ctx<'_, '_>, out: &mut Out) {
    let src = ctx.src;
    // the module being walked: (index of its closing brace, the context outside it)
    let mut ctx = *ctx;
    let mut modules: Vec<(usize, Ctx<'_, '_>)> = Vec::new();
    let m = matching(toks);
    // attributed items, innermost last: (index of the item's last token, whether its gate
    // was new to the stack)
    let mut gated: Vec<(usize, bool)> = Vec::new();
    let mut gates = GateStack::of(ctx.gates);
    // tokens with an index below this are inside an `extern` block
    let mut foreign_until = 0usize;
    let mut open_stack: Vec<usize> = Vec::new();
    let mut segs: Vec<&str> = Vec::new();
    let mut buf: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        while let Some((_, outer)) = modules.pop_if(|o| o.0 < i) {
            ctx = outer;
        }
        if let Some(all) = ctx.modules
            && toks[i].is_ident(src, "mod")
            && toks.get(i + 1).is_some_and(|n| n.kind == TK::Ident)
            && toks
                .get(i + 2)
                .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
            && let Some(scope) = all.scope_at(toks[i].start as usize)
        {
            modules.push((m[i + 2] as usize, ctx));
            ctx.imports = all.at(scope);
        }
        while let Some((_, added)) = gated.pop_if(|g| g.0 < i) {
            if added {
                gates.truncate(gates.len() - 1);
            }
        }
        let t = toks[i];
        if let Some(macros) = ctx.macros
            && t.kind == TK::Ident
            && toks.get(i + 1).is_some_and(|n| n.is_punct('!'))
            && toks
                .get(i + 2)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
            && (i == 0 || !matches!(toks[i - 1].kind, TK::PathSep | TK::Punct('.' | '$')))
            && macros.defines(t.text(src))
        {
            let close = (m[i + 2] as usize).min(toks.len());
            let inner = Ctx {
                gates: gates.ids(),
                ..ctx
            };
            expand::scan_invocation(macros, t.text(src), &toks[i + 3..close], &inner, out);
        }
        let emit = |out: &mut Out, kind: Kind, detail: Option<String>| {
            out.push(t.line, t.col, kind, detail, ctx.origin, gates.ids());
        };
        let next = |k: usize| toks.get(i + k);
        i = match step(toks, i, src) {
            Step::Open => {
                open_stack.push(i);
                i + 1
            }
            Step::Close => {
                open_stack.pop();
                i + 1
            }
            Step::Attr { inner, open } => {
                let close = m[open] as usize;
                let content = &toks[open + 1..close.min(toks.len())];
                for (kind, detail) in attrs::rules(content, src) {
                    emit(out, kind, detail);
                }
                // only embedded content is looked for inside attributes
                // (`#[doc = include_str!("README.md")]`)
                for (k, a) in content.iter().enumerate() {
                    if a.kind == TK::Ident
                        && content.get(k + 1).is_some_and(|n| n.is_punct('!'))
                        && let Some(hit) = ctx.imports.resolve_macro(&[a.text(src)], false)
                    {
                        let detail = macro_args(&content[k + 2..], src);
                        out.push(a.line, a.col, hit.kind(), detail, ctx.origin, gates.ids());
                    }
                }
                let gate = attrs::gate(content, src).map(|g| ctx.imports.bind(g));
                if let Some(id) = gate.and_then(|g| out.gates.id(g)) {
                    let end = if inner {
                        open_stack.last().map_or(toks.len(), |&o| m[o] as usize)
                    } else {
                        item_extent(toks, &m, close + 1)
                    };
                    gated.push((end, gates.push(id)));
                }
                close + 1
            }
            Step::Unsafe => {
                if let Some(kind) = unsafe_rule(toks, i, src, i < foreign_until) {
                    emit(out, kind, None);
                }
                i + 1
            }
            Step::Extern => {
                let mut j = i + 1;
                let mut abi = None;
                if toks.get(j).is_some_and(|n| n.kind == TK::Lit) {
                    abi = unquote(toks[j].text(src)).map(str::to_string);
                    j += 1;
                }
                if toks
                    .get(j)
                    .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                {
                    emit(
                        out,
                        Kind::ExternBlock,
                        Some(abi.unwrap_or_else(|| "C".into())),
                    );
                    foreign_until = foreign_until.max(m[j] as usize);
                }
                i + 1
            }
            Step::Static => {
                if next(1).is_some_and(|n| n.is_ident(src, "mut")) {
                    emit(out, Kind::StaticMut, None);
                }
                i + 1
            }
            Step::Use => skip_to_semi(toks, &m, i + 1),
            Step::Path => path_rule(toks, &m, i, &ctx, gates.ids(), &mut segs, &mut buf, out),
            Step::Other => {
                if method_call(toks, i)
                    && let Some(method) = ctx.imports.method(t.text(src))
                {
                    let detail = format!("{}::{}", method.carriers[0], method.name);
                    emit(out, method.kind, Some(detail));
                }
                i + 1
            }
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

/// `unsafe` followed by a block, a function, an impl or a trait.
fn unsafe_rule(toks: &[Tok], i: usize, src: &Src<'_>, in_foreign: bool) -> Option<Kind> {
    let mut j = i + 1;
    loop {
        let t = toks.get(j)?;
        match t.kind {
            TK::Open(Delim::Brace) if j == i + 1 => return Some(Kind::UnsafeBlock),
            // `unsafe #body` in a `quote!` template: an interpolated block
            TK::Punct('#')
                if j == i + 1 && toks.get(j + 1).is_some_and(|n| n.kind == TK::Ident) =>
            {
                return Some(Kind::UnsafeBlock);
            }
            TK::Lit => j += 1,
            TK::Ident => match t.text(src) {
                "extern" => {
                    // `unsafe extern "C" { .. }` is counted as the extern block
                    let k = j + 1 + usize::from(toks.get(j + 1).is_some_and(|n| n.kind == TK::Lit));
                    if toks
                        .get(k)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                    {
                        return None;
                    }
                    j += 1;
                }
                "const" | "async" | "auto" => j += 1,
                "fn" => {
                    // a name must follow: `unsafe fn(u8)` is a function pointer type; in a
                    // macro body the name can be spliced in (`$name`, `#name` in `quote!`)
                    let named = toks.get(j + 1).is_some_and(|n| n.kind == TK::Ident)
                        || (toks
                            .get(j + 1)
                            .is_some_and(|n| n.is_punct('$') || n.is_punct('#'))
                            && toks.get(j + 2).is_some_and(|n| n.kind == TK::Ident));
                    return (named && !in_foreign).then_some(Kind::UnsafeFn);
                }
                "impl" => return Some(Kind::UnsafeImpl),
                "trait" => return Some(Kind::UnsafeTrait),
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// From `j` (just after an outer attribute), the item it applies to: the index of its last
/// token (its closing brace or `;`).
pub(crate) fn item_extent(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    while j < toks.len() {
        let t = toks[j];
        match t.kind {
            TK::Punct('#')
                if toks
                    .get(j + 1)
                    .is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) =>
            {
                j = m[j + 1] as usize + 1;
            }
            TK::Open(Delim::Brace) => return m[j] as usize,
            TK::Open(_) => j = m[j] as usize + 1,
            TK::Close(_) => return j,
            TK::Punct(';') => return j,
            _ => j += 1,
        }
    }
    toks.len()
}

fn skip_to_semi(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    while j < toks.len() {
        match toks[j].kind {
            TK::Punct(';') => return j + 1,
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
            Some(TK::Punct('<')) => {
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
            TK::Punct('>') => false,
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
            TK::Punct('&') if !seen_as => {}
            TK::Punct('>') => break,
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

/// A path starting at `i`: collected, resolved and classified. Returns the index after it.
#[allow(clippy::too_many_arguments)]
fn path_rule<'s>(
    toks: &[Tok],
    m: &[u32],
    i: usize,
    ctx: &Ctx<'_, 's>,
    gates: &[GateId],
    segs: &mut Vec<&'s str>,
    buf: &mut Vec<&'s str>,
    out: &mut Out,
) -> usize {
    let t = toks[i];
    let src = ctx.src;
    let PathAt {
        end: j,
        leading,
        callee,
        is_macro,
        turbofish,
        resolved,
    } = path_at(toks, m, i, src, segs);
    if !resolved {
        return j;
    }
    let mut leading = leading;
    let (self_ty, self_leading) = ctx.self_ty;
    if segs.len() > 1 && segs[0] == "Self" && !self_ty.is_empty() {
        segs.splice(0..1, self_ty.iter().copied());
        leading = self_leading;
    }
    let mut emit = |kind: Kind, detail: String| {
        out.push(t.line, t.col, kind, Some(detail), ctx.origin, gates);
    };
    if is_macro && let Some(hit) = ctx.imports.resolve_macro(segs, leading) {
        let args_start = j + 1;
        let kind = hit.kind();
        let detail = match hit {
            MacroHit::InlineAsm(path) => Some(path),
            _ => toks
                .get(args_start)
                .filter(|o| matches!(o.kind, TK::Open(_)))
                .and_then(|_| {
                    let close = m[args_start] as usize;
                    macro_args(&toks[args_start + 1..close.min(toks.len())], src)
                }),
        };
        out.push(t.line, t.col, kind, detail, ctx.origin, gates);
        return j + 1;
    }
    if let Some(entry) = ctx.imports.classify(segs, leading, callee, buf) {
        emit(entry.kind, buf.join("::"));
    } else if matches!(segs.last(), Some(&("transmute" | "transmute_copy")))
        && (callee || turbofish)
    {
        emit(Kind::Transmute, segs.join("::"));
    } else if callee && ctx.imports.calls_extern_fn(segs) {
        emit(Kind::Ffi, format!("extern fn {}", segs.join("::")));
    }
    j
}

/// From a `<` after `::`, the index after its matching `>`.
fn skip_generics(toks: &[Tok], m: &[u32], mut j: usize) -> usize {
    let mut depth = 0usize;
    while j < toks.len() {
        let t = toks[j];
        match t.kind {
            TK::Punct('<') => depth += 1,
            TK::Punct('>') if !(j > 0 && toks[j - 1].is_punct('-') && toks[j - 1].joint) => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            TK::Open(_) => {
                j = m[j] as usize;
            }
            TK::Close(_) | TK::Punct(';') => return j,
            _ => {}
        }
        j += 1;
    }
    j
}

/// The detail of an embedding macro: the string literal argument, or the argument tokens as
/// written (`concat!(env!("OUT_DIR"), "/x.rs")`), shortened.
pub(crate) fn macro_args(args: &[Tok], src: &Src<'_>) -> Option<String> {
    let (first, last) = (args.first()?, args.last()?);
    if first.kind == TK::Open(Delim::Paren)
        || first.kind == TK::Open(Delim::Bracket)
        || first.kind == TK::Open(Delim::Brace)
    {
        // called as `include_str! { .. }` with the group itself passed: look inside
        let close = matching(args)[0] as usize;
        return macro_args(&args[1..close.min(args.len())], src);
    }
    if args.len() == 1
        && first.kind == TK::Lit
        && let Some(s) = unquote(first.text(src))
    {
        return Some(s.to_string());
    }
    Some(shorten(&src.text[first.start as usize..last.end as usize]))
}
