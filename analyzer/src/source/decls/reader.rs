//! The walk over one file's tokens that reads its declarations (see `types.rs`).

use foldhash::{HashSet, HashSetExt};

use super::exported;
use super::types::{
    Decls, Include, IncludeArg, Inline, Invocation, ItemKind, LocalRef, ModDecl, ModItem, Name,
    RefAt,
};
use crate::gates::{Alias, Binder, Gate};
use crate::source::attrs::{self, PathOverride};
use crate::source::lex::literal::string_value;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, attribute_at};
use crate::source::lex::use_tokens::{self, Leaf};
use crate::source::out::shorten;
use crate::source::resolve::imports::value_like;
use crate::source::token_engine::walk::{self, item_extent};
use crate::taxonomy;

/// Deepest inline-module nesting (inside one macro body) whose declarations are followed, and
/// most gates kept on one declaration. Real crates nest a few levels; deeper declarations are
/// not followed and the file says so ([`Decls::too_deep`]), which the walk treats as a module
/// it cannot see. Fewer gates can only make code count as shipped.
const MAX_INLINE_DEPTH: usize = 32;

const MAX_GATES: usize = 64;

/// A bracket group being walked, and what to restore when it closes.
struct Group {
    /// Index of its closing token.
    close: usize,
    /// Lengths of the inline-module and gate stacks before it opened.
    inline_len: usize,
    gates_len: usize,
    /// It is the body of this `macro_rules!`.
    macro_name: Option<String>,
}

/// Where a declaration sits: the macro body it is in, and the inline modules and gates
/// around it (inside that body only: the body expands where the macro is invoked).
struct Context {
    in_macro: Option<String>,
    inline: Vec<Inline>,
    gates: Vec<Gate>,
}

/// Reads the declarations of a file from its tokens (lexed from `src`); `m` gives, for each
/// opening delimiter, the index of its closing one (`tokens::matching`), `words` the tokens
/// that can be an item keyword (`lexer::binder_words`), `steps` every token the walk can act
/// on (`lexer::decl_steps`): the others are passed over.
pub(crate) fn read(toks: &[Tok], m: &[u32], words: &[u32], steps: &[u32], src: &Src<'_>) -> Decls {
    let mut r = Reader {
        toks,
        m,
        src,
        groups: Vec::new(),
        bodies: Vec::new(),
        inline: Vec::new(),
        gates: Vec::new(),
        ranges: Vec::new(),
        version: 0,
        seen: HashSet::new(),
        candidates: Vec::new(),
        contexts: Vec::new(),
        context_at: None,
        local_names: HashSet::new(),
        external_names: HashSet::new(),
        known_names: HashSet::new(),
        local_glob: false,
        any_glob: false,
        out: Decls::default(),
    };
    let names = local_names(toks, m, words, src);
    r.local_names = names.local;
    r.external_names = names.external;
    r.known_names = names.known;
    r.local_glob = names.local_glob;
    r.any_glob = names.any_glob;
    r.walk(steps);
    r.finish_refs();
    if r.any_glob {
        // only a glob can be shadowed, and a module's globs are all in its file
        r.out.items.extend(exported::definitions(toks, m, src));
    }
    r.out.exported_macros = exported::exported_macros(toks, m, src);
    r.out
}

