//! Code templates: tokens a crate builds for another crate to compile.
//!
//! A proc macro writes its output as a template (`quote! { .. }`, `quote_spanned!`, syn's
//! `parse_quote!` / `parse_quote_spanned!`) or as a string it parses (`syn::parse_str`,
//! `TokenStream::from_str`, `.parse::<TokenStream>()`). That code runs in the macro's users,
//! not in the crate: a finding inside a template is [`Finding::emitted`] and counts apart
//! (`emits`), and the graph pass shows it in the rows of the crates that use the macro
//! (`crate::link`).
//!
//! Which `quote!` is a template is decided as rustc resolves the macro name, and a doubt is
//! the crate's own code: the path starts with the `quote` or `syn` crate (`quote::quote!`,
//! `::syn::parse_quote!`) that no `use`, `mod` or `extern crate` of the file rebinds; or the
//! bare name is imported from one of them in the file (`use quote::{quote, ToTokens};`,
//! `use quote::*;`) or by `#[macro_use] extern crate quote;` somewhere in the crate (and the
//! file imports no other glob that could supply it). A `macro_rules!` of the crate with that
//! name shadows any import of it (textual scope comes first): a crate's own
//! `macro_rules! quote { ($($t:tt)*) => { $($t)* } }` runs its body in place, so its
//! `quote!` is not a template.
//!
//! The same pass over the file's tokens reads what the graph pass matches: the names of the
//! proc macros the file defines (`#[proc_macro_derive(Name)]`, `#[proc_macro_attribute]` and
//! `#[proc_macro]` functions) and of every macro it uses outside templates (derives,
//! attributes, `name!`).
//!
//! [`Finding::emitted`]: risk_report::facts::Finding::emitted

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::Origin;

use crate::source::lex::lexer;
use crate::source::lex::literal::string_value;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, attribute_at};
use crate::source::lex::use_tokens::{self, Binder, Leaf};
use crate::source::out::Out;
use crate::source::resolve::imports::{Imports, ROOT};
use crate::source::token_engine::rules;

/// The macros of `quote` and `syn` whose body is a template.
const MACROS: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
];

/// The crates those macros come from.
const CRATES: &[&str] = &["quote", "syn"];

/// How a template's macro name was resolved in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// `quote::quote!`: a path from the crate itself.
    Qualified,
    /// A bare name the file imports from `quote` or `syn`.
    Imported,
    /// A bare name the file does not bind: a template when the crate has
    /// `#[macro_use] extern crate quote;` (or `syn`).
    MacroUse,
}

/// One template body: from its opening delimiter to its closing one, as (line, column)
/// positions (1-based, columns in characters, as findings have them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    open: (u32, u32),
    close: (u32, u32),
    name: &'static str,
    how: How,
}

impl Template {
    fn contains(&self, line: u32, col: u32) -> bool {
        self.open < (line, col) && (line, col) < self.close
    }
}

/// What one file tells about templates and proc macros.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileTemplates {
    /// The candidate templates, in file order.
    templates: Vec<Template>,
    /// Template macro names a `macro_rules!` of the file defines: they shadow the imported
    /// ones in the whole crate.
    shadows: BTreeSet<&'static str>,
    /// `#[macro_use] extern crate quote;` (or `syn`).
    macro_use: bool,
    /// Strings handed to a parser of code: the byte range of each literal token.
    strings: Vec<(u32, u32)>,
    /// The proc macros the file defines, by the name users write.
    pub proc_macros: BTreeSet<String>,
    /// Every macro the file uses outside templates: a derive or an attribute by its last
    /// segment (`Serialize`, `instrument`), an invocation as `name!`, or `root::name!` when its
    /// first segment is written (`tokio::pin!`) or a `use` of the file binds its name to a
    /// path (`use std::pin::pin;` then `pin!` is `std::pin!`).
    pub uses: BTreeSet<String>,
}

/// What the whole crate says about its templates' macro names.
#[derive(Debug, Default)]
pub(crate) struct CrateTemplates {
    shadows: BTreeSet<&'static str>,
    macro_use: bool,
}

