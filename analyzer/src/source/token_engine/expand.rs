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

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use risk_report::facts::Kind;

use crate::source::lex::lexer;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, matching};
use crate::source::resolve::imports::Resolver;
use crate::taxonomy;

/// Deepest nesting of expansions followed.
pub(super) const MAX_DEPTH: u8 = 8;
/// Most tokens all the expansions of one file may produce.
const MAX_TOKENS: usize = 1 << 18;

/// The names of the macros `macro_rules!` defines in `toks` whose transcriber splices a
/// metavariable ([`splices`]) or passes one to another such macro of the file (`outer!($m)`
/// that invokes `call!($m, ..)`), each with the index of its body's opening delimiter.
pub(crate) fn splicing<'s>(toks: &[Tok], close: &[u32], src: &Src<'s>) -> Vec<(&'s str, usize)> {
    if !src.text.contains("macro_rules") {
        return Vec::new();
    }
    let metavar = |k: usize| {
        toks[k].is_punct('$')
            && toks
                .get(k + 1)
                .is_some_and(|n| n.kind == TK::Ident && n.text(src) != "crate")
    };
    // where a metavariable is used, and where it is spliced, in order: a range holds one
    // when one lies inside it (no range is walked twice, whatever the nesting)
    let used: Vec<usize> = (0..toks.len()).filter(|&k| metavar(k)).collect();
    if used.is_empty() {
        return Vec::new();
    }
    let spliced: Vec<usize> = used
        .iter()
        .copied()
        .filter(|&k| splices(toks, k, src))
        .collect();
    let holds = |list: &[usize], open: usize, shut: usize| {
        let first = list.partition_point(|&u| u <= open);
        list.get(first).is_some_and(|&u| u < shut)
    };
    // each definition: name, body, whether it splices, the file's macros it invokes with a
    // metavariable in the arguments (an invocation counts for its innermost definition)
    let mut defs: Vec<(&'s str, usize, bool, Vec<&'s str>)> = Vec::new();
    let mut open_defs: Vec<usize> = Vec::new();
    for i in 0..toks.len().saturating_sub(2) {
        while open_defs
            .last()
            .is_some_and(|&d| close[defs[d].1] as usize <= i)
        {
            open_defs.pop();
        }
        if toks[i].kind != TK::Ident
            || !toks[i + 1].is_punct('!')
            || (i > 0 && toks[i - 1].kind == TK::PathSep)
        {
            continue;
        }
        let name = toks[i].text(src);
        if name == "macro_rules"
            && toks.get(i + 2).is_some_and(|n| n.kind == TK::Ident)
            && toks
                .get(i + 3)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
        {
            let (open, shut) = (i + 3, close[i + 3] as usize);
            defs.push((
                toks[i + 2].text(src),
                open,
                holds(&spliced, open, shut),
                Vec::new(),
            ));
            open_defs.push(defs.len() - 1);
        } else if let Some(&d) = open_defs.last()
            && matches!(toks[i + 2].kind, TK::Open(_))
            && holds(&used, i + 2, close[i + 2] as usize)
        {
            defs[d].3.push(name);
        }
    }
    // passing a metavariable to a splicing macro splices it: to a fixed point
    let mut names: HashSet<&'s str> = defs.iter().filter(|d| d.2).map(|d| d.0).collect();
    loop {
        let more: Vec<&'s str> = (defs.iter())
            .filter(|d| !names.contains(d.0) && d.3.iter().any(|c| names.contains(c)))
            .map(|d| d.0)
            .collect();
        if more.is_empty() {
            break;
        }
        names.extend(more);
    }
    (defs.into_iter())
        .filter(|d| names.contains(d.0))
        .map(|d| (d.0, d.1))
        .collect()
}