/// Names of the file bound to paths that leave it (a `use` of `crate::`, `self::`,
/// `super::`, a module, `extern crate self as`, a type alias of such a path), names a `use`
/// binds to another crate the taxonomy does not know, and names it binds to paths the
/// taxonomy knows, and whether a glob of the crate's own modules (`use crate::sys::*;`,
/// `use super::*;`, `use imp::*;` of a `mod imp`) is in the file; read ahead of the walk so
/// that a path is kept or passed over when it is met (items can follow their uses).
fn local_names<'s>(toks: &[Tok], m: &[u32], words: &[u32], src: &Src<'s>) -> LocalNames<'s> {
    let mut globs: Vec<&'s str> = Vec::new();
    let mut any_glob = false;
    let mut names = HashSet::new();
    let mut external = HashSet::new();
    // names bound to paths the rules know (`use std::io;`): not another crate's
    let mut known = HashSet::new();
    use_tokens::binders(toks, m, words, src, &mut |binder| match binder {
        use_tokens::Binder::Use(Leaf::Name { alias, segs }, anchored) => {
            let Some(first) = segs.first() else {
                return;
            };
            if is_local_root(first, anchored) {
                names.insert(alias);
            } else if !taxonomy::is_known_root(first) {
                // a name from another crate: a path through it may name what that crate
                // re-exports
                external.insert(alias);
            } else {
                known.insert(alias);
            }
        }
        use_tokens::Binder::Use(Leaf::Glob { segs }, anchored) => {
            any_glob = true;
            if let Some(first) = segs.first().filter(|_| !anchored) {
                globs.push(first);
            }
        }
        use_tokens::Binder::Item(word, i) => {
            let next = |k: usize| toks.get(i + k).filter(|n| n.kind == TK::Ident);
            match word {
                "mod" => {
                    if let Some(n) = next(1) {
                        names.insert(n.text(src));
                    }
                }
                "extern" => {
                    if next(1).is_some_and(|n| n.is_ident(src, "crate"))
                        && next(2).is_some_and(|n| n.is_ident(src, "self"))
                        && next(3).is_some_and(|n| n.is_ident(src, "as"))
                        && let Some(n) = next(4)
                    {
                        names.insert(n.text(src));
                    }
                }
                _ => {
                    if let (Some(n), Some(eq), Some(first)) = (next(1), toks.get(i + 2), next(3))
                        && eq.is_punct('=')
                        && is_local_root(first.text(src), false)
                    {
                        names.insert(n.text(src));
                    }
                }
            }
        }
    });
    let local_glob = (globs.iter()).any(|g| is_local_root(g, false) || names.contains(g));
    LocalNames {
        local: names,
        external,
        known,
        local_glob,
        any_glob,
    }
}

/// What [`local_names`] finds.
struct LocalNames<'s> {
    local: HashSet<&'s str>,
    external: HashSet<&'s str>,
    known: HashSet<&'s str>,
    /// A glob of the crate's own modules is in the file.
    local_glob: bool,
    /// Any glob is.
    any_glob: bool,
}