impl CrateTemplates {
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileTemplates>) -> CrateTemplates {
        let mut c = CrateTemplates::default();
        for f in files {
            c.shadows.extend(&f.shadows);
            c.macro_use |= f.macro_use;
        }
        c
    }

    fn holds(&self, t: &Template) -> bool {
        match t.how {
            How::Qualified => true,
            How::Imported => !self.shadows.contains(t.name),
            How::MacroUse => self.macro_use && !self.shadows.contains(t.name),
        }
    }
}

impl FileTemplates {
    /// Whether (line, col) sits in a template of this file, given the crate's `krate`.
    pub fn emitted(&self, krate: &CrateTemplates, line: u32, col: u32) -> bool {
        (self.templates.iter()).any(|t| t.contains(line, col) && krate.holds(t))
    }

    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }
}

/// The file's bindings of template names, read ahead (a `use` can follow its use).
#[derive(Default)]
struct Bindings {
    /// Template names imported from `quote` / `syn`.
    imported: BTreeSet<&'static str>,
    /// Template names bound to anything else.
    rebound: BTreeSet<&'static str>,
    /// `quote` / `syn` bound to something else than the crate (`use evil as quote;`,
    /// `mod syn`).
    roots: BTreeSet<&'static str>,
    /// `use quote::*;` / `use syn::*;`.
    glob: bool,
    /// A glob of anything else, which could supply a template name.
    other_glob: bool,
    /// `use syn::parse_str;`.
    parse_str: bool,
    /// Every name a `use` binds, with the first segment of its path, `None` when two `use`s
    /// of the file bind it to paths of different roots (for [`bang_use`]).
    roots_of: BTreeMap<String, Option<String>>,
    /// The text says `macro_use` somewhere (any `#[macro_use]`, of any crate or module).
    macro_use_anywhere: bool,
    /// Template macros imported under another name (`use quote::quote as q;`): the name
    /// code writes, the template it is.
    renamed: BTreeMap<String, &'static str>,
}

/// How the invocation `word!` at `i` is recorded in [`FileTemplates::uses`] (written into
/// `out`): `root::word!`
/// when the root of its path is known, else `word!` (any crate's). The root is known when
/// written, or when every `use` of the file that binds `word` has that root and the file has
/// no glob import and no `#[macro_use]` (either could put another `word` in scope in some
/// module: the uses are read per file, not per module).
fn bang_use(toks: &[Tok], i: usize, src: &Src<'_>, b: &Bindings, word: &str, out: &mut String) {
    let mut k = i;
    while k >= 2 && toks[k - 1].kind == TK::PathSep && toks[k - 2].kind == TK::Ident {
        k -= 2;
    }
    let root = if k < i {
        Some(toks[k].text(src))
    } else if b.glob || b.other_glob || b.macro_use_anywhere {
        None
    } else {
        b.roots_of.get(word).and_then(Option::as_deref)
    };
    out.clear();
    if let Some(root) = root {
        out.push_str(root);
        out.push_str("::");
    }
    out.push_str(word);
    out.push('!');
}

impl Bindings {
    /// The template `word!` at `i` is when `word` is a renamed import of one, written alone.
    fn renamed_at(&self, toks: &[Tok], i: usize, word: &str) -> Option<&'static str> {
        let alone = i == 0 || toks[i - 1].kind != TK::PathSep;
        alone.then(|| self.renamed.get(word).copied()).flatten()
    }
}

fn template_name(word: &str) -> Option<&'static str> {
    MACROS.iter().copied().find(|m| *m == word)
}

fn crate_name(word: &str) -> Option<&'static str> {
    CRATES.iter().copied().find(|c| *c == word)
}