/// Whether `toks[k]` starts a metavariable (`$x`, not `$crate`) that the transcriber joins to
/// its neighbours in a way the rules can see: a path segment (`std::$m`, `$t::new`), a called
/// name (`$f(..)`), a method (`.$m(..)`), a macro name (`$m!`), a qualified self (`<$t>`), a
/// keyword's neighbour (`unsafe $b`, `$k fn`, `impl .. for $t`, `as $t`), or a statement of
/// its own followed by a block (`$k { .. }`). A metavariable standing whole between
/// separators (`f($a, $b)`, `let x = $e;`, `#[cfg(..)] $item`) or naming a declaration
/// (`fn $name(`) only puts back what the arguments already show. Matchers (`$x:ident`) never
/// splice.
fn splices(toks: &[Tok], k: usize, src: &Src<'_>) -> bool {
    if !toks[k].is_punct('$') {
        return false;
    }
    let Some(name) = toks.get(k + 1).filter(|t| t.kind == TK::Ident) else {
        return false;
    };
    if name.text(src) == "crate" {
        return false;
    }
    // a repetition around it (`std::$($m)::*`, `$($f)*(..)`) is looked through
    let mut before = k.checked_sub(1);
    if let Some(p) = before
        && toks[p].kind == TK::Open(Delim::Paren)
        && p >= 1
        && toks[p - 1].is_punct('$')
    {
        before = p.checked_sub(2);
    }
    let mut after = k + 2;
    if toks
        .get(after)
        .is_some_and(|t| t.kind == TK::Close(Delim::Paren))
    {
        let op = |t: &Tok| matches!(t.kind, TK::Punct(b'*' | b'+' | b'?'));
        if toks.get(after + 1).is_some_and(op) {
            after += 2;
        } else if toks.get(after + 2).is_some_and(op) {
            // a separator: it is what joins the items (`$($m)::*`)
            after += 1;
        }
    }
    let prev = before.map(|p| toks[p]);
    let next = toks.get(after).copied();
    let prev_word = prev.filter(|p| p.kind == TK::Ident).map(|p| p.text(src));
    if prev_word.is_some_and(|w| {
        matches!(
            w,
            "fn" | "struct"
                | "enum"
                | "union"
                | "mod"
                | "type"
                | "trait"
                | "const"
                | "let"
                | "macro_rules"
        )
    }) {
        return false;
    }
    let joined_before = match prev.map(|p| p.kind) {
        Some(TK::PathSep | TK::Punct(b'.' | b'<' | b'$')) => true,
        Some(TK::Punct(b'>')) => {
            !(before.is_some_and(|p| p >= 1 && matches!(toks[p - 1].kind, TK::Punct(b'=' | b'-'))))
        }
        Some(TK::Ident) => prev_word.is_some_and(|w| {
            matches!(
                w,
                "unsafe" | "extern" | "impl" | "for" | "as" | "dyn" | "static" | "use"
            )
        }),
        _ => false,
    };
    let statement_start = matches!(
        prev.map(|p| p.kind),
        None | Some(TK::Punct(b';') | TK::Open(_) | TK::Close(Delim::Brace))
    );
    let joined_after = match next.map(|n| n.kind) {
        Some(TK::PathSep | TK::Open(Delim::Paren) | TK::Punct(b'!')) => true,
        Some(TK::Open(Delim::Brace)) => statement_start,
        Some(TK::Ident) => next.is_some_and(|n| {
            matches!(
                n.text(src),
                "fn" | "unsafe" | "extern" | "impl" | "trait" | "static" | "mod"
            )
        }),
        _ => false,
    };
    joined_before || joined_after
}

/// One arm: its matcher and its transcriber, the tokens inside their delimiters.
#[derive(Debug)]
pub(super) struct Arm {
    matcher: Vec<Tok>,
    pub(super) body: Vec<Tok>,
    /// The bracket tables of both.
    pm: Vec<u32>,
    bm: Vec<u32>,
    /// Its transcriber splices a metavariable that can hold something the rules see (not a
    /// `vis`, `literal` or `lifetime`): else an expansion shows nothing new.
    splices: bool,
    /// What the transcriber shows alone (scanned once, in the scope of the first invocation
    /// expanded by it).
    pub(super) alone: OnceCell<Vec<Key>>,
}

/// A finding, as compared between an expansion and what its parts show alone.
pub(super) type Key = (u32, u32, Kind, Option<String>);

/// The splicing macros of one file.
#[derive(Debug)]
pub(crate) struct Macros<'s> {
    /// The file's text (every token here points into it).
    pub src: Src<'s>,
    by_name: HashMap<&'s str, Vec<Arm>>,
    /// Tokens the expansions produced so far.
    spent: Cell<usize>,
    /// Per macro, the names its expansions can bring in ([`Macros::reach`]), once asked.
    reach: RefCell<HashMap<String, Rc<Reach>>>,
}