struct Reader<'a, 's> {
    toks: &'a [Tok],
    m: &'a [u32],
    src: &'a Src<'s>,
    groups: Vec<Group>,
    /// Indices in `groups` of the open `macro_rules!` bodies.
    bodies: Vec<usize>,
    /// The inline modules around the current token, outermost first.
    inline: Vec<Inline>,
    /// The gates around the current token: the file's inner attributes, then those of each
    /// open group and attributed item, in nesting order.
    gates: Vec<Gate>,
    /// Items under gates of their outer attributes: (index of the item's last token, length
    /// of the gate stack before them).
    ranges: Vec<(usize, usize)>,
    /// Bumped whenever the context (inline modules, gates, macro bodies) changes, so that an
    /// invocation is recorded once per name and context without building the context first.
    version: u32,
    /// (name, context version) of the invocations already recorded.
    seen: HashSet<(&'s str, u32)>,
    /// Paths that may leave the file: (first token, one past the last, called, context).
    candidates: Vec<(usize, usize, bool, usize)>,
    /// Contexts of the candidates, and the version the last one was built at.
    contexts: Vec<(Vec<String>, Vec<Gate>)>,
    context_at: Option<u32>,
    /// Names bound, in this file, to paths that leave it: `use crate::..` aliases and modules.
    local_names: HashSet<&'s str>,
    /// Names a `use` of the file binds to a path of another crate (not one the taxonomy
    /// knows): paths through them are kept for the graph pass (re-exports).
    external_names: HashSet<&'s str>,
    /// Names a `use` binds to a path the taxonomy knows (`use std::io;`): not another crate's.
    known_names: HashSet<&'s str>,
    /// The file globs one of the crate's own modules: a called name alone may be what that
    /// module (or a module it globs in turn, in another file) declares, so the crate pass
    /// is asked.
    local_glob: bool,
    /// The file has a glob: only then can a module's own items shadow one (a module's
    /// globs are all in its file), so only then are its definitions read.
    any_glob: bool,
    out: Decls,
}

impl Reader<'_, '_> {
    /// Walks the tokens, acting on each of `steps` the walk has not gone past (every other
    /// token is one it would pass over: the groups and attributed items it closes are popped
    /// at the next step, before anything reads them).
    fn walk(&mut self, steps: &[u32]) {
        let toks = self.toks;
        let mut next = 0;
        for &step in steps {
            let i = step as usize;
            if i < next || i >= toks.len() {
                continue;
            }
            while let Some(g) = self.groups.pop_if(|g| g.close < i) {
                self.restore(g.inline_len, g.gates_len);
                if g.macro_name.is_some() {
                    self.bodies.pop();
                    self.version += 1;
                }
            }
            while let Some((_, len)) = self.ranges.pop_if(|r| r.0 < i) {
                self.restore(self.inline.len(), len);
            }
            let t = toks[i];
            next = match t.kind {
                // only a brace can hold items and inner attributes (macro bodies and inline
                // modules open their own group)
                TK::Open(Delim::Brace) => {
                    self.open(i, None, Vec::new(), None);
                    i + 1
                }
                TK::Punct(b'#') => self.attributes(i),
                // most identifiers are none of the words below: the length and the next token
                // say so before any text is compared
                TK::Ident if toks.get(i + 1).is_some_and(|n| n.is_punct('!')) => {
                    match t.text(self.src) {
                        "include" => self.include(i),
                        "macro_rules" if !self.after_path_or_dot(i) && !self.raw(i) => {
                            self.macro_rules(i)
                        }
                        _ => self.invocation(i),
                    }
                }
                TK::Ident if matches!(t.end - t.start, 3 | 4 | 6) && !self.raw(i) => {
                    if self.after_path_or_dot(i) {
                        i + 1
                    } else {
                        match t.text(self.src) {
                            "mod" => self.module(i, Vec::new(), Vec::new()),
                            "use" => self.use_item(i),
                            "extern" => self.extern_item(i),
                            "type" => self.type_alias(i),
                            _ => self.path_candidate(i),
                        }
                    }
                }
                TK::Ident => self.path_candidate(i),
                _ => i + 1,
            };
        }
    }

    fn raw(&self, i: usize) -> bool {
        self.src.text[..self.toks[i].start as usize].ends_with("r#")
    }

    /// The token before `i` is one of these keywords.
    fn prev_is(&self, i: usize, words: &[&str]) -> bool {
        i > 0
            && self.toks[i - 1].kind == TK::Ident
            && words.contains(&self.toks[i - 1].text(self.src))
    }

    /// The path `i..j`, not called, can be a value (a function value, a static): not a type
    /// (after `:`, `->`, `*const`, `&mut`, `<`, `as`, `impl`, `dyn`), not a struct literal or
    /// a macro (followed by `{` or `!`), and its last segment is written as a value.
    fn value_position(&self, i: usize, j: usize) -> bool {
        let toks = self.toks;
        let last = toks[j - 1].text(self.src);
        if !value_like(last) {
            return false;
        }
        if toks
            .get(j)
            .is_some_and(|t| matches!(t.kind, TK::Open(Delim::Brace) | TK::Punct(b'!')))
        {
            return false;
        }
        if i == 0 {
            return true;
        }
        let prev = toks[i - 1];
        match prev.kind {
            TK::Punct(b':' | b'<') => false,
            TK::Punct(b'>') => !(i > 1 && toks[i - 2].is_punct('-')),
            TK::Ident => !matches!(
                prev.text(self.src),
                "const" | "mut" | "as" | "impl" | "dyn" | "for" | "struct" | "enum" | "type"
            ),
            _ => true,
        }
    }

    fn after_path_or_dot(&self, i: usize) -> bool {
        i > 0 && matches!(self.toks[i - 1].kind, TK::PathSep | TK::Punct(b'.' | b'$'))
    }

