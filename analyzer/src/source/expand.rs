//! By-example expansion of a file's own `macro_rules!`, for resolution only.
//!
//! A macro can assemble a path or splice a keyword from its arguments
//! (`std::$m::$t::$f(..)` invoked as `call!(process, Command, new)`, `$k { .. }` invoked with
//! `unsafe`): neither the body nor the arguments hold the finding, the expansion does. For each
//! macro of the file whose transcriber uses a metavariable ([`splicing`]), an invocation is
//! matched against the arms in order, the first arm that matches is transcribed, and the token
//! rules scan the result in the scope of the invocation. What that scan finds beyond what the
//! body and the arguments show on their own is kept, once per invocation (a path written
//! whole in the body is found there already; a block the transcriber places twice is one
//! block); it is reported at the tokens it was read from.
//!
//! The matcher is bounded and by example, not rustc's: `$x:ident`, `lifetime`, `literal` and
//! `tt` take one token tree, `block` one brace group, `vis` an optional `pub(..)`, and every
//! other fragment (`expr`, `ty`, `path`, ...) the tokens up to the pattern's next literal token
//! at the same depth; repetitions `$( .. ) sep op` of one level match and transcribe. An arm
//! it cannot read (nested repetitions) is skipped. Expansion nests (an expansion that invokes
//! another splicing macro is expanded too) up to [`MAX_DEPTH`], within a per-file budget of
//! [`MAX_TOKENS`] produced tokens.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use super::lexer;
use super::tokens::{self, Ctx, Delim, TK, Tok};
use risk_report::facts::Kind;

use super::{Out, Src};

/// Deepest nesting of expansions followed.
const MAX_DEPTH: u8 = 8;
/// Most tokens all the expansions of one file may produce.
const MAX_TOKENS: usize = 1 << 18;

/// The names of the macros `macro_rules!` defines in `toks` whose transcriber uses a
/// metavariable (`$x`, not `$crate`), each with the index of its body's opening delimiter.
pub(crate) fn splicing<'s>(toks: &[Tok], close: &[u32], src: &Src<'s>) -> Vec<(&'s str, usize)> {
    if !src.text.contains("macro_rules") {
        return Vec::new();
    }
    // where a metavariable is used, in order: a body holds one when one lies inside it
    let uses: Vec<usize> = (0..toks.len().saturating_sub(1))
        .filter(|&k| {
            toks[k].is_punct('$')
                && toks[k + 1].kind == TK::Ident
                && toks[k + 1].text(src) != "crate"
        })
        .collect();
    if uses.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(3) {
        if toks[i].kind == TK::Ident
            && toks[i + 1].is_punct('!')
            && toks[i + 2].kind == TK::Ident
            && matches!(toks[i + 3].kind, TK::Open(_))
            && toks[i].text(src) == "macro_rules"
        {
            let (open, shut) = (i + 3, close[i + 3] as usize);
            let first = uses.partition_point(|&u| u <= open);
            if uses.get(first).is_some_and(|&u| u < shut) {
                out.push((toks[i + 2].text(src), open));
            }
        }
    }
    out
}

/// One arm: its matcher and its transcriber, the tokens inside their delimiters.
#[derive(Debug)]
struct Arm {
    matcher: Vec<Tok>,
    body: Vec<Tok>,
}

/// The splicing macros of one file.
#[derive(Debug)]
pub(crate) struct Macros<'s> {
    /// The file's text (every token here points into it).
    pub src: Src<'s>,
    by_name: HashMap<&'s str, Vec<Arm>>,
    /// Tokens the expansions produced so far.
    spent: Cell<usize>,
}

