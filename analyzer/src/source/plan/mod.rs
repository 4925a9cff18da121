//! The fast path: syn parses only the items a rule can see into.
//!
//! Every rule of the syn pass fires on a name: a path whose first segment is a crate root of
//! the taxonomy (`std`, `libc`, `tokio`, ...) or a name a `use` binds to one, an item a glob of
//! such a module supplies, a function declared in an `extern` block, an embedding or assembly
//! macro, `transmute`, one of a few attributes (`no_mangle`, `link`, ...), or the keywords
//! `unsafe`, `extern` and `static mut`. So the file is lexed once (our lexer, no allocation per
//! token beyond a flat list), the set of names that can matter in *this* file is worked out
//! from its `use` and `extern` items ([`Names`]), and every top-level item (and every item of
//! an inline module, impl or trait block, and every statement of a block in a kept item, whose
//! headers stay) that holds none of those names is blanked out of the text, character for
//! character, newlines kept. syn parses what is left, and every line and column stays where
//! it was. Three refinements:
//!
//! - In a macro body syn certainly leaves to the token scan ([`opaque_to_syn`]), a root or
//!   imported name only counts inside a path the scan resolves ([`settle_macro_bodies`]), and
//!   the body's items are kept or cut one by one ([`Split::macro_items`]).
//! - `use` groups and macro bodies are never split: a group's `self` binds a name it does not
//!   spell, and a cut in a macro body could let syn parse it as expressions.
//! - Comments of the kept text are blanked too ([`with_comments`]), except inside macro bodies
//!   and attributes (the text between tokens can be a detail) and unclosed ones.
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

use foldhash::HashSet;
use std::sync::OnceLock;

use crate::source::lex::lexer;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok};
use crate::source::token_engine::{expand, walk};
use crate::taxonomy;

/// The text syn needs: the file with every irrelevant item blanked.
#[derive(Debug)]
pub(crate) struct Plan {
    pub text: String,
}