    /// Pops the inline-module and gate stacks back to these lengths.
    fn restore(&mut self, inline_len: usize, gates_len: usize) {
        if self.inline.len() > inline_len || self.gates.len() > gates_len {
            self.inline.truncate(inline_len);
            self.gates.truncate(gates_len);
            self.version += 1;
        }
    }

    fn open(
        &mut self,
        i: usize,
        inline: Option<Inline>,
        gates: Vec<Gate>,
        macro_name: Option<String>,
    ) {
        if macro_name.is_some() || inline.is_some() || !gates.is_empty() {
            self.version += 1;
        }
        if macro_name.is_some() {
            self.bodies.push(self.groups.len());
        }
        self.groups.push(Group {
            close: self.m[i] as usize,
            inline_len: self.inline.len(),
            gates_len: self.gates.len(),
            macro_name,
        });
        self.inline.extend(inline);
        self.gates.extend(gates);
    }

    /// Where the current token sits, `own` gates added; `None` when it is nested too deep to
    /// follow.
    fn context(&mut self, own: Vec<Gate>) -> Option<Context> {
        // inside a macro body, only what opened inside it: the body expands elsewhere
        let (in_macro, inline_from, gates_from) = match self.bodies.last() {
            Some(&b) => {
                let g = &self.groups[b];
                (g.macro_name.clone(), g.inline_len, g.gates_len)
            }
            None => (None, 0, 0),
        };
        let inline = &self.inline[inline_from..];
        if inline.len() > MAX_INLINE_DEPTH {
            self.out.too_deep = true;
            return None;
        }
        let mut gates = own;
        gates.extend(self.gates[gates_from..].iter().take(MAX_GATES).cloned());
        gates.sort();
        gates.dedup();
        Some(Context {
            in_macro,
            inline: inline.to_vec(),
            gates,
        })
    }

    /// The attribute at `i` (`#[..]` or `#![..]`) and any that follow; returns where to go on.
    fn attributes(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let Some((inner, open)) = attribute_at(toks, i) else {
            return i + 1;
        };
        let close = (self.m[open] as usize).min(toks.len());
        let content = &toks[open + 1..close];
        if inner {
            // applies to the rest of the enclosing group (or file), popped with it
            if let Some(gate) = attrs::gate(content, self.src) {
                self.gates.push(gate);
                self.version += 1;
            }
            if self.groups.is_empty() && forbids_unsafe(content, self.src) {
                self.out.forbids_unsafe = true;
            }
            return close + 1;
        }
        // a run of outer attributes, then the item they apply to
        let mut gates = Vec::new();
        let mut paths = Vec::new();
        let mut j = i;
        while toks.get(j).is_some_and(|t| t.is_punct('#'))
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TK::Open(Delim::Bracket))
        {
            let close = (self.m[j + 1] as usize).min(toks.len());
            let content = &toks[j + 2..close.max(j + 2)];
            gates.extend(attrs::gate(content, self.src));
            attrs::path_overrides(content, self.src, &mut paths);
            j = close + 1;
        }
        let k = self.skip_visibility(j);
        if toks.get(k).is_some_and(|t| t.is_ident(self.src, "mod")) && !self.raw(k) {
            return self.module(k, gates, paths);
        }
        if !gates.is_empty() {
            let end = item_extent(toks, self.m, j);
            self.ranges.push((end, self.gates.len()));
            self.gates.extend(gates);
            self.version += 1;
        }
        j
    }

    fn skip_visibility(&self, mut j: usize) -> usize {
        let toks = self.toks;
        if toks.get(j).is_some_and(|t| t.is_punct('$'))
            && toks.get(j + 1).is_some_and(|t| t.kind == TK::Ident)
        {
            // `$vis` in a macro body
            j += 2;
        }
        if toks.get(j).is_some_and(|t| t.is_ident(self.src, "pub")) {
            j += 1;
            if toks
                .get(j)
                .is_some_and(|t| t.kind == TK::Open(Delim::Paren))
            {
                j = self.m[j] as usize + 1;
            }
        }
        j
    }