fn bindings(toks: &[Tok], m: &[u32], words: &[u32], src: &Src<'_>) -> Bindings {
    let mut b = Bindings {
        macro_use_anywhere: memchr::memmem::find(src.text.as_bytes(), b"macro_use").is_some(),
        ..Bindings::default()
    };
    use_tokens::binders(toks, m, words, src, &mut |binder| match binder {
        Binder::Use(Leaf::Name { alias, segs }, _) => {
            let first = segs.first().copied().unwrap_or_default();
            let last = segs.last().copied().unwrap_or_default();
            let root = b
                .roots_of
                .entry(alias.to_owned())
                .or_insert_with(|| Some(first.to_owned()));
            if root.as_deref() != Some(first) {
                *root = None;
            }
            if let (None, Some(_), Some(name)) =
                (template_name(alias), crate_name(first), template_name(last))
            {
                b.renamed.insert(alias.to_owned(), name);
            }
            if let Some(name) = template_name(alias) {
                if crate_name(first).is_some() && template_name(last).is_some() {
                    b.imported.insert(name);
                } else {
                    b.rebound.insert(name);
                }
            }
            b.parse_str |= alias == "parse_str" && segs == ["syn", "parse_str"];
            if let Some(root) = crate_name(alias)
                && segs != [root]
            {
                b.roots.insert(root);
            }
        }
        Binder::Use(Leaf::Glob { segs }, _) => match segs {
            [one] if crate_name(one).is_some() => b.glob = true,
            _ => b.other_glob = true,
        },
        Binder::Item(word, i) => {
            let next = |k: usize| toks.get(i + k).filter(|n| n.kind == TK::Ident);
            let root = match word {
                "mod" => next(1),
                // `extern crate evil as quote;`
                "extern"
                    if next(1).is_some_and(|n| n.is_ident(src, "crate"))
                        && next(3).is_some_and(|n| n.is_ident(src, "as")) =>
                {
                    next(4).filter(|n| next(2).is_some_and(|c| c.text(src) != n.text(src)))
                }
                _ => None,
            };
            if let Some(root) = root.and_then(|n| crate_name(n.text(src))) {
                b.roots.insert(root);
            }
        }
    });
    b
}

/// Reads the file's templates, template-name bindings and macro names from its tokens (lexed
/// from `src`, unplaced); `m` gives each opening delimiter's closing one, `words` the tokens
/// that can be an item keyword (`lexer::binder_words`), `marks` the tokens where an
/// attribute, an invocation or a parsed string can be (`lexer::template_marks`): only those
/// are looked at.
pub(crate) fn read(
    toks: &[Tok],
    m: &[u32],
    words: &[u32],
    marks: &[u32],
    src: &Src<'_>,
) -> FileTemplates {
    let mut f = FileTemplates::default();
    let b = bindings(toks, m, words, src);
    let derivers = derivers(toks, m, src);
    let at = Reading {
        toks,
        m,
        src,
        b: &b,
        derivers: &derivers,
    };
    // tokens below this index are inside a candidate template: their macros are the users'
    let mut template_until = 0usize;
    let mut used = String::new();
    for &mark in marks {
        let mark = mark as usize;
        let Some(t) = toks.get(mark) else {
            continue;
        };
        match t.kind {
            TK::Punct(b'#') if mark >= template_until => {
                if let Some((_, open)) = attribute_at(toks, mark) {
                    let close = at.close_of(open);
                    attribute(toks, open + 1, close, m, src, &mut f);
                    if toks
                        .get(open + 1)
                        .is_some_and(|n| n.is_ident(src, "macro_use"))
                        && extern_crate_after(toks, close + 1, m, src)
                            .is_some_and(|c| crate_name(c).is_some())
                    {
                        f.macro_use = true;
                    }
                }
            }
            // no macro: only a call of `parse`, `from_str` or `parse_str` can hand a string to
            // a parser of code
            TK::Ident if !toks.get(mark + 1).is_some_and(|n| n.is_punct('!')) => {
                if let Some(lit) = parsed_string(toks, mark, src, &b) {
                    f.strings.push((toks[lit].start, toks[lit].end));
                }
            }
            // an identifier followed by this `!`
            TK::Punct(b'!') if mark >= 1 && toks[mark - 1].kind == TK::Ident => {
                at.invocation(mark - 1, &mut template_until, &mut used, &mut f);
            }
            _ => {}
        }
    }
    f
}