/// Plans the fast parse of `src`; `None` when nothing can be cut (or the file is too odd to
/// split safely: unbalanced brackets, a glob of a whole risky crate).
pub(crate) fn plan(src: &Src<'_>, toks: &[Tok], close: Option<&[u32]>) -> Option<Plan> {
    let close = close?;
    let names = Names::of(toks, close, src)?;
    // whether each token is a name that can trigger a rule, looked up once: items are read
    // again when they are split
    let mut triggers: Vec<bool> = (0..toks.len())
        .map(|k| toks[k].kind == TK::Ident && names.triggers(toks, k, src))
        .collect();
    settle_macro_bodies(toks, close, src, &mut triggers);
    let mut split = Split {
        toks,
        close,
        src,
        triggers: &triggers,
        cuts: Vec::new(),
    };
    split.items(0, toks.len(), 0, 0);
    let cuts = with_comments(toks, close, src.text, split.cuts);
    if cuts.is_empty() {
        return None;
    }
    // A cut keeps its newlines, and the characters after its last one as spaces: every line
    // and column of the text that stays is where it was, and syn lexes no long blank runs.
    let text = src.text;
    let mut out = String::with_capacity(text.len() / 2);
    let mut at = 0;
    for &(s, e) in &cuts {
        out.push_str(&text[at..s]);
        let cut = &text[s..e];
        let tail = match memchr::memrchr(b'\n', cut.as_bytes()) {
            Some(nl) => {
                push_run(
                    &mut out,
                    NEWLINES,
                    memchr::memchr_iter(b'\n', cut.as_bytes()).count(),
                );
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
    out.push_str(&text[at..]);
    Some(Plan { text: out })
}

/// `cuts` and, merged in order, the comments of the text that stays (doc comments are
/// `#[doc]` attributes to syn, which no rule reads): every run of whitespace and comments
/// between two kept tokens that holds a comment. Not inside a macro body or an attribute, where
/// the source text between tokens can become a finding's detail (`include_str!(/* .. */ ..)`).
fn with_comments(
    toks: &[Tok],
    close: &[u32],
    text: &str,
    cuts: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(cuts.len() * 2);
    let mut next_cut = cuts.iter().peekable();
    // gaps before tokens up to this index are inside a macro body or an attribute
    let mut opaque_until = None::<usize>;
    let mut prev_end = 0usize;
    for k in 0..=toks.len() {
        let start = toks.get(k).map_or(text.len(), |t| t.start as usize);
        while let Some(&&(x, y)) = next_cut.peek() {
            if x > prev_end {
                break;
            }
            out.push((x, y));
            next_cut.next();
            if y > prev_end {
                // the gap is inside this cut: carry on after it
                prev_end = y;
            }
        }
        let opaque = opaque_until.is_some_and(|u| k <= u);
        if start > prev_end && !opaque && comments_only(&text[prev_end..start]) {
            out.push((prev_end, start));
        }
        let Some(t) = toks.get(k) else { break };
        let group = match t.kind {
            TK::Punct('#') => {
                let open = k + 1 + usize::from(toks.get(k + 1).is_some_and(|n| n.is_punct('!')));
                toks.get(open)
                    .filter(|n| n.kind == TK::Open(Delim::Bracket))
                    .map(|_| close[open] as usize)
            }
            TK::Open(_) if macro_body(toks, k) => Some(close[k] as usize),
            _ => None,
        };
        if let Some(end) = group {
            opaque_until = Some(opaque_until.map_or(end, |u| u.max(end)));
        }
        prev_end = prev_end.max(t.end as usize);
    }
    out.extend(next_cut);
    out
}

/// Whether `gap` is whitespace and comments, with at least one comment (not a stray
/// character the lexer skipped, which syn would reject).
fn comments_only(gap: &str) -> bool {
    let b = gap.as_bytes();
    let mut i = 0;
    let mut comment = false;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (c, _) if c.is_ascii_whitespace() => i += 1,
            (b'/', Some(b'/')) => {
                comment = true;
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
            }
            (b'/', Some(b'*')) => {
                comment = true;
                match lexer::block_comment_end(b, i) {
                    Some(end) => i = end,
                    // unterminated: a syntax error syn must still see
                    None => return false,
                }
            }
            _ => return false,
        }
    }
    comment
}

/// Runs of blanks, appended a slice at a time.
const NEWLINES: &str = "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n";
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

/// In the body of a macro invocation that syn certainly leaves to the token scanner, a crate
/// root or an imported name can only reach a rule through a path the scanner resolves
/// ([`tokens::resolved_paths`]); elsewhere in the body (a type after `->` or `x:`, a declared
/// name) it triggers nothing, and is no longer counted. Keywords, macro names and attribute
/// names still count. This is what makes the `link!` lines of the windows-sys family, whose
/// only rule names are return and parameter types, irrelevant.
///
/// Walking each body on its own is exact for the tokens the scanner reaches through it, and
/// when a body sits inside a bigger opaque body the scanner walks that one instead, stepping
/// through the inner tokens with the same decisions or skipping them (inside an attribute, a
/// `use`, generic arguments): a name found inert here is inert there too.
///
/// Linear in the file however deep invocations nest (`m!(m!(m!(..)))` was quadratic): whether
/// a body holds a trigger is read off counts made before any is cleared (a body they say holds
/// one but no longer does clears nothing), and a body inside one already settled is not walked
/// again (the walk of the outer body decided its tokens, and not walking can only keep more).
fn settle_macro_bodies(toks: &[Tok], close: &[u32], src: &Src<'_>, triggers: &mut [bool]) {
    let rules = rules();
    let mut resolved = Vec::new();
    // before[j]: how many of toks[..j] were triggers before this pass
    let mut before = Vec::with_capacity(toks.len() + 1);
    before.push(0u32);
    for (j, &t) in triggers.iter().enumerate() {
        before.push(before[j] + u32::from(t));
    }
    let mut settled_until = 0;
    for k in 0..toks.len() {
        if k < settled_until || !invocation(toks, k) {
            continue;
        }
        let (start, end) = (k + 1, close[k] as usize);
        if before[end] == before[start] || !opaque_to_syn(toks, close, start, end, src) {
            continue;
        }
        settled_until = end;
        resolved.clear();
        resolved.resize(end - start, false);
        walk::resolved_paths(&toks[start..end], src, |s, e| resolved[s..e].fill(true));
        for (j, resolved) in (start..end).zip(&resolved) {
            let name = toks[j].text(src);
            let keyword = rules.always.contains(name)
                || (name == "static" && toks.get(j + 1).is_some_and(|n| n.text(src) == "mut"))
                || (walk::method_call(toks, j) && taxonomy::methods(name).next().is_some());
            if triggers[j] && !resolved && !keyword {
                triggers[j] = false;
            }
        }
    }
}

/// Whether `toks[k]` opens the body of a macro: of an invocation (`m!(..)`) or of a
/// definition (`macro_rules! m {..}`).
fn macro_body(toks: &[Tok], k: usize) -> bool {
    matches!(toks[k].kind, TK::Open(_))
        && k >= 1
        && (toks[k - 1].is_punct('!')
            || (k >= 2 && toks[k - 1].kind == TK::Ident && toks[k - 2].is_punct('!')))
}

/// Whether `toks[k]` opens the body of a macro invocation (`name!(..)`, `path::name! {..}`).
fn invocation(toks: &[Tok], k: usize) -> bool {
    matches!(toks[k].kind, TK::Open(_))
        && k >= 2
        && toks[k - 1].is_punct('!')
        && toks[k - 2].kind == TK::Ident
}

/// Whether syn cannot parse `toks[start..end]` as comma-separated expressions (so a macro
/// body goes to the token scanner): it holds, outside any bracket, `fn` and a name, which only
/// an item can. (`fn(u8)` is a pointer type, `r#fn` an identifier.)
fn opaque_to_syn(toks: &[Tok], close: &[u32], start: usize, end: usize, src: &Src<'_>) -> bool {
    let mut j = start;
    while j < end {
        match toks[j].kind {
            TK::Open(_) => j = close[j] as usize + 1,
            TK::Ident
                if toks[j].text(src) == "fn"
                    && !src.text[..toks[j].start as usize].ends_with("r#")
                    && j + 1 < end
                    && toks[j + 1].kind == TK::Ident =>
            {
                return true;
            }
            _ => j += 1,
        }
    }
    false
}

/// What the rules look for, as sets of names and paths (built once from the taxonomy).
struct Rules {
    /// Crate roots a rule path starts with (`std`, `libc`, `tokio`, ...).
    roots: HashSet<&'static str>,
    /// Roots the taxonomy lists whole (`libc`, `nix`): any path under them counts.
    whole: HashSet<&'static str>,
    /// Every rule path (taxonomy entries, embedding and assembly macros), as segments.
    paths: Vec<Vec<&'static str>>,
    /// (root, second segment) of every rule path.
    pairs: HashSet<(&'static str, &'static str)>,
    /// Names that matter wherever they appear: keywords with rules, the items the import map
    /// is built from, macro names, and the transmute rule (on the last segment of any path).
    always: HashSet<&'static str>,
    /// [`Sieve`] of `always`, the roots and `static`.
    sieve: Sieve,
}

/// Attribute rules: these names only matter inside `#[..]`.
const ATTRS: [&str; 4] = ["no_mangle", "export_name", "link", "link_section"];

const MACROS: [&str; 6] = [
    "asm",
    "global_asm",
    "naked_asm",
    "include_bytes",
    "include_str",
    "include",
];

/// Whether a rule fires on the word `name` itself, wherever the token stands: a keyword, macro
/// or attribute name some rule reads, `static`, or the root of a rule path. The one list the
/// plan and the macro expansion (`expand.rs`) both ask.
pub(crate) fn rule_word(name: &str) -> bool {
    let rules = rules();
    rules.always.contains(name)
        || rules.roots.contains(name)
        || ATTRS.contains(&name)
        || name == "static"
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut paths: Vec<Vec<&'static str>> = taxonomy::TABLE
            .iter()
            .map(|e| e.prefix.split("::").collect())
            .collect();
        for root in ["std", "core", "alloc"] {
            for m in MACROS {
                paths.push(vec![root, m]);
                paths.push(vec![root, "arch", m]);
            }
        }
        let whole = taxonomy::TABLE
            .iter()
            .filter(|e| !e.prefix.contains("::"))
            .map(|e| e.prefix)
            .collect();
        let mut always: HashSet<&'static str> = MACROS.into_iter().collect();
        always.extend([
            "transmute",
            "transmute_copy",
            "unsafe",
            "extern",
            "use",
            "mod",
        ]);
        let roots: HashSet<&'static str> = paths.iter().map(|p| p[0]).collect();
        let mut sieve = Sieve::default();
        for name in always.iter().chain(&roots).chain(&["static"]) {
            sieve.add(name);
        }
        Rules {
            roots,
            whole,
            pairs: paths
                .iter()
                .filter(|p| p.len() > 1)
                .map(|p| (p[0], p[1]))
                .collect(),
            paths,
            always,
            sieve,
        }
    })
}