/// What the transcribers of a macro, and of the file's splicing macros they invoke, hold.
#[derive(Debug, Default)]
struct Reach {
    /// Every identifier written in them.
    names: Vec<String>,
    /// One of them invokes an `include*!`, whose finding quotes its (spliced) path.
    includes: bool,
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
        let names: HashSet<&str> = found.iter().map(|f| f.0).collect();
        let mut by_name: HashMap<&'s str, Vec<Arm>> = HashMap::new();
        for &(name, open) in &found {
            // lexed again with lines and columns: findings are reported where they were read
            let mut body = Vec::new();
            let start = toks[open].end as usize;
            let end = toks[close[open] as usize].start as usize;
            lexer::lex(&src, start, end, &mut body);
            let arms = by_name.entry(name).or_default();
            arms.extend(arms_of(&body, &src, &names));
        }
        Some(Macros {
            src,
            by_name,
            spent: Cell::new(0),
            reach: RefCell::default(),
        })
    }

    pub fn defines(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The identifiers of the transcribers of `name` and of every splicing macro they invoke,
    /// transitively: an expansion of `name!` (at any depth) holds only these and the tokens of
    /// the arguments.
    fn reach(&self, name: &str) -> Rc<Reach> {
        if let Some(r) = self.reach.borrow().get(name) {
            return Rc::clone(r);
        }
        let mut names = HashSet::new();
        let mut includes = false;
        let mut queue = vec![name];
        let mut seen: HashSet<&str> = HashSet::from_iter([name]);
        while let Some(m) = queue.pop() {
            for arm in self.by_name.get(m).into_iter().flatten() {
                for (k, t) in arm.body.iter().enumerate() {
                    if t.kind != TK::Ident {
                        continue;
                    }
                    let word = t.text(&self.src);
                    names.insert(word);
                    if arm.body.get(k + 1).is_some_and(|n| n.is_punct('!')) {
                        includes |= matches!(word, "include" | "include_bytes" | "include_str");
                        if let Some((&callee, _)) = self.by_name.get_key_value(word)
                            && seen.insert(callee)
                        {
                            queue.push(callee);
                        }
                    }
                }
            }
        }
        let mut names: Vec<String> = names.into_iter().map(str::to_owned).collect();
        names.sort_unstable();
        let reach = Rc::new(Reach { names, includes });
        self.reach
            .borrow_mut()
            .insert(name.to_owned(), Rc::clone(&reach));
        reach
    }

    /// Whether no expansion of `name!(args)`, however deep, can hold a name a rule looks at:
    /// then none is worth making ([`Expansion::may_matter`] would say no at every level).
    pub(super) fn quiet(
        &self,
        name: &str,
        args: &[Tok],
        asrc: &Src<'_>,
        imports: &Resolver<'_, '_>,
    ) -> bool {
        if !self.defines(name) {
            return true;
        }
        let reach = self.reach(name);
        !reach.includes
            && !reach.names.iter().any(|n| looked_at(n, imports))
            && !args
                .iter()
                .any(|t| t.kind == TK::Ident && looked_at(t.text(asrc), imports))
    }

    /// The expansion of `name!(args)` (`args` read from `asrc`) by its first matching arm,
    /// with that arm.
    pub(super) fn expand(
        &self,
        name: &str,
        args: &[Tok],
        asrc: &Src<'_>,
    ) -> Option<(Expansion, &Arm)> {
        let arms = self.by_name.get(name)?;
        let am = matching(args);
        for arm in arms {
            let mut binds = Binds::default();
            let matched = Matcher {
                src: &self.src,
                asrc,
                pat: &arm.matcher,
                pm: &arm.pm,
                args,
                am: &am,
            }
            .seq(0, arm.matcher.len(), 0, args.len(), &mut binds, None);
            if matched == Some(args.len()) {
                if !arm.splices {
                    return None;
                }
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
                    &arm.bm,
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
                return Some((out, arm));
            }
        }
        None
    }
}

/// An expansion: tokens over a text of their own (each token's text, a space between), with
/// the line and column of the token each was read from.
#[derive(Debug, Default)]
pub(super) struct Expansion {
    pub(super) text: String,
    pub(super) toks: Vec<Tok>,
    /// Tokens it may still take (the file's budget left), and whether it wanted more.
    room: usize,
    over: bool,
    /// The text and the end offset of the last token put in.
    last: Option<(usize, u32)>,
    /// Indices of the tokens that came from the arguments.
    spliced: Vec<u32>,
}

/// Whether a rule looks at the name `name` in the scope `imports` resolves in: a word some rule reads or a
/// crate root the taxonomy knows ([`taxonomy::rule_word`]), a path anchor (`Self`, `crate`,
/// `self`, `super`), or a name bound there that can lead to a rule.
fn looked_at(name: &str, imports: &Resolver<'_, '_>) -> bool {
    matches!(name, "Self" | "crate" | "self" | "super")
        || taxonomy::rule_word(name)
        || imports.may_matter(name)
}