/// What [`read`] reads an invocation with.
struct Reading<'a, 's> {
    toks: &'a [Tok],
    m: &'a [u32],
    src: &'a Src<'s>,
    b: &'a Bindings,
    derivers: &'a BTreeSet<&'s str>,
}

impl Reading<'_, '_> {
    /// The invocation `word!` at `toks[i]`: a template, a macro name the file uses, or a
    /// derive's name.
    fn invocation(
        &self,
        i: usize,
        template_until: &mut usize,
        used: &mut String,
        f: &mut FileTemplates,
    ) {
        let (toks, src, b) = (self.toks, self.src, self.b);
        let word = toks[i].text(src);
        if word == "macro_rules" {
            if let Some(name) = toks.get(i + 2).and_then(|n| template_name(n.text(src))) {
                f.shadows.insert(name);
            }
            return;
        }
        let bang_group = toks
            .get(i + 2)
            .is_some_and(|n| matches!(n.kind, TK::Open(_)));
        if !bang_group
            || toks
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_punct('.') || p.is_punct('$'))
        {
            return;
        }
        let found = (template_name(word))
            .and_then(|name| Some((name, resolve(toks, i, src, b, name)?)))
            .or_else(|| Some((b.renamed_at(toks, i, word)?, How::Imported)));
        if let Some((name, how)) = found {
            let open = i + 2;
            let close = self.close_of(open);
            f.templates.push(Template {
                open: self.pos(open),
                close: self.pos(close),
                name,
                how,
            });
            *template_until = (*template_until).max(close);
        } else if i >= *template_until {
            // most invocations repeat a name already listed: no allocation for those
            bang_use(toks, i, src, b, word, used);
            if !f.uses.contains(used.as_str()) {
                f.uses.insert(used.clone());
            }
        }
        if self.derivers.contains(word) {
            // the derive's name: the first identifier past the invocation's attributes
            let first = past_attributes(toks, i + 3, self.m);
            if let Some(name) = toks.get(first).filter(|n| n.kind == TK::Ident) {
                f.proc_macros.insert(name.text(src).to_owned());
            }
        }
    }

    /// The closing delimiter of the group opening at `open` (the end of the tokens for one
    /// the bracket table does not close).
    fn close_of(&self, open: usize) -> usize {
        (self.m.get(open).copied().unwrap_or(0) as usize).min(self.toks.len())
    }

    /// (line, 1-based column) of `toks[k]`, the end of the text past the last token.
    fn pos(&self, k: usize) -> (u32, u32) {
        let at = (self.toks.get(k)).map_or(self.src.text.len(), |t| t.start as usize);
        let (line, col) = self.src.line_col(at);
        (line as u32, col as u32 + 1)
    }
}

/// The `macro_rules!` of the file whose body declares a derive named by a metavariable
/// (`#[proc_macro_derive($trait, ..)]`, as zerocopy-derive does): their invocations name the
/// derives.
fn derivers<'s>(toks: &[Tok], m: &[u32], src: &Src<'s>) -> BTreeSet<&'s str> {
    let mut out = BTreeSet::new();
    // the identifier is in the text as written (the scan reads NFC-normalized text)
    if memchr::memmem::find(src.text.as_bytes(), b"proc_macro_derive").is_none() {
        return out;
    }
    // hits[j]: how many `proc_macro_derive ( $` start before j, so that each body is asked in
    // constant time (nested `macro_rules!` would make a scan per body quadratic)
    let mut hits = Vec::with_capacity(toks.len() + 1);
    hits.push(0u32);
    for (j, t) in toks.iter().enumerate() {
        let hit = t.is_ident(src, "proc_macro_derive")
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TK::Open(Delim::Paren))
            && toks.get(j + 2).is_some_and(|n| n.is_punct('$'));
        hits.push(hits[j] + u32::from(hit));
    }
    for (i, t) in toks.iter().enumerate() {
        if t.is_ident(src, "macro_rules")
            && toks.get(i + 1).is_some_and(|n| n.is_punct('!'))
            && let Some(name) = toks.get(i + 2).filter(|n| n.kind == TK::Ident)
            && toks
                .get(i + 3)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
        {
            let close = (m[i + 3] as usize).min(toks.len());
            // a hit starting inside the body ends inside it (its last token is no bracket)
            if hits[close.max(i + 4)] > hits[i + 4] {
                out.insert(name.text(src));
            }
        }
    }
    out
}