impl Rules {
    /// Whether a path starting with `segs` can name something a rule looks for: some rule
    /// path is a prefix of it, or it is a prefix of some rule path.
    fn reaches(&self, segs: &[&str]) -> bool {
        self.paths.iter().any(|p| {
            let n = p.len().min(segs.len());
            p[..n] == segs[..n]
        })
    }
}

/// The names that can trigger a rule in one file, beyond [`Rules::always`] and the roots.
#[derive(Debug, Default)]
struct Names<'s> {
    /// Names `use` and `extern crate` bind to a path a rule can reach, names a glob of such
    /// a module can supply, and functions declared in `extern` blocks.
    extra: HashSet<&'s str>,
    /// [`Sieve`] of every name [`Names::triggers`] can say yes to.
    sieve: Sieve,
}

/// A 256-bit set of (first byte, length) pairs: a name whose pair is absent is in none of the
/// sets, which most identifiers are, and costs no hashing.
#[derive(Debug, Default, Clone, Copy)]
struct Sieve([u64; 4]);

impl Sieve {
    fn bit(name: &str) -> usize {
        let first = name.as_bytes().first().copied().unwrap_or(0) as usize;
        (first * 31 + name.len()) % 256
    }

    fn add(&mut self, name: &str) {
        let b = Sieve::bit(name);
        self.0[b / 64] |= 1 << (b % 64);
    }