    /// `mod` at `i`, with the gates and path overrides of its attributes.
    fn module(&mut self, i: usize, own: Vec<Gate>, paths: Vec<PathOverride>) -> usize {
        let toks = self.toks;
        let (name, after) = match (toks.get(i + 1), toks.get(i + 2)) {
            (Some(n), _) if n.kind == TK::Ident => {
                let name = self.src.ident_at(n.start as usize).to_owned();
                (Name::Literal(name), i + 2)
            }
            (Some(d), Some(n)) if d.is_punct('$') && n.kind == TK::Ident => (Name::Computed, i + 3),
            _ => return i + 1,
        };
        if let Name::Literal(n) = &name {
            self.out.aliases.push(Alias {
                name: n.clone(),
                root: "self".to_owned(),
                binder: Binder::Item,
            });
            self.item(ItemKind::Module { name: n.clone() });
        }
        match toks.get(after) {
            Some(t) if t.is_punct(';') => {
                let Some(Context {
                    in_macro,
                    inline,
                    gates,
                }) = self.context(own)
                else {
                    return after + 1;
                };
                self.out.mods.push(ModDecl {
                    in_macro,
                    name,
                    inline,
                    paths,
                    gates,
                });
                after + 1
            }
            Some(t) if t.kind == TK::Open(Delim::Brace) => {
                self.open(after, Some(Inline { name, paths }), own, None);
                after + 1
            }
            _ => after,
        }
    }

    /// The path starting at `i`, kept as a candidate when it is called or has several
    /// segments (outside macro bodies: they resolve where invoked). Returns where to go on.
    fn path_candidate(&mut self, i: usize) -> usize {
        let toks = self.toks;
        // cheap shape first: most identifiers start no path of two segments and are not
        // called
        let next = toks.get(i + 1).map(|t| t.kind);
        if !matches!(next, Some(TK::PathSep | TK::Open(Delim::Paren))) {
            return i + 1;
        }
        if self.after_path_or_dot(i) || !self.bodies.is_empty() {
            return i + 1;
        }
        let first = toks[i].text(self.src);
        let local = matches!(first, "crate" | "self" | "super")
            || self.local_names.contains(first)
            || (self.local_glob
                && next == Some(TK::Open(Delim::Paren))
                && !walk::KEYWORDS.contains(&first));
        // a path into another crate the rules do not know: bound by a `use`, or written from
        // a crate's name (lower case, two segments or more)
        let external = !local
            && (self.external_names.contains(first)
                || (next == Some(TK::PathSep)
                    && first.starts_with(|c: char| c.is_ascii_lowercase())
                    && !self.known_names.contains(first)
                    && !taxonomy::is_known_root(first)
                    && !matches!(first, "self" | "super" | "crate")));
        if !local && !external {
            return i + 1;
        }
        let mut j = i + 1;
        while toks.get(j).is_some_and(|t| t.kind == TK::PathSep)
            && toks.get(j + 1).is_some_and(|t| t.kind == TK::Ident)
        {
            j += 2;
        }
        let callee = toks
            .get(j)
            .is_some_and(|t| t.kind == TK::Open(Delim::Paren));
        // `fn name(` declares; a path not called counts only where a value can stand
        let declared = callee && self.prev_is(i, &["fn"]);
        let value = callee || self.value_position(i, j);
        if (j > i + 1 || callee)
            && !declared
            && value
            && let Some(ctx) = self.context_id()
        {
            self.candidates.push((i, j, callee, ctx));
        }
        j
    }

    /// The index of the current context in `contexts`, built once per context version;
    /// `None` when nested deeper than [`MAX_INLINE_DEPTH`] inline modules (not followed, and
    /// the file says so).
    fn context_id(&mut self) -> Option<usize> {
        if self.inline.len() > MAX_INLINE_DEPTH {
            self.out.too_deep = true;
            return None;
        }
        if self.context_at != Some(self.version) || self.contexts.is_empty() {
            let inline = (self.inline.iter())
                .map(|m| match &m.name {
                    Name::Literal(n) => n.clone(),
                    Name::Computed => "$".to_owned(),
                })
                .collect();
            let mut gates: Vec<Gate> = self.gates.iter().take(MAX_GATES).cloned().collect();
            gates.sort();
            gates.dedup();
            self.contexts.push((inline, gates));
            self.context_at = Some(self.version);
        }
        Some(self.contexts.len() - 1)
    }