/// How the template macro `name` at `toks[i]` (before its `!`) resolves; `None` when it is
/// not `quote`'s or `syn`'s.
fn resolve(toks: &[Tok], i: usize, src: &Src<'_>, b: &Bindings, name: &str) -> Option<How> {
    if i == 0 || toks[i - 1].kind != TK::PathSep {
        if b.rebound.contains(name) {
            return None;
        }
        if b.imported.contains(name) || b.glob {
            return Some(How::Imported);
        }
        return (!b.other_glob).then_some(How::MacroUse);
    }
    // the path's first segment
    let mut k = i;
    while k >= 2 && toks[k - 1].kind == TK::PathSep && toks[k - 2].kind == TK::Ident {
        k -= 2;
    }
    let anchored = k >= 1 && toks[k - 1].kind == TK::PathSep;
    let root = crate_name(toks[k].text(src))?;
    (anchored || !b.roots.contains(root)).then_some(How::Qualified)
}

/// The attribute whose content is `toks[start..end]`: the macro names it uses, the proc
/// macro it defines.
fn attribute(
    toks: &[Tok],
    start: usize,
    end: usize,
    m: &[u32],
    src: &Src<'_>,
    f: &mut FileTemplates,
) {
    let content = &toks[start..end.min(toks.len())];
    // the attribute's own path: its last segment
    let mut k = 0;
    while content.get(k + 1).is_some_and(|n| n.kind == TK::PathSep)
        && content.get(k + 2).is_some_and(|n| n.kind == TK::Ident)
    {
        k += 2;
    }
    let Some(name) = content.get(k).filter(|t| t.kind == TK::Ident) else {
        return;
    };
    let name = name.text(src);
    let arg = content
        .get(k + 1)
        .filter(|n| n.kind == TK::Open(Delim::Paren))
        .and_then(|_| content.get(k + 2))
        .filter(|n| n.kind == TK::Ident);
    match name {
        "proc_macro_derive" => {
            if let Some(a) = arg {
                f.proc_macros.insert(a.text(src).to_owned());
            }
        }
        "proc_macro_attribute" | "proc_macro" => {
            if let Some(fun) = fn_after(toks, end + 1, m, src) {
                f.proc_macros.insert(fun.to_owned());
            }
        }
        _ => {
            f.uses.insert(name.to_owned());
        }
    }
    // derives, also inside `cfg_attr(..)`: each path's last segment
    for (j, t) in content.iter().enumerate() {
        if t.is_ident(src, "derive")
            && content
                .get(j + 1)
                .is_some_and(|n| n.kind == TK::Open(Delim::Paren))
        {
            let mut d = j + 2;
            while let Some(n) = content.get(d) {
                match n.kind {
                    TK::Ident
                        if content
                            .get(d + 1)
                            .is_some_and(|x| x.is_punct(',') || matches!(x.kind, TK::Close(_))) =>
                    {
                        f.uses.insert(n.text(src).to_owned());
                    }
                    TK::Close(_) => break,
                    _ => {}
                }
                d += 1;
            }
        }
    }
}

/// The next item from `j` (past more attributes): the crate name of `extern crate NAME`.
fn extern_crate_after<'s>(toks: &[Tok], j: usize, m: &[u32], src: &Src<'s>) -> Option<&'s str> {
    let j = past_attributes(toks, j, m);
    let is = |k: usize, w: &str| toks.get(k).is_some_and(|n| n.is_ident(src, w));
    (is(j, "extern") && is(j + 1, "crate"))
        .then(|| toks.get(j + 2).filter(|n| n.kind == TK::Ident))
        .flatten()
        .map(|n| n.text(src))
}