    fn may_hold(&self, name: &str) -> bool {
        let b = Sieve::bit(name);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
}

impl<'s> Names<'s> {
    /// Whether the name at `toks[k]` can trigger a rule. A crate root counts when the path
    /// it starts can reach a rule (`std::fs`, not `std::fmt`), and when it is not followed by
    /// `::` (a declaration or binding of that name would shadow the crate).
    fn triggers(&self, toks: &[Tok], k: usize, src: &Src<'_>) -> bool {
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
        if rules.whole.contains(name) || toks.get(k + 1).is_none_or(|t| t.kind != TK::PathSep) {
            return true;
        }
        match toks.get(k + 2) {
            Some(t) if t.kind == TK::Ident => rules.pairs.contains(&(name, t.text(src))),
            _ => true,
        }
    }

    /// Reads the file's `use`, `extern crate` and `extern` blocks; `None` when a glob of a
    /// whole risky crate makes every called name a candidate.
    fn of(toks: &[Tok], close: &[u32], src: &Src<'s>) -> Option<Names<'s>> {
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
        for i in 0..toks.len() {
            if toks[i].kind != TK::Ident || after_dot_or_quote(toks, i) {
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
                            TK::Open(Delim::Brace) | TK::Punct(';') => break,
                            TK::Open(_) => k = close[k] as usize,
                            TK::Punct('<') => angle += 1,
                            TK::Punct('>') if !(k > 0 && toks[k - 1].is_punct('-')) => angle -= 1,
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
                "use" if i < extra_until => {}
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
                        let mut k = i + 1;
                        while k < toks.len() && !toks[k].is_punct(';') {
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
                for method in taxonomy::METHODS {
                    let seen = method.carriers.iter().any(|c| {
                        let path: Vec<&str> = c.split("::").collect();
                        binds.iter().any(|(_, segs)| *segs == path)
                            || globs
                                .iter()
                                .any(|g| g.len() + 1 == path.len() && g[..] == path[..g.len()])
                    });
                    if seen {
                        names.extra.insert(method.name);
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
                            let n = toks.get(i + 1).filter(|t| t.kind == TK::Ident)?;
                            i += 2;
                            n.text(self.src)
                        }
                        _ => alias,
                    };
                    self.binds.push((alias, segs));
                    break;
                }
                TK::Punct('*') => {
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

/// An identifier after `.` (a field or method, never a path) or `'` (a lifetime).
fn after_dot_or_quote(toks: &[Tok], i: usize) -> bool {
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
const MAX_MOD_DEPTH: usize = 32;

/// Splits items and collects the byte ranges to blank.
struct Split<'a, 's> {
    toks: &'a [Tok],
    close: &'a [u32],
    src: &'a Src<'s>,
    /// [`Names::triggers`] of every token.
    triggers: &'a [bool],
    cuts: Vec<(usize, usize)>,
}

impl Split<'_, '_> {
    /// The items in `toks[start..end]`; `gap` is the byte where the text before the first one
    /// starts (its comments go with it).
    fn items(&mut self, start: usize, end: usize, mut gap: usize, depth: usize) {
        let mut i = start;
        while i < end {
            let e = self.item_end(i, end);
            // an inline module, or a relevant impl or trait block: header kept, items split
            let container = (depth < MAX_MOD_DEPTH)
                .then(|| {
                    self.inline_mod(i, e).or_else(|| {
                        self.impl_or_trait(i, e)
                            .filter(|_| self.relevant(i, e, None))
                    })
                })
                .flatten();
            if let Some(brace) = container {
                let body_end = self.close[brace] as usize;
                self.items(
                    brace + 1,
                    body_end,
                    self.toks[brace].end as usize,
                    depth + 1,
                );
            } else if let Some(brace) = self.extern_block(i, e) {
                let body_end = self.close[brace] as usize;
                self.foreign_items(brace + 1, body_end, self.toks[brace].end as usize);
            } else if !self.is_inner_attr(i) && !self.relevant(i, e, None) {
                self.cuts.push((gap, self.toks[e - 1].end as usize));
            } else if depth < MAX_MOD_DEPTH {
                // a relevant function: header kept, its statements kept or cut one by one;
                // any other relevant item or statement: the same in the blocks it holds
                match self.fn_body(i, e) {
                    Some(brace) => self.block(brace, depth),
                    None => self.blocks(i, e, depth),
                }
            }
            gap = self.toks[e - 1].end as usize;
            i = e;
        }
    }

    /// The statements of the brace group opening at `brace`, kept or cut one by one.
    fn block(&mut self, brace: usize, depth: usize) {
        let end = self.close[brace] as usize;
        self.items(brace + 1, end, self.toks[brace].end as usize, depth + 1);
    }

    /// The brace groups of a relevant item or statement `toks[i..e]`, inside parentheses and
    /// brackets too (closures passed as arguments), each split like a function body: blocks,
    /// match arms, closure bodies. Macro bodies are not split (a cut could let syn parse one
    /// it leaves opaque today), nor attributes and `use` groups (whose `self` binds a name it
    /// does not spell). A brace group that is not a
    /// block (a struct literal or pattern) holds no `;`, and a cut inside it can only leave
    /// text that no longer parses, which sends the file whole to syn.
    fn blocks(&mut self, i: usize, e: usize, depth: usize) {
        let t = self.toks;
        // a macro body (`m! {`, `macro_rules! m {`), or a `use` group (`a::{self, b}`,
        // `use {..}`), whose `self` binds a name it does not spell
        let not_a_block = |k: usize| {
            macro_body(t, k)
                || k.checked_sub(1).is_some_and(|p| {
                    t[p].kind == TK::PathSep
                        || (t[p].kind == TK::Ident && t[p].text(self.src) == "use")
                })
        };
        let mut k = i;
        while k < e {
            match t[k].kind {
                TK::Punct('#')
                    if t.get(k + 1)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) =>
                {
                    k = self.close[k + 1] as usize + 1;
                }
                TK::Open(_) if not_a_block(k) => {
                    if invocation(t, k) {
                        self.macro_items(k);
                    }
                    k = self.close[k] as usize + 1;
                }
                TK::Open(Delim::Brace) => {
                    self.block(k, depth);
                    k = self.close[k] as usize + 1;
                }
                _ => k += 1,
            }
        }
    }

    /// The items of the body opening at `open` of a macro syn certainly leaves to the token
    /// scanner (see [`opaque_to_syn`]), kept or cut one by one, unless the macro's name
    /// counts (`include_str!`, ...). The first item that makes the body opaque always stays,
    /// so syn leaves what remains to the scanner too. An item ends at its `;` or its closing
    /// brace, where the scanner's state does not carry over: a path or keyword after a cut
    /// sees a `;`, `}` or `]` before it, as it did, and every look-ahead, attribute extent,
    /// `use` and `extern` block stays inside its item.
    fn macro_items(&mut self, open: usize) {
        let t = self.toks;
        let end = self.close[open] as usize;
        if self.triggers[open - 2] || !opaque_to_syn(t, self.close, open + 1, end, self.src) {
            return;
        }
        let mut gap = t[open].end as usize;
        let mut opaque = false;
        let mut i = open + 1;
        while i < end {
            let e = self.item_end(i, end);
            let witness = !opaque && opaque_to_syn(t, self.close, i, e, self.src);
            opaque |= witness;
            // no type-position rule here: the scanner resolves `type X = std::fs::File;`
            if !witness && !self.is_inner_attr(i) && !self.holds_trigger(i, e, None, None) {
                self.cuts.push((gap, t[e - 1].end as usize));
            }
            gap = t[e - 1].end as usize;
            i = e;
        }
    }

    /// The body's opening brace when `toks[i..e]` is an `impl` or `trait` block: its header
    /// stays (with whatever a rule finds in it, `unsafe impl` included) and its items are
    /// kept or cut one by one, like a module's.
    fn impl_or_trait(&self, i: usize, e: usize) -> Option<usize> {
        let j = self.header(i, &["unsafe", "default", "auto"], &["impl", "trait"])?;
        self.body(j, e)
    }

    /// The index of the keyword (one of `keywords`) that follows the attributes, visibility
    /// and `qualifiers` starting `toks[i..]` (`extern` with its ABI), if one does.
    fn header(&self, i: usize, qualifiers: &[&str], keywords: &[&str]) -> Option<usize> {
        let t = self.toks;
        let mut j = i;
        loop {
            let tok = t.get(j)?;
            match tok.kind {
                TK::Punct('#') => {
                    let open = j + 1;
                    if t.get(open)?.kind != TK::Open(Delim::Bracket) {
                        return None;
                    }
                    j = self.close[open] as usize + 1;
                }
                TK::Ident => {
                    let word = tok.text(self.src);
                    j += 1;
                    if keywords.contains(&word) {
                        return Some(j - 1);
                    } else if word == "pub" {
                        if t.get(j).is_some_and(|n| n.kind == TK::Open(Delim::Paren)) {
                            j = self.close[j] as usize + 1;
                        }
                    } else if !qualifiers.contains(&word) {
                        return None;
                    } else if word == "extern" && t.get(j).is_some_and(|n| n.kind == TK::Lit) {
                        j += 1;
                    }
                }
                _ => return None,
            }
        }
    }

    /// The opening brace of the group that ends `toks[j..e]`, if a brace group ends it.
    fn body(&self, j: usize, e: usize) -> Option<usize> {
        let t = self.toks;
        let mut k = j;
        while k < e {
            if let TK::Open(d) = t[k].kind {
                let c = self.close[k] as usize;
                if c + 1 == e {
                    return (d == Delim::Brace).then_some(k);
                }
                k = c + 1;
            } else {
                k += 1;
            }
        }
        None
    }

    /// The body's opening brace when `toks[i..e]` is a function with a body
    /// (`attrs vis qualifiers fn name .. { .. }`). Its statements are split like items: a
    /// statement ends at a `;` of the body's level or at a `}` that a new statement follows
    /// ([`Split::item_end`]), which is where syn ends it too.
    fn fn_body(&self, i: usize, e: usize) -> Option<usize> {
        let qualifiers = ["const", "async", "unsafe", "safe", "default", "extern"];
        let j = self.header(i, &qualifiers, &["fn"])?;
        self.body(j, e)
    }

    /// The body's opening brace when `toks[i..e]` is `attrs unsafe? extern "abi"? { .. }`
    /// with no other name a rule looks at in its header.
    fn extern_block(&self, i: usize, e: usize) -> Option<usize> {
        let t = self.toks;
        let mut j = i;
        while t.get(j)?.is_punct('#') {
            let open = j + 1;
            if t.get(open)?.kind != TK::Open(Delim::Bracket) {
                return None;
            }
            j = self.close[open] as usize + 1;
        }
        let attrs_end = j;
        if t.get(j)?.kind == TK::Ident && t[j].text(self.src) == "unsafe" {
            j += 1;
        }
        if !(t.get(j)?.kind == TK::Ident && t[j].text(self.src) == "extern") {
            return None;
        }
        j += 1;
        if t.get(j)?.kind == TK::Lit {
            j += 1;
        }
        let brace = j;
        let whole =
            t.get(brace)?.kind == TK::Open(Delim::Brace) && self.close[brace] as usize + 1 == e;
        // the header's attributes (`#[link(..)]`) must hold nothing a rule reads
        (whole && !self.relevant(i, attrs_end, None)).then_some(brace)
    }

    /// The items of an `extern` block: one that holds a name a rule looks at stays whole; a
    /// function keeps only `fn NAME();`, which is all the import map reads of it (calls to
    /// `NAME` are FFI); anything else is cut.
    fn foreign_items(&mut self, start: usize, end: usize, mut gap: usize) {
        let t = self.toks;
        let mut i = start;
        while i < end {
            let e = self.item_end(i, end);
            let stand_in = self.foreign_fn(i, e);
            if !self.relevant(i, e, stand_in.map(|(_, name, _, _)| name)) {
                match stand_in {
                    Some((fun, name, open, close)) => {
                        let semi = e - 1;
                        self.cuts.push((gap, t[fun].start as usize));
                        self.cuts
                            .push((t[name].end as usize, t[open].start as usize));
                        self.cuts
                            .push((t[open].end as usize, t[close].start as usize));
                        self.cuts
                            .push((t[close].end as usize, t[semi].start as usize));
                    }
                    None => self.cuts.push((gap, t[e - 1].end as usize)),
                }
            }
            gap = t[e - 1].end as usize;
            i = e;
        }
    }

    /// (`fn`, its name, `(`, `)`) when `toks[i..e]` is a foreign function ending in `;`.
    fn foreign_fn(&self, i: usize, e: usize) -> Option<(usize, usize, usize, usize)> {
        let t = self.toks;
        if !t.get(e - 1)?.is_punct(';') {
            return None;
        }
        let fun = (i..e).find(|&k| t[k].kind == TK::Ident && t[k].text(self.src) == "fn")?;
        let name = fun + 1;
        if t.get(name)?.kind != TK::Ident {
            return None;
        }
        let open = (name + 1..e).find(|&k| t[k].kind == TK::Open(Delim::Paren))?;
        let close = self.close[open] as usize;
        (close < e - 1).then_some((fun, name, open, close))
    }

    fn is_inner_attr(&self, i: usize) -> bool {
        let t = self.toks;
        t[i].is_punct('#')
            && t.get(i + 1).is_some_and(|t| t.is_punct('!'))
            && t.get(i + 2)
                .is_some_and(|t| t.kind == TK::Open(Delim::Bracket))
    }

    /// Index after the item starting at `i`: after its `;`, or after a closing brace that
    /// something item-like follows.
    fn item_end(&self, i: usize, end: usize) -> usize {
        let t = self.toks;
        if self.is_inner_attr(i) {
            return self.close[i + 2] as usize + 1;
        }
        let mut j = i;
        while j < end {
            match t[j].kind {
                TK::Open(d) => {
                    j = self.close[j] as usize + 1;
                    if d == Delim::Brace {
                        if j < end && t[j].is_punct(';') {
                            return j + 1;
                        }
                        if j >= end || self.starts_item(j) {
                            return j;
                        }
                    }
                }
                TK::Punct(';') => return j + 1,
                _ => j += 1,
            }
        }
        end
    }

    /// Whether token `j` can begin an item (after a closing brace).
    fn starts_item(&self, j: usize) -> bool {
        let t = self.toks[j];
        match t.kind {
            TK::Ident => !matches!(t.text(self.src), "else" | "as" | "where" | "for" | "in"),
            TK::Punct('#') | TK::PathSep => true,
            _ => false,
        }
    }

    /// The body's opening brace when `toks[i..e]` is `attrs vis mod name { .. }`.
    fn inline_mod(&self, i: usize, e: usize) -> Option<usize> {
        let t = self.toks;
        let mut j = i;
        while j < e {
            match t[j].kind {
                TK::Punct('#') => {
                    j += 1;
                    if t.get(j).is_some_and(|t| t.kind == TK::Open(Delim::Bracket)) {
                        j = self.close[j] as usize + 1;
                    }
                }
                TK::Ident if matches!(t[j].text(self.src), "pub" | "unsafe") => {
                    j += 1;
                    if t.get(j).is_some_and(|t| t.kind == TK::Open(Delim::Paren)) {
                        j = self.close[j] as usize + 1;
                    }
                }
                TK::Ident if t[j].text(self.src) == "mod" => {
                    let brace = j + 2;
                    let named = t.get(j + 1).is_some_and(|t| t.kind == TK::Ident);
                    let body = t
                        .get(brace)
                        .is_some_and(|t| t.kind == TK::Open(Delim::Brace));
                    return (named && body && self.close[brace] as usize + 1 == e).then_some(brace);
                }
                _ => return None,
            }
        }
        None
    }

    /// Whether any name in `toks[i..e]` (but the token `skip`) can trigger a rule.
    fn relevant(&self, i: usize, e: usize, skip: Option<usize>) -> bool {
        self.holds_trigger(i, e, skip, self.type_segment(i, e))
    }

    /// [`Split::relevant`], with the type segment given.
    fn holds_trigger(
        &self,
        i: usize,
        e: usize,
        skip: Option<usize>,
        types: Option<(usize, usize, Option<usize>)>,
    ) -> bool {
        let t = self.toks;
        // end of the attribute being read (`#[..]`, `#![..]`), where attribute rules apply
        let mut attr_end = 0;
        // end of a `[..]` or `{..}` group inside the type segment: expressions again
        let mut expr_end = 0;
        for k in i..e {
            let in_types = types.is_some_and(|(s, end, _)| (s..end).contains(&k));
            // a name only a type can hold here, a field or method name, or the `unsafe(..)`
            // wrapper of an attribute (what it wraps is read on its own: `no_mangle`, ...)
            // (a method name is a field or method name, unless a capability method's)
            let inert = || {
                (in_types && k >= expr_end)
                    || (after_dot_or_quote(t, k)
                        && !(walk::method_call(t, k)
                            && taxonomy::methods(t[k].text(self.src)).next().is_some()))
                    || skip == Some(k)
                    || (k < attr_end
                        && t.get(k + 1)
                            .is_some_and(|n| n.kind == TK::Open(Delim::Paren))
                        && t[k].text(self.src) == "unsafe")
            };
            match t[k].kind {
                TK::Punct('#') => {
                    let j = k + 1 + usize::from(t.get(k + 1).is_some_and(|n| n.is_punct('!')));
                    if t.get(j).is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) {
                        attr_end = attr_end.max(self.close[j] as usize);
                    }
                }
                TK::Open(Delim::Bracket | Delim::Brace)
                    if in_types && k >= expr_end && types.is_some_and(|(_, _, b)| b != Some(k)) =>
                {
                    expr_end = self.close[k] as usize + 1;
                }
                TK::Ident
                    if (self.triggers[k]
                        || (k < attr_end && ATTRS.contains(&t[k].text(self.src))))
                        && !inert() =>
                {
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    /// Where `toks[i..e]` is only types: the type of a `const` or `static`, a type alias, the
    /// generics and fields of a struct or union (with the index of its `{` body). No rule
    /// looks at a type path, nor at `unsafe`/`extern` in a function pointer type, so names
    /// there only count inside `[..]` and `{..}` (array lengths, const blocks, attributes).
    /// `None` for other items, and when the item holds a macro or a `=` the reading above
    /// does not expect.
    fn type_segment(&self, i: usize, e: usize) -> Option<(usize, usize, Option<usize>)> {
        let t = self.toks;
        let text = |k: usize| {
            t.get(k)
                .filter(|n| n.kind == TK::Ident)
                .map(|n| n.text(self.src))
        };
        let mut j = i;
        loop {
            match t.get(j)?.kind {
                TK::Punct('#')
                    if t.get(j + 1)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) =>
                {
                    j = self.close[j + 1] as usize + 1;
                }
                TK::Ident if text(j) == Some("pub") => {
                    j += 1;
                    if t.get(j).is_some_and(|n| n.kind == TK::Open(Delim::Paren)) {
                        j = self.close[j] as usize + 1;
                    }
                }
                _ => break,
            }
        }
        let named = t
            .get(j + 1)
            .is_some_and(|n| n.kind == TK::Ident || n.is_punct('_'));
        let (start, end, body) = match text(j)? {
            "const" | "static" if named && t.get(j + 2).is_some_and(|n| n.is_punct(':')) => {
                let mut k = j + 3;
                while k < e {
                    match t[k].kind {
                        TK::Open(_) => k = self.close[k] as usize + 1,
                        TK::Punct('=' | ';') => break,
                        _ => k += 1,
                    }
                }
                (j + 3, k.min(e), None)
            }
            "type" if named => (j + 2, e, None),
            "struct" | "union" if named => {
                if (j + 2..e).any(|k| t[k].is_punct('=')) {
                    return None;
                }
                let body = (j + 2..e).find(|&k| t[k].kind == TK::Open(Delim::Brace));
                (j + 2, e, body)
            }
            _ => return None,
        };
        if (start..end).any(|k| t[k].is_punct('!')) {
            return None;
        }
        Some((start, end, body))
    }
}
