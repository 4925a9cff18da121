//! The fast path: syn parses only the items a rule can see into.
//!
//! Every rule of the syn pass fires on a name: a path whose first segment is a crate root of
//! the taxonomy (`std`, `libc`, `tokio`, ...) whose written segments all agree with some rule
//! path or capability-method carrier (`std::fs::read`, not `core::mem::size_of`) and do not go
//! on under one of the taxonomy's data prefixes (`windows_sys::core::w!(..)`, which the rules
//! classify as no capability), or a name a `use` binds to one, an item a glob of
//! such a module supplies, a function declared in an `extern` block, an embedding or assembly
//! macro, `transmute`, one of a few attributes (`no_mangle`, `link`, ...), or the keywords
//! `unsafe`, `extern` and `static mut`. So the file is lexed once (our lexer, no allocation per
//! token beyond a flat list), the set of names that can matter in *this* file is worked out
//! from its `use` and `extern` items ([`Names`]), and every top-level item (and every item of
//! an inline module, impl or trait block, and every statement of a block in a kept item, whose
//! headers stay) that holds none of those names is blanked out of the text: a run of cuts
//! becomes one newline (when it held any) and a space for each character after its last
//! newline. syn parses what is left; every column stays where it was, and every line is
//! reported where it was ([`LineMap`]: syn and the lexer count lines in the shorter text, and
//! `Src::report_line` turns them back). Refinements:
//!
//! - In a macro body syn certainly leaves to the token scan ([`opaque_to_syn`]), a root or
//!   imported name only counts inside a path the scan resolves ([`settle_macro_bodies`]), and
//!   the body's items are kept or cut one by one ([`Split::macro_items`]).
//! - `use` groups and macro bodies are never split: a group's `self` binds a name it does not
//!   spell, and a cut in a macro body could let syn parse it as expressions.
//! - Comments of the kept text are blanked too ([`with_comments`]), except inside macro bodies
//!   and attributes (the text between tokens can be a detail) and unclosed ones.
//! - The body of an invocation in a kept statement that holds none of those names, nor does
//!   its path (`assert!(n > 0)`), is blanked inside its delimiters ([`Split::inert_body`]).
//! - A body syn certainly leaves to the token scan is not shown to syn at all: syn's text has
//!   `m! {}` there ([`Plan::syn`]), and the syn pass reads the body from [`Plan::text`]
//!   ([`Lifted`]), the very tokens it would have read once syn had failed on them.
//!
//! The facts equal those of a full parse because:
//!
//! 1. **A cut item cannot produce a finding**: each rule needs one of the names above inside
//!    the item. Resolution state that other items feed (declared names that shadow a root,
//!    variable names that are not imports, glob links, `mod` scopes) only changes how a name
//!    of the set resolves, and an item that declares or binds such a name holds it, so it is
//!    kept. `use`, `mod` and `extern` items are always kept.
//! 2. **What is kept parses alone**: items and statements end at their `;` or closing brace
//!    (a block-like statement ends at its `}` when something that can only start a new
//!    statement follows). When the blanked text does not parse (a cut in a place no boundary
//!    is, say), the caller parses the whole file instead; when the whole file does not parse
//!    but the kept parts do, their findings are exact and the file counts as parsed (the rule
//!    of `Mode::Exhaustive` too). A wrong boundary can only cost time: what is cut holds no
//!    name a rule fires on, and a kept part that no longer parses sends the file whole to syn.
//!
//! `fast_equals_exhaustive` (tests) and `examples/fast_check.rs` (real tarballs) check it.

mod comments;
mod macro_bodies;
mod names;
mod rule_names;
mod split;

use crate::source::lex::src::{LineMap, Src};
use crate::source::lex::tokens::{TK, Tok};
use comments::with_comments;
use macro_bodies::settle_macro_bodies;
use names::Names;
use split::Split;

/// The text syn needs: the file with every irrelevant item blanked, and where its lines are in
/// the file; and, when some macro bodies are left out of syn's text ([`Lifted`]), the text the
/// token scanner reads them from.
#[derive(Debug)]
pub(crate) struct Plan {
    /// What the fast path scans: the file less its cuts.
    pub text: String,
    pub map: LineMap,
    /// syn's text when it differs from `text`: `text` less the lifted bodies.
    pub syn: Option<(String, LineMap)>,
    pub lifted: Vec<Lifted>,
}

/// A macro body syn would only hand to the token scanner ([`opaque_to_syn`]), cut from syn's
/// text (it sees `m! {}`) and scanned from [`Plan::text`] instead: syn neither lexes nor
/// builds a tree of it, and the scanner reads the very tokens it read before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lifted {
    /// Where the body's opening delimiter is in syn's text.
    pub open: usize,
    /// The body between its delimiters, in [`Plan::text`].
    pub start: usize,
    pub end: usize,
}

impl Plan {
    /// The text syn parses and where its lines are in the file.
    pub fn syn_text(&self) -> (&str, &LineMap) {
        match &self.syn {
            Some((text, map)) => (text, map),
            None => (&self.text, &self.map),
        }
    }
}