/// The name of the function the item from `j` declares (past attributes, visibility and
/// qualifiers), when it is one.
fn fn_after<'s>(toks: &[Tok], j: usize, m: &[u32], src: &Src<'s>) -> Option<&'s str> {
    let mut j = past_attributes(toks, j, m);
    for _ in 0..16 {
        let t = toks.get(j)?;
        match t.kind {
            TK::Ident if t.is_ident(src, "fn") => {
                return toks
                    .get(j + 1)
                    .filter(|n| n.kind == TK::Ident)
                    .map(|n| n.text(src));
            }
            // `pub(crate)`, `extern "C"`
            TK::Ident | TK::Lit => j += 1,
            TK::Open(Delim::Paren) => j = m.get(j).copied()? as usize + 1,
            _ => return None,
        }
    }
    None
}

fn past_attributes(toks: &[Tok], mut j: usize, m: &[u32]) -> usize {
    while toks.get(j).is_some_and(|t| t.is_punct('#'))
        && toks
            .get(j + 1)
            .is_some_and(|n| n.kind == TK::Open(Delim::Bracket))
    {
        j = m.get(j + 1).map_or(toks.len(), |&c| c as usize + 1);
    }
    j
}

/// When `toks[i]` is a parser of code handed a string literal (`syn::parse_str("..")`,
/// `parse_str::<T>("..")` imported from syn, `TokenStream::from_str("..")`,
/// `"..".parse::<TokenStream>()`), the index of the literal.
fn parsed_string(toks: &[Tok], i: usize, src: &Src<'_>, b: &Bindings) -> Option<usize> {
    let word = toks[i].text(src);
    let is_string = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.kind == TK::Lit && string_value(t.text(src)).is_some())
    };
    let prev_seg = || {
        if i >= 2 && toks[i - 1].kind == TK::PathSep {
            toks[i - 2].text(src)
        } else {
            ""
        }
    };
    // past a turbofish: the index of the opening parenthesis of the call
    let call_open = |mut j: usize| {
        if toks.get(j).is_some_and(|t| t.kind == TK::PathSep)
            && toks.get(j + 1).is_some_and(|t| t.is_punct('<'))
        {
            let mut depth = 0usize;
            j += 1;
            while let Some(t) = toks.get(j) {
                match t.kind {
                    TK::Punct(b'<') => depth += 1,
                    TK::Punct(b'>') => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    TK::Punct(b';') | TK::Open(Delim::Brace) => return None,
                    _ => {}
                }
                j += 1;
            }
            j += 1;
        }
        toks.get(j)
            .is_some_and(|t| t.kind == TK::Open(Delim::Paren))
            .then_some(j)
    };
    match word {
        "parse_str" => {
            let from_syn = match prev_seg() {
                "" => b.parse_str || b.glob,
                seg => seg == "syn",
            };
            let open = call_open(i + 1).filter(|_| from_syn)?;
            is_string(open + 1).then_some(open + 1)
        }
        "from_str" if prev_seg() == "TokenStream" => {
            let open = call_open(i + 1)?;
            is_string(open + 1).then_some(open + 1)
        }
        "parse"
            if i >= 2
                && toks[i - 1].is_punct('.')
                && is_string(i - 2)
                && toks.get(i + 1).is_some_and(|t| t.kind == TK::PathSep)
                && toks.get(i + 2).is_some_and(|t| t.is_punct('<')) =>
        {
            // `::<TokenStream>` or `::<proc_macro2::TokenStream>`
            let mut j = i + 3;
            while toks.get(j + 1).is_some_and(|t| t.kind == TK::PathSep) {
                j += 2;
            }
            let names_stream = toks.get(j).is_some_and(|t| t.is_ident(src, "TokenStream"))
                && toks.get(j + 1).is_some_and(|t| t.is_punct('>'));
            names_stream.then_some(i - 2)
        }
        _ => None,
    }
}