impl<'s> Macros<'s> {
    /// The splicing macros of a file (`toks` lexed from `text`, `close` their brackets);
    /// `None` when it defines none.
    pub fn of(text: &'s str, toks: &[Tok], close: &[u32]) -> Option<Macros<'s>> {
        let src = Src::new(text);
        let found = splicing(toks, close, &src);
        if found.is_empty() {
            return None;
        }
        let mut by_name: HashMap<&'s str, Vec<Arm>> = HashMap::new();
        for (name, open) in found {
            // lexed again with lines and columns: findings are reported where they were read
            let mut body = Vec::new();
            let start = toks[open].end as usize;
            let end = toks[close[open] as usize].start as usize;
            lexer::lex(&src, start, end, &mut body);
            let arms = by_name.entry(name).or_default();
            arms.extend(arms_of(&body));
        }
        Some(Macros {
            src,
            by_name,
            spent: Cell::new(0),
        })
    }

    pub fn defines(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The expansion of `name!(args)` (`args` read from `asrc`) by its first matching arm,
    /// with that arm's body.
    fn expand(&self, name: &str, args: &[Tok], asrc: &Src<'_>) -> Option<(Expansion, &[Tok])> {
        let arms = self.by_name.get(name)?;
        let am = tokens::matching(args);
        for arm in arms {
            let pm = tokens::matching(&arm.matcher);
            let mut binds = Binds::default();
            let matched = Matcher {
                src: &self.src,
                asrc,
                pat: &arm.matcher,
                pm: &pm,
                args,
                am: &am,
            }
            .seq(0, arm.matcher.len(), 0, args.len(), &mut binds, None);
            if matched == Some(args.len()) {
                let bm = tokens::matching(&arm.body);
                let mut out = Expansion {
                    room: MAX_TOKENS.saturating_sub(self.spent.get()),
                    ..Expansion::default()
                };
                let from = Sources {
                    body: &self.src,
                    args: asrc,
                    arg_toks: args,
                };
                transcribe(
                    &from,
                    &arm.body,
                    &bm,
                    0,
                    arm.body.len(),
                    &binds,
                    None,
                    &mut out,
                );
                self.spent.set(self.spent.get() + out.toks.len());
                if out.over {
                    self.spent.set(MAX_TOKENS);
                    return None;
                }
                return Some((out, &arm.body));
            }
        }
        None
    }
}

/// An expansion: tokens over a text of their own (each token's text, a space between), with
/// the line and column of the token each was read from.
#[derive(Debug, Default)]
struct Expansion {
    text: String,
    toks: Vec<Tok>,
    /// Tokens it may still take (the file's budget left), and whether it wanted more.
    room: usize,
    over: bool,
}

impl Expansion {
    fn push(&mut self, t: Tok, src: &Src<'_>) {
        if self.toks.len() >= self.room {
            self.over = true;
            return;
        }
        let start = self.text.len() as u32;
        self.text.push_str(t.text(src));
        let end = self.text.len() as u32;
        if !t.joint {
            self.text.push(' ');
        }
        self.toks.push(Tok { start, end, ..t });
    }
}

/// Where the tokens of a transcription come from.
struct Sources<'a> {
    body: &'a Src<'a>,
    args: &'a Src<'a>,
    arg_toks: &'a [Tok],
}

/// Splits a `macro_rules!` body into arms: `(matcher) => { transcriber }`, `;`-separated.
fn arms_of(body: &[Tok]) -> Vec<Arm> {
    let m = tokens::matching(body);
    let mut arms = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let Some(TK::Open(_)) = body.get(i).map(|t| t.kind) else {
            i += 1;
            continue;
        };
        let mclose = m[i] as usize;
        let arrow = mclose + 1;
        let is_arrow = body.get(arrow).is_some_and(|t| t.is_punct('='))
            && body.get(arrow + 1).is_some_and(|t| t.is_punct('>'));
        let topen = arrow + 2;
        if !is_arrow || !matches!(body.get(topen).map(|t| t.kind), Some(TK::Open(_))) {
            i = mclose + 1;
            continue;
        }
        let tclose = m[topen] as usize;
        arms.push(Arm {
            matcher: body[i + 1..mclose.min(body.len())].to_vec(),
            body: body[topen + 1..tclose.min(body.len())].to_vec(),
        });
        i = tclose + 1;
    }
    arms
}

/// What the metavariables matched: one capture, or one per repetition.
#[derive(Debug, Default)]
struct Binds {
    one: HashMap<String, (usize, usize)>,
    many: HashMap<String, Vec<(usize, usize)>>,
}