    /// The inline chain (names) of the current module, when it is outside macro bodies,
    /// every name is literal and it is no deeper than [`MAX_INLINE_DEPTH`] (deeper, the file
    /// says it was not followed).
    fn module_chain(&mut self) -> Option<Vec<String>> {
        if !self.bodies.is_empty() {
            return None;
        }
        if self.inline.len() > MAX_INLINE_DEPTH {
            self.out.too_deep = true;
            return None;
        }
        (self.inline.iter())
            .map(|m| match &m.name {
                Name::Literal(n) => Some(n.clone()),
                Name::Computed => None,
            })
            .collect()
    }

    fn item(&mut self, kind: ItemKind) {
        if let Some(inline) = self.module_chain() {
            self.out.items.push(ModItem { inline, kind });
        }
    }

    /// `extern crate ..;` or an `extern` block (its functions are recorded).
    fn extern_item(&mut self, i: usize) -> usize {
        let toks = self.toks;
        if toks
            .get(i + 1)
            .is_some_and(|n| n.is_ident(self.src, "crate"))
        {
            return self.extern_crate(i);
        }
        let mut j = i + 1;
        if toks.get(j).is_some_and(|t| t.kind == TK::Lit) {
            j += 1;
        }
        if !toks
            .get(j)
            .is_some_and(|t| t.kind == TK::Open(Delim::Brace))
        {
            return i + 1;
        }
        let close = (self.m[j] as usize).min(toks.len());
        let mut k = j + 1;
        while k < close {
            match toks[k].kind {
                TK::Open(_) => k = self.m[k] as usize,
                TK::Ident if toks[k].is_ident(self.src, "fn") => {
                    if let Some(n) = toks.get(k + 1).filter(|n| n.kind == TK::Ident) {
                        let name = self.src.ident_at(n.start as usize).to_owned();
                        self.item(ItemKind::Foreign { name });
                    }
                }
                _ => {}
            }
            k += 1;
        }
        // the block's groups are walked as usual (attributes, nested items)
        i + 1
    }

    /// `type NAME = a::b::C;`: binds like a `use`.
    fn type_alias(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let (Some(name), Some(eq)) = (toks.get(i + 1), toks.get(i + 2)) else {
            return i + 1;
        };
        if name.kind != TK::Ident || !eq.is_punct('=') {
            return i + 1;
        }
        let mut j = i + 3;
        let anchored = toks.get(j).is_some_and(|t| t.kind == TK::PathSep);
        j += usize::from(anchored);
        let mut segs = Vec::new();
        while let Some(t) = toks.get(j).filter(|t| t.kind == TK::Ident) {
            segs.push(self.src.ident_at(t.start as usize).to_owned());
            if !toks.get(j + 1).is_some_and(|n| n.kind == TK::PathSep) {
                break;
            }
            j += 2;
        }
        if !segs.is_empty() {
            let alias = self.src.ident_at(name.start as usize).to_owned();
            let public = self.prev_is(i, &["pub"]);
            self.item(ItemKind::Use {
                alias,
                segs,
                anchored,
                public,
            });
        }
        i + 3
    }

    /// The refs of the candidates (paths that leave the file), with place and segments.
    fn finish_refs(&mut self) {
        let toks = self.toks;
        let src = self.src;
        for &(start, end, callee, ctx) in &self.candidates {
            let segs: Vec<String> = (start..end)
                .step_by(2)
                .map(|k| src.ident_at(toks[k].start as usize).to_owned())
                .collect();
            let (inline, gates) = self.contexts[ctx].clone();
            let glob_only = segs.len() == 1
                && !self.local_names.contains(segs[0].as_str())
                && !self.external_names.contains(segs[0].as_str());
            self.out.refs.push(LocalRef {
                at: RefAt::Offset(toks[start].start),
                segs,
                callee,
                inline,
                gates,
                glob_only,
            });
        }
    }