impl Expansion {
    /// Whether a rule can fire on what the splicing joined: a spliced token, a keyword next
    /// to one, or the root of a path one sits in is a name some rule looks at (a crate root,
    /// a name bound in the invocation's scope, `unsafe`, `Self`, ...), or the expansion
    /// invokes a splicing macro or an `include*!` (its finding quotes the path the splicing
    /// built). When none is, scanning it finds only what the body and the arguments show
    /// alone.
    pub(super) fn may_matter(&self, macros: &Macros<'_>, imports: &Resolver<'_, '_>) -> bool {
        let text = Src::new(&self.text);
        let toks = &self.toks;
        let interesting = |k: usize| {
            toks.get(k)
                .is_some_and(|t| t.kind == TK::Ident && looked_at(t.text(&text), imports))
        };
        // a splicing macro, or an embedding one whose finding quotes the (spliced) path
        let invokes = (0..toks.len().saturating_sub(1)).any(|k| {
            toks[k].kind == TK::Ident && toks[k + 1].is_punct('!') && {
                let name = toks[k].text(&text);
                matches!(name, "include" | "include_bytes" | "include_str") || macros.defines(name)
            }
        });
        invokes
            || self.spliced.iter().any(|&k| {
                let k = k as usize;
                // the root of the path the token sits in
                let mut root = k;
                while root >= 2
                    && toks[root - 1].kind == TK::PathSep
                    && toks[root - 2].kind == TK::Ident
                {
                    root -= 2;
                }
                interesting(k)
                    || interesting(root)
                    || (k >= 1 && interesting(k - 1))
                    || interesting(k + 1)
                    || (k >= 2 && toks[k - 1].is_punct('<') && interesting(k - 2))
            })
    }
}