/// Fragments that take one token tree.
fn single(frag: &str) -> bool {
    matches!(frag, "ident" | "lifetime" | "literal" | "tt")
}

struct Matcher<'a, 's> {
    /// The text of the pattern's tokens and of the arguments'.
    src: &'a Src<'s>,
    asrc: &'a Src<'a>,
    pat: &'a [Tok],
    pm: &'a [u32],
    args: &'a [Tok],
    am: &'a [u32],
}

impl Matcher<'_, '_> {
    /// Matches `pat[p..pend]` against `args[a..aend]` wholly; the end of the arguments read
    /// (== `aend` on a match). `rep`: inside a repetition, captures go to `many`.
    fn seq(
        &self,
        mut p: usize,
        pend: usize,
        mut a: usize,
        aend: usize,
        binds: &mut Binds,
        rep: Option<&mut HashMap<String, (usize, usize)>>,
    ) -> Option<usize> {
        let src = self.src;
        let (pat, args) = (self.pat, self.args);
        let mut rep = rep;
        while p < pend {
            let t = pat[p];
            if t.is_punct('$') && p + 1 < pend {
                let n = pat[p + 1];
                // `$name:frag`
                if n.kind == TK::Ident
                    && pat.get(p + 2).is_some_and(|c| c.is_punct(':'))
                    && pat.get(p + 3).is_some_and(|f| f.kind == TK::Ident)
                {
                    let name = n.text(src).to_owned();
                    let frag = pat[p + 3].text(src);
                    let end = self.fragment(frag, a, aend, p + 4, pend)?;
                    match rep.as_deref_mut() {
                        Some(r) => {
                            r.insert(name, (a, end));
                        }
                        None => {
                            binds.one.insert(name, (a, end));
                        }
                    }
                    a = end;
                    p += 4;
                    continue;
                }
                // `$( .. ) sep? op`
                if n.kind == TK::Open(Delim::Paren) {
                    if rep.is_some() {
                        return None; // nested repetitions: not read
                    }
                    let inner_end = self.pm[p + 1] as usize;
                    let (sep, op, after) = repetition_tail(pat, inner_end + 1, pend)?;
                    // where the repetition's items must end: the next literal token after it,
                    // found again only once passed (positions only grow: linear)
                    let stop = self.next_literal(after, pend);
                    let mut item_end = self.bounded(a, aend, stop);
                    let mut count = 0usize;
                    loop {
                        if op == '?' && count == 1 {
                            break;
                        }
                        let mut at = a;
                        if count > 0
                            && let Some(s) = sep
                        {
                            if args.get(at).is_some_and(|x| self.same(x, &s)) && at < aend {
                                at += 1;
                            } else {
                                break;
                            }
                        }
                        if at > item_end {
                            item_end = self.bounded(at, aend, stop);
                        }
                        let mut one = HashMap::new();
                        let Some(e) =
                            self.seq(p + 2, inner_end, at, item_end, binds, Some(&mut one))
                        else {
                            break;
                        };
                        if e == at && e == a {
                            break; // an empty match would loop for ever
                        }
                        for (k, v) in one {
                            binds.many.entry(k).or_default().push(v);
                        }
                        a = e;
                        count += 1;
                        if a >= aend {
                            break;
                        }
                    }
                    if op == '+' && count == 0 {
                        return None;
                    }
                    p = after;
                    continue;
                }
            }
            // a literal token, or a group matched inside
            let x = args.get(a).filter(|_| a < aend)?;
            match t.kind {
                TK::Open(d) => {
                    if x.kind != TK::Open(d) {
                        return None;
                    }
                    let (pc, ac) = (self.pm[p] as usize, self.am[a] as usize);
                    let inner = match rep.as_deref_mut() {
                        Some(r) => self.seq(p + 1, pc, a + 1, ac, binds, Some(r))?,
                        None => self.seq(p + 1, pc, a + 1, ac, binds, None)?,
                    };
                    if inner != ac {
                        return None;
                    }
                    p = pc + 1;
                    a = ac + 1;
                }
                _ if self.same(x, &t) => {
                    p += 1;
                    a += 1;
                }
                _ => return None,
            }
        }
        Some(a)
    }