/// The token rules over each string the file hands to a parser of code, every finding at
/// the string literal and emitted. The string is code of the macro's user: no name of this
/// file resolves in it.
pub(crate) fn scan_strings(f: &FileTemplates, src: &Src<'_>, out: &mut Out) {
    if f.strings.is_empty() {
        return;
    }
    let imports = Imports::default();
    for &(start, end) in &f.strings {
        let Some(code) = string_value(&src.text[start as usize..end as usize]) else {
            continue;
        };
        let (line, col) = src.line_col(start as usize);
        let inner = Src::new(&code);
        let mut toks = Vec::new();
        lexer::lex(&inner, 0, code.len(), &mut toks);
        let mut found = Out::default();
        rules::scan(
            &toks,
            &rules::Ctx {
                src: &inner,
                imports: imports.at(ROOT),
                origin: Origin::MacroTokens,
                gates: &[],
                self_ty: (&[], false),
                modules: None,
                macros: None,
                depth: 0,
            },
            &mut found,
        );
        for x in found.findings {
            out.push(line as u32, col as u32 + 1, x.kind, x.detail, x.origin, &[]);
            if let Some(last) = out.findings.last_mut() {
                last.emitted = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::scan_source;

    /// (line, kind code, emitted) of each finding of `text` scanned alone.
    fn found(text: &str) -> Vec<(u32, &'static str, bool)> {
        (scan_source("src/lib.rs", text).findings.iter())
            .map(|f| (f.line, f.kind.code(), f.emitted))
            .collect()
    }

    #[test]
    fn templates_of_quote_and_syn_are_emitted() {
        let text = "use quote::quote;\nuse syn::parse_quote as pq;\n\
            fn a() { quote! { unsafe { x() } }; }\n\
            fn b() { ::quote::quote_spanned! { s=> std::process::Command::new(\"sh\") }; }\n\
            fn c() { syn::parse_quote! { unsafe impl Send for #name {} }; }\n\
            fn d() { pq! { unsafe { y() } }; }\n\
            fn e() { unsafe { z() } }\n";
        assert_eq!(
            found(text),
            [
                (3, "unsafe-block", true),
                (4, "process", true),
                (5, "unsafe-impl", true),
                // the macro imported under another name is the same template
                (6, "unsafe-block", true),
                (7, "unsafe-block", false),
            ]
        );
    }

    #[test]
    fn other_quote_macros_are_the_crates_own_code() {
        // a bare `quote!` the file does not import and no `#[macro_use]` supplies
        assert_eq!(
            found("fn a() { quote! { unsafe { x() } }; }\n"),
            [(1, "unsafe-block", false)]
        );
        // imported from another crate; a root rebound to another crate
        let text = "use paste::quote;\nuse evil as syn;\n\
            fn a() { quote! { unsafe { x() } }; }\n\
            fn b() { syn::parse_quote! { unsafe { x() } }; }\n";
        assert_eq!(
            found(text),
            [(3, "unsafe-block", false), (4, "unsafe-block", false)]
        );
        // the file's own `macro_rules! quote` shadows the import
        let text = "use quote::quote;\nmacro_rules! quote { ($($t:tt)*) => { $($t)* } }\n\
            fn a() { quote! { unsafe { x() } }; }\n";
        assert_eq!(found(text), [(3, "unsafe-block", false)]);
    }

    #[test]
    fn macro_use_and_globs_import_the_bare_name() {
        let text = "#[macro_use]\nextern crate quote;\nfn a() { quote! { unsafe { x() } }; }\n";
        assert_eq!(found(text), [(3, "unsafe-block", true)]);
        let text = "use quote::*;\nfn a() { quote! { unsafe { x() } }; }\n";
        assert_eq!(found(text), [(2, "unsafe-block", true)]);
        // another glob could supply the name
        let text = "#[macro_use]\nextern crate quote;\nuse evil::*;\n\
            fn a() { quote! { unsafe { x() } }; }\n";
        assert_eq!(found(text), [(4, "unsafe-block", false)]);
    }

    #[test]
    fn strings_parsed_as_code_are_emitted_at_the_literal() {
        let text = "use syn::parse_str;\nuse std::str::FromStr;\n\
            fn a() { let _: syn::Expr = parse_str(\"unsafe { x() }\").unwrap(); }\n\
            fn b() { proc_macro2::TokenStream::from_str(\"std::fs::read(p)\"); }\n\
            fn c() { \"std::net::TcpStream::connect(a)\".parse::<proc_macro2::TokenStream>(); }\n\
            fn d() { let _ = \"unsafe { x() }\".len(); other::parse_str(\"unsafe { y() }\"); }\n";
        assert_eq!(
            found(text),
            [(3, "unsafe-block", true), (4, "fs", true), (5, "net", true)]
        );
    }

    /// A `#[macro_use]` or a glob can put another `pin` in scope in some module of the file:
    /// then a `use std::pin::pin;` says nothing of a bare `pin!`, which stays any crate's.
    #[test]
    fn a_use_roots_an_invocation_only_when_nothing_else_can_supply_it() {
        for (text, want) in [
            ("use std::pin::pin;\nfn f() { pin!(x); }\n", "std::pin!"),
            (
                "#[macro_use] extern crate evil;\nuse std::pin::pin;\nfn f() { pin!(x); }\n",
                "pin!",
            ),
            (
                "use evil::*;\nuse std::pin::pin;\nfn f() { pin!(x); }\n",
                "pin!",
            ),
        ] {
            let src = crate::source::lex::src::Src::new(text);
            let mut toks = Vec::new();
            crate::source::lex::lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
            let m = crate::source::lex::tokens::matching(&toks);
            let words = crate::source::lex::lexer::binder_words(&toks, &src);
            let marks = crate::source::lex::lexer::template_marks(&toks, &src);
            let f = super::read(&toks, &m, &words, &marks, &src);
            assert!(f.uses.contains(want), "{text}: {:?}", f.uses);
        }
    }

    #[test]
    fn proc_macros_and_macro_uses_are_read() {
        let text = "#[proc_macro_derive(Zeroable, attributes(zero))]\npub fn z(i: T) -> T { i }\n\
            #[proc_macro_attribute]\n#[doc(hidden)]\npub fn traced(a: T, i: T) -> T { i }\n\
            #[proc_macro]\npub(crate) fn make(i: T) -> T { quote!(#[derive(Hidden)] x) }\n\
            #[derive(Debug, serde::Serialize)]\n#[cfg_attr(test, derive(Arbitrary))]\n\
            #[tokio::main]\nfn main() { println!(); thing::gen!(x); }\n\
            mod p { use std::pin::pin; fn f() { pin!(x); } }\nfn g() { pin!(y); }\n\
            mod q { use std::ptr::read; use evil::read; fn h() { read!(z); } }\n\
            macro_rules! derive { ($t:ident => $f:ident) => { #[proc_macro_derive($t)] pub fn $f() {} } }\n\
            derive!(#[doc(hidden)] KnownLayout => known_layout);\n";
        let src = crate::source::lex::src::Src::new(text);
        let mut toks = Vec::new();
        crate::source::lex::lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
        let m = crate::source::lex::tokens::matching(&toks);
        let words = crate::source::lex::lexer::binder_words(&toks, &src);
        let marks = crate::source::lex::lexer::template_marks(&toks, &src);
        let f = super::read(&toks, &m, &words, &marks, &src);
        let names = |s: &std::collections::BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&f.proc_macros),
            ["KnownLayout", "Zeroable", "make", "traced"]
        );
        assert_eq!(
            names(&f.uses),
            [
                "Arbitrary",
                "Debug",
                "Serialize",
                "cfg_attr",
                "derive",
                "derive!",
                "doc",
                "main",
                "println!",
                "read!",
                "std::pin!",
                "thing::gen!"
            ]
        );
    }
}