    /// `macro_rules! name { .. }` at `i`: its body declares what it declares where the
    /// macro is invoked.
    fn macro_rules(&mut self, i: usize) -> usize {
        let toks = self.toks;
        match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
            (Some(bang), Some(name), Some(body))
                if bang.is_punct('!')
                    && name.kind == TK::Ident
                    && matches!(body.kind, TK::Open(_)) =>
            {
                let name = self.src.ident_at(name.start as usize).to_owned();
                self.open(i + 3, None, Vec::new(), Some(name));
                i + 4
            }
            _ => i + 1,
        }
    }

    /// `name!(..)` or `path::name!(..)` at `i`.
    fn invocation(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let is_call = toks.get(i + 1).is_some_and(|n| n.is_punct('!'))
            && toks
                .get(i + 2)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
            && !(i > 0 && toks[i - 1].is_punct('$'));
        if !is_call {
            return i + 1;
        }
        let name = self.src.ident_at(toks[i].start as usize);
        if !self.seen.insert((name, self.version)) {
            return i + 2;
        }
        let Some(Context {
            in_macro,
            inline,
            gates,
        }) = self.context(Vec::new())
        else {
            return i + 2;
        };
        self.out.invocations.push(Invocation {
            in_macro,
            name: name.to_owned(),
            inline,
            gates,
        });
        i + 2
    }

    /// `include!(..)` at `i` (also `std::include!`, `::core::include!`).
    fn include(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let qualified_by_std = i >= 2
            && toks[i - 1].kind == TK::PathSep
            && matches!(toks[i - 2].text(self.src), "std" | "core");
        if self.raw(i)
            || (self.after_path_or_dot(i) && !qualified_by_std)
            || !toks.get(i + 1).is_some_and(|n| n.is_punct('!'))
            || !toks
                .get(i + 2)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
        {
            return i + 1;
        }
        let close = (self.m[i + 2] as usize).min(toks.len());
        let arg = include_arg(&toks[i + 3..close], self.src);
        let Some(Context {
            in_macro,
            inline,
            gates,
        }) = self.context(Vec::new())
        else {
            return i + 3;
        };
        self.out.includes.push(Include {
            in_macro,
            arg,
            inline,
            gates,
        });
        i + 3
    }

    fn use_item(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let mut j = i + 1;
        let anchored = toks.get(j).is_some_and(|n| n.kind == TK::PathSep);
        j += usize::from(anchored);
        let chain = self.module_chain();
        let public = self.prev_is(i, &["pub"]);
        let aliases = &mut self.out.aliases;
        let items = &mut self.out.items;
        use_tokens::read(toks, self.m, &mut j, self.src, &mut |leaf| match leaf {
            Leaf::Name { alias, segs } => {
                let root = match segs.first() {
                    Some(&("crate" | "self" | "super" | "$crate")) if !anchored => "self",
                    Some(root) => root,
                    None => return,
                };
                aliases.push(Alias {
                    name: alias.to_owned(),
                    root: root.to_owned(),
                    binder: Binder::Use,
                });
                if let Some(inline) = &chain {
                    items.push(ModItem {
                        inline: inline.clone(),
                        kind: ItemKind::Use {
                            alias: alias.to_owned(),
                            segs: segs.iter().map(|s| (*s).to_owned()).collect(),
                            anchored,
                            public,
                        },
                    });
                }
            }
            Leaf::Glob { segs } => {
                if let Some(inline) = &chain {
                    items.push(ModItem {
                        inline: inline.clone(),
                        kind: ItemKind::Glob {
                            segs: segs.iter().map(|s| (*s).to_owned()).collect(),
                            anchored,
                            public,
                        },
                    });
                }
            }
        });
        j
    }

    /// `extern crate name as alias;`.
    fn extern_crate(&mut self, i: usize) -> usize {
        let toks = self.toks;
        let src = self.src;
        if !toks.get(i + 1).is_some_and(|n| n.is_ident(src, "crate")) {
            return i + 1;
        }
        let Some(name) = toks.get(i + 2).filter(|n| n.kind == TK::Ident) else {
            return i + 2;
        };
        let name = src.ident_at(name.start as usize);
        let alias = match (toks.get(i + 3), toks.get(i + 4)) {
            (Some(a), Some(n)) if a.is_ident(src, "as") && n.kind == TK::Ident => {
                src.ident_at(n.start as usize)
            }
            _ => name,
        };
        let root = if name == "self" { "self" } else { name };
        if name == "self" && alias != "self" {
            self.out.self_names.push(alias.to_owned());
        }
        self.out.aliases.push(Alias {
            name: alias.to_owned(),
            root: root.to_owned(),
            binder: Binder::Item,
        });
        i + 3
    }
}