    /// Where a fragment that starts at `a` ends; `next` is where the pattern goes on.
    fn fragment(
        &self,
        frag: &str,
        a: usize,
        aend: usize,
        next: usize,
        pend: usize,
    ) -> Option<usize> {
        let args = self.args;
        let tree = |a: usize| -> Option<usize> {
            let x = args.get(a).filter(|_| a < aend)?;
            Some(match x.kind {
                TK::Open(_) => self.am[a] as usize + 1,
                // a lifetime is a quote and an identifier
                TK::Punct('\'') if args.get(a + 1).is_some_and(|n| n.kind == TK::Ident) => a + 2,
                _ => a + 1,
            })
        };
        match frag {
            f if single(f) => tree(a),
            "block" => match args.get(a) {
                Some(x) if a < aend && x.kind == TK::Open(Delim::Brace) => tree(a),
                _ => None,
            },
            "vis" => {
                if args
                    .get(a)
                    .is_some_and(|x| a < aend && x.text(self.asrc) == "pub")
                {
                    match args.get(a + 1) {
                        Some(x) if a + 1 < aend && x.kind == TK::Open(Delim::Paren) => tree(a + 1),
                        _ => Some(a + 1),
                    }
                } else {
                    Some(a)
                }
            }
            _ => {
                let stop = self.next_literal(next, pend);
                let end = self.bounded(a, aend, stop);
                (end > a).then_some(end)
            }
        }
    }

    /// The pattern's next literal token from `p` (the one a greedy fragment stops at).
    fn next_literal(&self, p: usize, pend: usize) -> Option<Tok> {
        let t = *self.pat.get(p).filter(|_| p < pend)?;
        (!t.is_punct('$') && !matches!(t.kind, TK::Open(_) | TK::Close(_))).then_some(t)
    }

    /// From `a`, the end of the token trees before `stop` (at this depth), or `aend`.
    fn bounded(&self, mut a: usize, aend: usize, stop: Option<Tok>) -> usize {
        while a < aend {
            let x = self.args[a];
            if stop.is_some_and(|s| self.same(&x, &s)) {
                return a;
            }
            a = match x.kind {
                TK::Open(_) => self.am[a] as usize + 1,
                _ => a + 1,
            };
        }
        aend
    }
}

/// After a repetition's group: its separator, its operator and where the pattern goes on.
fn repetition_tail(pat: &[Tok], at: usize, pend: usize) -> Option<(Option<Tok>, char, usize)> {
    let op = |t: &Tok| match t.kind {
        TK::Punct(c @ ('*' | '+' | '?')) => Some(c),
        _ => None,
    };
    let first = pat.get(at).filter(|_| at < pend)?;
    if let Some(c) = op(first) {
        return Some((None, c, at + 1));
    }
    let second = pat.get(at + 1).filter(|_| at + 1 < pend)?;
    Some((Some(*first), op(second)?, at + 2))
}

impl Matcher<'_, '_> {
    /// An argument token `a` is the pattern token `p`.
    fn same(&self, a: &Tok, p: &Tok) -> bool {
        a.kind == p.kind && a.text(self.asrc) == p.text(self.src)
    }
}

/// Writes the transcriber `body[s..e]` with the captures put in; `index`: inside a
/// repetition, which one.
#[allow(clippy::too_many_arguments)]
fn transcribe(
    from: &Sources<'_>,
    body: &[Tok],
    bm: &[u32],
    mut s: usize,
    e: usize,
    binds: &Binds,
    index: Option<usize>,
    out: &mut Expansion,
) {
    let src = from.body;
    while s < e {
        let t = body[s];
        if t.is_punct('$') && s + 1 < e {
            let n = body[s + 1];
            if n.kind == TK::Ident {
                let name = n.text(src);
                let capture = match index {
                    Some(k) => binds.many.get(name).and_then(|v| v.get(k)).copied(),
                    None => None,
                }
                .or_else(|| binds.one.get(name).copied());
                if let Some((start, end)) = capture {
                    for &a in &from.arg_toks[start..end] {
                        out.push(a, from.args);
                    }
                    s += 2;
                    continue;
                }
            }
            if n.kind == TK::Open(Delim::Paren) && index.is_none() {
                let inner_end = bm[s + 1] as usize;
                let (sep, after) = match body.get(inner_end + 1).map(|t| t.kind) {
                    Some(TK::Punct('*' | '+' | '?')) => (None, inner_end + 2),
                    Some(_) if inner_end + 2 < e => (Some(body[inner_end + 1]), inner_end + 3),
                    _ => (None, inner_end + 1),
                };
                let times = repeat_count(src, &body[s + 2..inner_end], binds);
                for k in 0..times {
                    if k > 0
                        && let Some(sep) = sep
                    {
                        out.push(sep, src);
                    }
                    transcribe(from, body, bm, s + 2, inner_end, binds, Some(k), out);
                }
                s = after;
                continue;
            }
        }
        out.push(t, src);
        s += 1;
    }
}

