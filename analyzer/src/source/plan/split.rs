//! Where items, statements and block items end, and which of them to cut: every one that
//! holds no token the planner marked as a trigger, with the headers of kept containers
//! (inline modules, relevant impl and trait blocks, functions) kept and their bodies split.

use super::macro_bodies::{invocation, macro_body, opaque_to_syn};
use super::names::{MAX_MOD_DEPTH, after_dot_or_quote};
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok};
use crate::source::token_engine::walk;
use crate::taxonomy;

/// Splits items and collects the byte ranges to blank.
pub(super) struct Split<'a, 's> {
    pub toks: &'a [Tok],
    pub close: &'a [u32],
    pub src: &'a Src<'s>,
    /// [`Names::triggers`] of every token.
    pub triggers: &'a [bool],
    /// `candidates[k]`: how many of `toks[..k]` were triggers before the macro bodies were
    /// settled, or name an attribute rule ([`attribute_rule`]): settling only clears
    /// triggers, so a range with none holds no trigger, whatever its shape.
    pub candidates: &'a [u32],
    pub cuts: Vec<(usize, usize)>,
    /// The bodies to leave out of syn's text (see [`super::Lifted`]): the indexes of their
    /// opening and closing delimiters.
    pub lifts: Vec<(usize, usize)>,
}

/// The lengths of the attribute rules' names, as bits: most identifiers fail this test.
const ATTR_LENGTHS: u64 = {
    let mut bits = 0u64;
    let mut k = 0;
    while k < taxonomy::RULE_ATTRS.len() {
        bits |= 1 << taxonomy::RULE_ATTRS[k].len();
        k += 1;
    }
    bits
};

/// Whether `t` names an attribute rule (`no_mangle`, `link`, ...).
#[inline]
pub(super) fn attribute_rule(t: &Tok, src: &Src<'_>) -> bool {
    let len = (t.end - t.start) as usize;
    t.kind == TK::Ident
        && len < 64
        && ATTR_LENGTHS & (1 << len) != 0
        && taxonomy::RULE_ATTRS.contains(&t.text(src))
}

impl Split<'_, '_> {
    /// The items in `toks[start..end]`; `gap` is the byte where the text before the first one
    /// starts (its comments go with it).
    pub fn items(&mut self, start: usize, end: usize, mut gap: usize, depth: usize) {
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
                TK::Punct(b'#')
                    if t.get(k + 1)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Bracket)) =>
                {
                    k = self.close[k + 1] as usize + 1;
                }
                TK::Open(_) if not_a_block(k) => {
                    if invocation(t, k) {
                        match self.inert_body(k) {
                            Some(cut) => self.cuts.push(cut),
                            None => self.macro_items(k),
                        }
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

    /// The text inside the delimiters of the invocation whose body opens at `open`, when
    /// neither its path nor its body holds a candidate (`assert!(n > 0)`, `format!("{x}")`
    /// in a kept statement): blanked, the invocation stays a macro syn keeps opaque, whose
    /// empty body the syn pass reads as no expression, and what it held could produce no
    /// finding wherever the invocation stands, as a cut statement could not.
    fn inert_body(&self, open: usize) -> Option<(usize, usize)> {
        let t = self.toks;
        let close = self.close[open] as usize;
        // the path's first token: `a::b::m!`, `::m!`
        let mut first = open - 2;
        while first >= 2 && t[first - 1].kind == TK::PathSep && t[first - 2].kind == TK::Ident {
            first -= 2;
        }
        if first >= 1 && t[first - 1].kind == TK::PathSep {
            first -= 1;
        }
        let count = |k: usize| self.candidates[k.min(t.len())];
        (close > open + 1 && count(close + 1) == count(first))
            .then(|| (t[open].end as usize, t[close].start as usize))
    }

    /// The items of the body opening at `open` of a macro syn certainly leaves to the token
    /// scanner (see [`opaque_to_syn`]), kept or cut one by one, unless the macro's name
    /// counts (`include_str!`, ...). The first item that makes the body opaque always stays,
    /// so what remains is opaque too, and the body is lifted out of syn's text (the scanner
    /// reads it from the planned text, as it would have). An item ends at its `;` or its closing
    /// brace, where the scanner's state does not carry over: a path or keyword after a cut
    /// sees a `;`, `}` or `]` before it, as it did, and every look-ahead, attribute extent,
    /// `use` and `extern` block stays inside its item.
    fn macro_items(&mut self, open: usize) {
        let t = self.toks;
        let end = self.close[open] as usize;
        if self.triggers[open - 2] || !opaque_to_syn(t, self.close, open + 1, end, self.src) {
            return;
        }
        self.lifts.push((open, end));
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
                TK::Punct(b'#') => {
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
                TK::Punct(b';') => return j + 1,
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
            TK::Punct(b'#') | TK::PathSep => true,
            _ => false,
        }
    }

    /// The body's opening brace when `toks[i..e]` is `attrs vis mod name { .. }`.
    fn inline_mod(&self, i: usize, e: usize) -> Option<usize> {
        let t = self.toks;
        let mut j = i;
        while j < e {
            match t[j].kind {
                TK::Punct(b'#') => {
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
        let count = |k: usize| self.candidates[k.min(t.len())];
        if count(e) == count(i) {
            return false;
        }
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
                TK::Punct(b'#') => {
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
                        || (k < attr_end
                            && taxonomy::RULE_ATTRS.contains(&t[k].text(self.src))))
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
                TK::Punct(b'#')
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
                        TK::Punct(b'=' | b';') => break,
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