/// A `use` or alias path starting here points into the crate.
fn is_local_root(first: &str, anchored: bool) -> bool {
    !anchored && matches!(first, "crate" | "self" | "super" | "$crate")
}

/// `forbid(.., unsafe_code, ..)`.
fn forbids_unsafe(content: &[Tok], src: &Src<'_>) -> bool {
    content.first().is_some_and(|t| t.is_ident(src, "forbid"))
        && content
            .get(1)
            .is_some_and(|t| t.kind == TK::Open(Delim::Paren))
        && content[2..].iter().any(|t| t.is_ident(src, "unsafe_code"))
}

/// What the tokens between `include!(` and `)` name.
fn include_arg(args: &[Tok], src: &Src<'_>) -> IncludeArg {
    let written = || match (args.first(), args.last()) {
        (Some(a), Some(b)) => shorten(&src.text[a.start as usize..b.end as usize]),
        _ => String::new(),
    };
    if let [lit] = args
        && lit.kind == TK::Lit
        && let Some(path) = string_value(lit.text(src))
    {
        return IncludeArg::Relative(path);
    }
    // concat!(env!("CARGO_MANIFEST_DIR"), "/src/x.rs") and the like, macros written bare or
    // as `core::concat!`, `::std::env!`
    let Some((inner, _)) = builtin_call(args, 0, "concat", src) else {
        return IncludeArg::Computed(written());
    };
    let mut base = None;
    let mut path = String::new();
    let mut k = 0;
    while k < inner.len() {
        let t = inner[k];
        if let Some((var, next)) = builtin_call(inner, k, "env", src) {
            if k != 0 {
                return IncludeArg::Computed(written());
            }
            base = Some(match var {
                [v] => string_value(v.text(src)).unwrap_or_default(),
                _ => String::new(),
            });
            k = next;
            continue;
        }
        match t.kind {
            TK::Lit => match string_value(t.text(src)) {
                Some(s) => path.push_str(&s),
                None => return IncludeArg::Computed(written()),
            },
            TK::Punct(b',') => {}
            _ => return IncludeArg::Computed(written()),
        }
        k += 1;
    }
    match base.as_deref() {
        None => IncludeArg::Relative(path),
        Some("CARGO_MANIFEST_DIR") => {
            IncludeArg::CrateRoot(path.trim_start_matches('/').to_owned())
        }
        Some("OUT_DIR") => IncludeArg::OutDir(written()),
        Some(_) => IncludeArg::Computed(written()),
    }
}

/// `name!(..)`, `std::name!(..)`, `::core::name!(..)` starting at `toks[k]`: the tokens
/// inside the group, and the index after it.
fn builtin_call<'t>(
    toks: &'t [Tok],
    mut k: usize,
    name: &str,
    src: &Src<'_>,
) -> Option<(&'t [Tok], usize)> {
    if toks.get(k)?.kind == TK::PathSep {
        k += 1;
    }
    if toks.get(k + 1).is_some_and(|t| t.kind == TK::PathSep)
        && toks
            .get(k)
            .is_some_and(|t| matches!(t.text(src), "std" | "core"))
    {
        k += 2;
    }
    if !(toks.get(k)?.is_ident(src, name) && toks.get(k + 1)?.is_punct('!')) {
        return None;
    }
    let open = k + 2;
    if !matches!(toks.get(open)?.kind, TK::Open(_)) {
        return None;
    }
    let close = matching_close(toks, open);
    Some((&toks[open + 1..close], close + 1))
}

/// The index of the token closing the group opened at `open` (or the end).
fn matching_close(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            TK::Open(_) => depth += 1,
            TK::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    toks.len()
}