impl Expansion {
    fn push(&mut self, t: Tok, src: &Src<'_>) {
        if self.toks.len() >= self.room {
            self.over = true;
            return;
        }
        // tokens that touch where they were read touch here too (a detail taken from the
        // text reads as written); others are kept apart
        let from = (src.text.as_ptr() as usize, t.start);
        if !self.text.is_empty() && self.last != Some(from) {
            self.text.push(' ');
        }
        let start = self.text.len() as u32;
        self.text.push_str(t.text(src));
        let end = self.text.len() as u32;
        self.last = Some((from.0, t.end));
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
fn arms_of(body: &[Tok], src: &Src<'_>, splicing: &HashSet<&str>) -> Vec<Arm> {
    let m = matching(body);
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
        let matcher = &body[i + 1..mclose.min(body.len())];
        let transcriber = &body[topen + 1..tclose.min(body.len())];
        // each metavariable's fragment
        let frags: HashMap<&str, &str> = (0..matcher.len().saturating_sub(3))
            .filter(|&k| {
                matcher[k].is_punct('$')
                    && matcher[k + 1].kind == TK::Ident
                    && matcher[k + 2].is_punct(':')
                    && matcher[k + 3].kind == TK::Ident
            })
            .map(|k| (matcher[k + 1].text(src), matcher[k + 3].text(src)))
            .collect();
        let tm = matching(transcriber);
        let splices = (0..transcriber.len()).any(|k| {
            let t = transcriber[k];
            // a metavariable joined to its neighbours, or any passed to a splicing macro
            let joined = splices(transcriber, k, src)
                && !frags
                    .get(transcriber[k + 1].text(src))
                    .is_some_and(|f| matches!(*f, "vis" | "literal" | "lifetime"));
            let passed = t.kind == TK::Ident
                && splicing.contains(t.text(src))
                && transcriber.get(k + 1).is_some_and(|n| n.is_punct('!'))
                && transcriber
                    .get(k + 2)
                    .is_some_and(|n| matches!(n.kind, TK::Open(_)))
                && (transcriber.get(k + 3..(tm[k + 2] as usize).min(transcriber.len())))
                    .is_some_and(|args| args.iter().any(|a| a.is_punct('$')));
            joined || passed
        });
        arms.push(Arm {
            matcher: matcher.to_vec(),
            body: transcriber.to_vec(),
            pm: matching(matcher),
            bm: tm,
            splices,
            alone: OnceCell::new(),
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
                TK::Punct(b'\'') if args.get(a + 1).is_some_and(|n| n.kind == TK::Ident) => a + 2,
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
                // the fragment's own bound first: the search for `stop` then never runs
                // past it (a long list of `$($e:expr),*` stays linear)
                let end = self.bounded(a, self.fragment_end(frag, a, aend), stop);
                (end > a).then_some(end)
            }
        }
    }

    /// The pattern's next literal token from `p` (the one a greedy fragment stops at).
    fn next_literal(&self, p: usize, pend: usize) -> Option<Tok> {
        let t = *self.pat.get(p).filter(|_| p < pend)?;
        (!t.is_punct('$') && !matches!(t.kind, TK::Open(_) | TK::Close(_))).then_some(t)
    }

    /// Where a fragment of several tokens must end whatever follows it in the pattern: no
    /// `expr`, `ty`, `path`, `pat` or `stmt` holds a `,` or `;` of its own level (nor `=>`), and
    /// a `ty` or `path` holds a `,` only between its generic arguments' `<` and `>`. Other
    /// fragments (`item`, `meta`, ...) end with the arguments.
    fn fragment_end(&self, frag: &str, mut a: usize, aend: usize) -> usize {
        let bounded = matches!(
            frag,
            "expr" | "expr_2021" | "ty" | "path" | "pat" | "pat_param" | "stmt"
        );
        if !bounded {
            return aend;
        }
        let generics = matches!(frag, "ty" | "path");
        let mut angle = 0usize;
        while a < aend {
            let x = self.args[a];
            match x.kind {
                TK::Open(_) => {
                    a = self.am[a] as usize + 1;
                    continue;
                }
                TK::Punct(b'<') if generics => angle += 1,
                TK::Punct(b'>') if generics && angle > 0 => {
                    let arrow = a > 0 && self.args[a - 1].is_punct('-');
                    if !arrow {
                        angle -= 1;
                    }
                }
                TK::Punct(b',' | b';') if angle == 0 => return a,
                TK::Punct(b'=')
                    if angle == 0 && self.args.get(a + 1).is_some_and(|n| n.is_punct('>')) =>
                {
                    return a;
                }
                _ => {}
            }
            a += 1;
        }
        aend
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
        TK::Punct(c @ (b'*' | b'+' | b'?')) => Some(char::from(c)),
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
                        out.spliced.push(out.toks.len() as u32);
                        out.push(a, from.args);
                    }
                    s += 2;
                    continue;
                }
            }
            if n.kind == TK::Open(Delim::Paren) && index.is_none() {
                let inner_end = bm[s + 1] as usize;
                let (sep, after) = match body.get(inner_end + 1).map(|t| t.kind) {
                    Some(TK::Punct(b'*' | b'+' | b'?')) => (None, inner_end + 2),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn expansion(file: &str, name: &str, args: &str) -> Option<String> {
        let src = Src::new(file);
        let mut toks = Vec::new();
        lexer::lex(&src, 0, file.len(), &mut toks);
        let close = matching(&toks);
        let macros = Macros::of(file, &toks, &close)?;
        let at = file.find(args)?;
        let mut a = Vec::new();
        lexer::lex(&src, at, at + args.len(), &mut a);
        let (out, _) = macros.expand(name, &a, &src)?;
        Some(out.text.trim_end().to_owned())
    }

    /// Whether the first metavariable of `body` splices.
    fn spliced(body: &str) -> bool {
        let src = Src::new(body);
        let mut toks = Vec::new();
        lexer::lex(&src, 0, body.len(), &mut toks);
        (0..toks.len())
            .find(|&k| toks[k].is_punct('$') && toks[k + 1].kind == TK::Ident)
            .is_some_and(|k| splices(&toks, k, &src))
    }

    #[test]
    fn what_splices() {
        for yes in [
            "std::$m::read()",
            "$t::new()",
            "$f(x)",
            "x.$m()",
            "$m!(x)",
            "<$t>::f()",
            "unsafe $b",
            "$k fn f() {}",
            "impl A for $t {}",
            "x as $t",
            "$k { x }",
            "std::$($m)::*::read()",
            "$($f)*(x)",
        ] {
            assert!(spliced(yes), "{yes}");
        }
        for no in [
            "f($a, $b)",
            "let x = $e;",
            "#[cfg(x)] $item",
            "fn $name() {}",
            "if $c { x }",
            "x => $e,",
            "fn f() -> $t {}",
            "$crate::f()",
            "($m:ident) => {}",
        ] {
            assert!(!spliced(no), "{no}");
        }
    }

    #[test]
    fn arms_match_and_transcribe() {
        let file = "macro_rules! call { ($m:ident, $t:ident, $f:ident) => { std::$m::$t::$f(\"sh\") }; }\n\
                    fn f() { call!(process, Command, new); }";
        assert_eq!(
            expansion(file, "call", "process, Command, new").as_deref(),
            Some("std:: process :: Command :: new (\"sh\")")
        );
    }
}