/// Plans the fast parse of `src`; `None` when nothing can be cut (or the file is too odd to
/// split safely: unbalanced brackets, a glob of a whole risky crate).
pub(crate) fn plan(
    src: &Src<'_>,
    toks: &[Tok],
    close: Option<&[u32]>,
    words: &[u32],
) -> Option<Plan> {
    let close = close?;
    let names = Names::of(toks, close, words, src)?;
    // whether each token is a name that can trigger a rule, looked up once: items are read
    // again when they are split; and the running count of those and of attribute rule names,
    // which tells in O(1) that a range holds none (`Split::candidates`)
    let mut triggers: Vec<bool> = Vec::with_capacity(toks.len());
    let mut candidates: Vec<u32> = Vec::with_capacity(toks.len() + 1);
    let mut count = 0u32;
    candidates.push(count);
    for (k, t) in toks.iter().enumerate() {
        let trigger = t.kind == TK::Ident && names.triggers(toks, k, src);
        triggers.push(trigger);
        count += u32::from(trigger || split::attribute_rule(t, src));
        candidates.push(count);
    }
    settle_macro_bodies(toks, close, src, &mut triggers, &candidates);
    let mut split = Split {
        toks,
        close,
        src,
        triggers: &triggers,
        candidates: &candidates,
        cuts: Vec::new(),
        lifts: Vec::new(),
    };
    split.items(0, toks.len(), 0, 0);
    let lifts = split.lifts;
    let cuts = with_comments(toks, close, src.text, split.cuts);
    if cuts.is_empty() && lifts.is_empty() {
        return None;
    }
    // the delimiters of each lifted body, in both texts
    let probes: Vec<usize> = (lifts.iter())
        .flat_map(|&(open, end)| [toks[open].start as usize, toks[end].start as usize])
        .collect();
    let (text, map, at) = render(src.text, &cuts, &probes);
    let mut plan = Plan {
        text,
        map,
        syn: None,
        lifted: Vec::new(),
    };
    if !lifts.is_empty() {
        let mut syn_cuts = cuts;
        syn_cuts.extend(
            (lifts.iter()).map(|&(open, end)| (toks[open].end as usize, toks[end].start as usize)),
        );
        syn_cuts.sort_unstable();
        let opens: Vec<usize> = probes.iter().step_by(2).copied().collect();
        let (syn_text, syn_map, syn_at) = render(src.text, &syn_cuts, &opens);
        plan.syn = Some((syn_text, syn_map));
        plan.lifted = (syn_at.iter().zip(at.chunks(2)))
            .map(|(&open, body)| Lifted {
                open,
                start: body[0] + 1,
                end: body[1],
            })
            .collect();
    }
    Some(plan)
}

/// `text` less `cuts` (sorted by start; they may touch or nest), where its lines are in
/// `text`, and where each of `probes` (sorted offsets of bytes no cut holds) went.
///
/// A cut becomes one newline when it holds any (the lines it held are noted in the map) and
/// the characters after its last one as spaces: every column of the text that stays is where
/// it was, every line is reported where it was, and syn lexes no long blank runs.
fn render(text: &str, cuts: &[(usize, usize)], probes: &[usize]) -> (String, LineMap, Vec<usize>) {
    let mut out = String::with_capacity(text.len() / 2);
    let mut map = LineMap::default();
    let mut moved = Vec::with_capacity(probes.len());
    let mut probes = probes.iter().copied().peekable();
    // lines of `out` so far, less one
    let mut newlines = 0usize;
    let mut at = 0;
    let mut keep = |out: &mut String, at: usize, upto: usize| {
        while let Some(p) = probes.next_if(|&p| p < upto) {
            moved.push(out.len() + p.saturating_sub(at));
        }
        out.push_str(&text[at..upto]);
    };
    // cuts that touch are one cut: the spaces standing for the rest of a line are written
    // once, for the last
    let mut merged = cuts.iter().copied().peekable();
    while let Some((s, mut e)) = merged.next() {
        while let Some((_, next_end)) = merged.next_if(|&(next, _)| next <= e) {
            e = e.max(next_end);
        }
        newlines += memchr::memchr_iter(b'\n', &text.as_bytes()[at..s]).count();
        keep(&mut out, at, s);
        let cut = &text[s..e];
        let tail = match memchr::memrchr(b'\n', cut.as_bytes()) {
            Some(nl) => {
                let n = memchr::memchr_iter(b'\n', cut.as_bytes()).count();
                out.push('\n');
                newlines += 1;
                map.push(line_number(newlines + 1), line_number(n - 1));
                &cut[nl + 1..]
            }
            None => cut,
        };
        let width = if tail.is_ascii() {
            tail.len()
        } else {
            tail.chars().count()
        };
        push_run(&mut out, SPACES, width);
        at = e;
    }
    keep(&mut out, at, text.len());
    (out, map, moved)
}

/// A line number or count as findings hold it (a text over 4 GiB is not scanned whole).
fn line_number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A run of blanks, appended a slice at a time.
const SPACES: &str = "                                                                ";

/// Appends `n` times the one-byte character `run` is made of.
fn push_run(out: &mut String, run: &str, n: usize) {
    let mut left = n;
    while left > 0 {
        let k = left.min(run.len());
        out.push_str(&run[..k]);
        left -= k;
    }
}