/// How many times a repetition's body is written: the length of the repeated captures it uses.
fn repeat_count(src: &Src<'_>, inner: &[Tok], binds: &Binds) -> usize {
    (0..inner.len().saturating_sub(1))
        .filter(|&k| inner[k].is_punct('$') && inner[k + 1].kind == TK::Ident)
        .filter_map(|k| binds.many.get(inner[k + 1].text(src)).map(Vec::len))
        .max()
        .unwrap_or(0)
}

/// Expands the invocation `name!(args)` (when `name` is a splicing macro of the file; `args`
/// read from `ctx.src`) and scans the expansion in `ctx`'s scope, keeping what the body and
/// the arguments do not show on their own.
pub(crate) fn scan_invocation(
    macros: &Macros<'_>,
    name: &str,
    args: &[Tok],
    ctx: &Ctx<'_, '_>,
    out: &mut Out,
) {
    if ctx.depth >= MAX_DEPTH {
        return;
    }
    let Some((expanded, body)) = macros.expand(name, args, ctx.src) else {
        return;
    };
    // what the body and the arguments show alone
    let mut alone = Out::default();
    let plain = Ctx {
        macros: None,
        modules: None,
        ..*ctx
    };
    tokens::scan(args, &plain, &mut alone);
    tokens::scan(
        body,
        &Ctx {
            src: &macros.src,
            ..plain
        },
        &mut alone,
    );
    // a finding is kept once per invocation, and only when the body and the arguments do not
    // show it alone (a block the transcriber places twice is one block)
    let mut seen: HashSet<(u32, u32, Kind, Option<String>)> = (alone.findings.into_iter())
        .map(|f| (f.line, f.col, f.kind, f.detail))
        .collect();
    let text = Src::new(&expanded.text);
    let inner = Ctx {
        src: &text,
        depth: ctx.depth + 1,
        modules: None,
        ..*ctx
    };
    let before = out.findings.len();
    tokens::scan(&expanded.toks, &inner, out);
    let found: Vec<_> = out.findings.drain(before..).collect();
    let gated: Vec<_> = out.gated.drain(before..).collect();
    for (f, g) in found.into_iter().zip(gated) {
        if seen.insert((f.line, f.col, f.kind, f.detail.clone())) {
            out.findings.push(f);
            out.gated.push(g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expansion(file: &str, name: &str, args: &str) -> Option<String> {
        let src = Src::new(file);
        let mut toks = Vec::new();
        lexer::lex(&src, 0, file.len(), &mut toks);
        let close = tokens::matching(&toks);
        let macros = Macros::of(file, &toks, &close)?;
        let at = file.find(args)?;
        let mut a = Vec::new();
        lexer::lex(&src, at, at + args.len(), &mut a);
        let (out, _) = macros.expand(name, &a, &src)?;
        Some(out.text.trim_end().to_owned())
    }

    #[test]
    fn arms_match_and_transcribe() {
        let file = "macro_rules! call { ($m:ident, $t:ident, $f:ident) => { std::$m::$t::$f(\"sh\") }; }\n\
                    fn f() { call!(process, Command, new); }";
        assert_eq!(
            expansion(file, "call", "process, Command, new").as_deref(),
            Some("std :: process :: Command :: new ( \"sh\" )")
        );
    }
}
