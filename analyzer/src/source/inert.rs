//! Inert items: top-level items that no rule can see into, recognised on proc-macro2 tokens.
//!
//! Generated bindings (windows-sys, linux-raw-sys, bindgen output, lookup tables) are mostly
//! `pub const NAME: u32 = 5u32;`, `pub type A = B;`, plain `#[repr(C)]` structs and big literal
//! arrays. An item is *inert* when it is one of these shapes built only from literals, plain
//! type paths and a short list of harmless attributes. Such an item:
//!
//! - is accepted by syn as exactly one item of its kind (the shapes are a strict subset of the
//!   grammar; `fast.rs` additionally proves that the items around it parse on their own);
//! - produces no finding and no `test_mods` entry: no `unsafe`, `extern`, `static mut`, macro,
//!   expression path, pattern or rule-bearing attribute can occur in it (syn mode classifies
//!   expression paths and macros only, never type paths);
//! - contributes nothing to the import map but its kind, name and visibility (and, for an
//!   enum, its variants' names), which `fast.rs` keeps in a stand-in item.
//!
//! Anything outside the shapes returns `None`, which only costs speed. The grammar here is
//! deliberately small; widen it only with a differential test (`fast_equals_exhaustive`).

use proc_macro2::{Delimiter, Ident, Spacing, TokenTree};

/// Deepest type or expression nesting accepted; far below the visitor's depth bound.
const MAX_DEPTH: usize = 24;

/// Identifiers never accepted as a name or path segment: every keyword, reserved word and
/// contextual keyword (over-strict on purpose).
#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
    "auto", "default", "macro_rules", "raw", "safe", "_",
];

/// Attributes that carry no rule: the item keeps no finding whatever their arguments.
#[rustfmt::skip]
const ATTRS: &[&str] = &[
    "allow", "cfg", "deny", "deprecated", "derive", "doc", "expect", "inline", "must_use",
    "non_exhaustive", "repr", "warn",
];

/// An inert item found at top level: `trees[start..end]`, and what its stand-in needs.
#[derive(Debug)]
pub(crate) struct Inert {
    pub start: usize,
    pub end: usize,
    pub kind: ItemKind,
    pub vis: Vis,
    /// The item's name, then (for an enum) its variants' names, with their spans.
    pub names: Vec<Ident>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Const,
    Static,
    Type,
    Struct,
    Union,
    Enum,
}

/// The item's visibility; the ident is the `pub` token (its span for the stand-in).
#[derive(Debug, Clone)]
pub(crate) enum Vis {
    Inherited,
    Public(Ident),
    /// `pub(crate)`, `pub(super)`, `pub(self)`: the `pub` and the inner word.
    Restricted(Ident, Ident),
}

/// Every inert item among the file's top-level token trees, in order.
pub(crate) fn find(trees: &[TokenTree]) -> Vec<Inert> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        let mut c = Cur {
            t: trees,
            i,
            names: Vec::new(),
        };
        if let Some((kind, vis)) = c.item() {
            out.push(Inert {
                start: i,
                end: c.i,
                kind,
                vis,
                names: c.names,
            });
            i = c.i;
        } else {
            i = next_item_start(trees, i);
        }
    }
    out
}

/// Where the item starting at `i` probably ends: after the next top-level `;` or `{..}`.
/// Only a guess; a wrong guess is caught when the segments between inert items are parsed.
fn next_item_start(trees: &[TokenTree], i: usize) -> usize {
    let mut j = i;
    while j < trees.len() {
        let t = &trees[j];
        j += 1;
        match t {
            TokenTree::Punct(p) if p.as_char() == ';' => return j,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return j,
            _ => {}
        }
    }
    j
}

struct Cur<'a> {
    t: &'a [TokenTree],
    i: usize,
    names: Vec<Ident>,
}

fn word(id: &Ident) -> String {
    id.to_string()
}

fn is_plain(name: &str) -> bool {
    !KEYWORDS.contains(&name) && !name.starts_with("r#") && name.is_ascii()
}

/// The trees inside a group, as a fresh cursor source.
fn inner(t: &TokenTree, delim: Delimiter) -> Option<Vec<TokenTree>> {
    match t {
        TokenTree::Group(g) if g.delimiter() == delim => Some(g.stream().into_iter().collect()),
        _ => None,
    }
}

impl Cur<'_> {
    fn peek(&self) -> Option<&TokenTree> {
        self.t.get(self.i)
    }

    fn done(&self) -> bool {
        self.i >= self.t.len()
    }

    fn ident(&mut self) -> Option<String> {
        match self.peek()? {
            TokenTree::Ident(id) => {
                let w = word(id);
                self.i += 1;
                Some(w)
            }
            _ => None,
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(TokenTree::Ident(id)) if id == kw)
    }

    fn kw(&mut self, kw: &str) -> Option<()> {
        self.is_kw(kw).then(|| self.i += 1)
    }

    /// Whether the punct at `at` is joined to the next one into a token syn reads as one
    /// (`::`, `>=`, `&&`, `->`, ...).
    fn combined(&self, at: usize) -> bool {
        match (self.t.get(at), self.t.get(at + 1)) {
            (Some(TokenTree::Punct(p)), Some(TokenTree::Punct(q))) => {
                p.spacing() == Spacing::Joint && combines(p.as_char(), q.as_char())
            }
            _ => false,
        }
    }

    /// A single-character punctuation that syn reads on its own.
    fn is_punct(&self, c: char) -> bool {
        matches!(self.peek(), Some(TokenTree::Punct(p)) if p.as_char() == c)
            && !self.combined(self.i)
    }

    fn is_punct_char(&self, c: char) -> bool {
        matches!(self.peek(), Some(TokenTree::Punct(p)) if p.as_char() == c)
    }

    fn punct(&mut self, c: char) -> Option<()> {
        self.is_punct(c).then(|| self.i += 1)
    }

    /// A name being declared.
    fn name(&mut self) -> Option<()> {
        let Some(TokenTree::Ident(id)) = self.peek() else {
            return None;
        };
        let id = id.clone();
        if !is_plain(&word(&id)) {
            return None;
        }
        self.i += 1;
        self.names.push(id);
        Some(())
    }

    /// Runs `f` over the contents of the group at the cursor, which it must consume entirely.
    fn group(
        &mut self,
        delim: Delimiter,
        f: impl FnOnce(&mut Cur<'_>) -> Option<()>,
    ) -> Option<()> {
        let trees = inner(self.peek()?, delim)?;
        let mut c = Cur {
            t: &trees,
            i: 0,
            names: Vec::new(),
        };
        f(&mut c)?;
        if !c.done() {
            return None;
        }
        self.names.append(&mut c.names);
        self.i += 1;
        Some(())
    }

    /// Comma-separated list, trailing comma allowed, until the end of the cursor.
    fn list(&mut self, mut f: impl FnMut(&mut Cur<'_>) -> Option<()>) -> Option<()> {
        while !self.done() {
            f(self)?;
            if !self.done() {
                self.punct(',')?;
            }
        }
        Some(())
    }

    fn item(&mut self) -> Option<(ItemKind, Vis)> {
        self.attrs()?;
        let vis = self.vis()?;
        let kind = match word_of(self.peek()?)?.as_str() {
            "const" => ItemKind::Const,
            "static" => ItemKind::Static,
            "type" => ItemKind::Type,
            "struct" => ItemKind::Struct,
            "union" => ItemKind::Union,
            "enum" => ItemKind::Enum,
            _ => return None,
        };
        self.i += 1;
        match kind {
            ItemKind::Const => self.value_item()?,
            ItemKind::Static => {
                if self.is_kw("mut") {
                    return None;
                }
                self.value_item()?;
            }
            ItemKind::Type => {
                self.name()?;
                self.punct('=')?;
                self.ty(0)?;
                self.punct(';')?;
            }
            ItemKind::Struct => {
                self.name()?;
                if self.punct(';').is_none() {
                    if matches!(self.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                    {
                        self.group(Delimiter::Parenthesis, |c| c.list(|c| c.tuple_field()))?;
                        self.punct(';')?;
                    } else {
                        self.group(Delimiter::Brace, |c| c.list(|c| c.named_field()))?;
                    }
                }
            }
            ItemKind::Union => {
                self.name()?;
                self.group(Delimiter::Brace, |c| c.list(|c| c.named_field()))?;
            }
            ItemKind::Enum => {
                self.name()?;
                self.group(Delimiter::Brace, |c| c.list(|c| c.variant()))?;
            }
        }
        Some((kind, vis))
    }

    /// `NAME: TYPE = EXPR;` of a `const` or `static`.
    fn value_item(&mut self) -> Option<()> {
        self.name()?;
        self.punct(':')?;
        self.ty(0)?;
        self.punct('=')?;
        self.expr(0)?;
        self.punct(';')
    }

    fn attrs(&mut self) -> Option<()> {
        while self.is_punct('#') {
            self.i += 1;
            self.group(Delimiter::Bracket, |c| {
                let name = c.ident()?;
                if !ATTRS.contains(&name.as_str()) {
                    return None;
                }
                match c.peek() {
                    None => Some(()),
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                        c.i += 1;
                        Some(())
                    }
                    Some(_) => {
                        c.punct('=')?;
                        match c.peek()? {
                            TokenTree::Literal(_) => {
                                c.i += 1;
                                Some(())
                            }
                            _ => None,
                        }
                    }
                }
            })?;
        }
        Some(())
    }

    /// `pub`, `pub(crate)`, `pub(super)`, `pub(self)` or nothing.
    fn vis(&mut self) -> Option<Vis> {
        let Some(TokenTree::Ident(pub_kw)) = self.peek().filter(|_| self.is_kw("pub")) else {
            return Some(Vis::Inherited);
        };
        let pub_kw = pub_kw.clone();
        self.i += 1;
        if let Some(TokenTree::Group(g)) = self.peek()
            && g.delimiter() == Delimiter::Parenthesis
        {
            let inside: Vec<TokenTree> = g.stream().into_iter().collect();
            return match inside.as_slice() {
                [TokenTree::Ident(id)] if id == "crate" || id == "super" || id == "self" => {
                    self.i += 1;
                    Some(Vis::Restricted(pub_kw, id.clone()))
                }
                _ => None,
            };
        }
        Some(Vis::Public(pub_kw))
    }

    fn named_field(&mut self) -> Option<()> {
        self.attrs()?;
        self.vis()?;
        let n = self.ident()?;
        if !is_plain(&n) {
            return None;
        }
        self.punct(':')?;
        self.ty(0)
    }

    fn tuple_field(&mut self) -> Option<()> {
        self.attrs()?;
        // `pub (..)` is ambiguous with a tuple type: accept only `pub` before a non-group
        if self.is_kw("pub") {
            self.i += 1;
            if matches!(self.peek(), Some(TokenTree::Group(_))) {
                return None;
            }
        }
        self.ty(0)
    }

    fn variant(&mut self) -> Option<()> {
        self.attrs()?;
        self.name()?;
        match self.peek() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                self.group(Delimiter::Parenthesis, |c| c.list(|c| c.tuple_field()))?;
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                self.group(Delimiter::Brace, |c| c.list(|c| c.named_field()))?;
            }
            _ => {}
        }
        if self.punct('=').is_some() {
            self.expr(0)?;
        }
        Some(())
    }

    /// A type: path (with generic arguments), pointer, reference, array, slice or tuple.
    fn ty(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            TokenTree::Punct(p) if p.as_char() == '*' && !self.combined(self.i) => {
                self.i += 1;
                if self.kw("const").is_none() {
                    self.kw("mut")?;
                }
                self.ty(depth + 1)
            }
            TokenTree::Punct(p) if p.as_char() == '&' && !self.combined(self.i) => {
                self.i += 1;
                self.lifetime();
                self.kw("mut");
                self.ty(depth + 1)
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                self.group(Delimiter::Bracket, |c| {
                    c.ty(depth + 1)?;
                    if c.punct(';').is_some() {
                        c.expr(depth + 1)?;
                    }
                    Some(())
                })
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                self.group(Delimiter::Parenthesis, |c| c.list(|c| c.ty(depth + 1)))
            }
            _ => self.type_path(depth),
        }
    }

    /// `'a` (proc-macro2 lexes it as a joint `'` and an identifier).
    fn lifetime(&mut self) -> bool {
        if let (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(id))) =
            (self.t.get(self.i), self.t.get(self.i + 1))
            && p.as_char() == '\''
            && p.spacing() == Spacing::Joint
            && (id == "static" || is_plain(&word(id)))
        {
            self.i += 2;
            return true;
        }
        false
    }

    /// `::`, as two puncts: a joint `:` then an alone one.
    fn path_sep(&mut self) -> bool {
        if let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
            (self.t.get(self.i), self.t.get(self.i + 1))
            && a.as_char() == ':'
            && a.spacing() == Spacing::Joint
            && b.as_char() == ':'
            && !self.combined(self.i + 1)
        {
            self.i += 2;
            return true;
        }
        false
    }

    fn type_path(&mut self, depth: usize) -> Option<()> {
        let leading = self.path_sep();
        let mut first = !leading;
        loop {
            let seg = self.ident()?;
            let root_kw = first && matches!(seg.as_str(), "crate" | "self" | "super" | "Self");
            if !(is_plain(&seg) || root_kw) {
                return None;
            }
            first = seg == "super" && !leading;
            if self.is_punct('<') {
                self.i += 1;
                self.generic_args(depth + 1)?;
            }
            if !self.path_sep() {
                return Some(());
            }
        }
    }

    /// After `<`: arguments up to and including the closing `>`.
    fn generic_args(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        loop {
            if self.close_angle() {
                return Some(());
            }
            if !self.lifetime() {
                match self.peek()? {
                    TokenTree::Literal(_) => self.i += 1,
                    _ => self.ty(depth + 1)?,
                }
            }
            if self.punct(',').is_none() {
                return self.close_angle().then_some(());
            }
        }
    }

    /// The `>` closing generic arguments; syn splits `>>` there, but not `>=`.
    fn close_angle(&mut self) -> bool {
        let Some(TokenTree::Punct(p)) = self.peek() else {
            return false;
        };
        let ok = p.as_char() == '>'
            && !(p.spacing() == Spacing::Joint
                && matches!(self.t.get(self.i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '='));
        if ok {
            self.i += 1;
        }
        ok
    }
}

/// Pairs of characters syn reads as one multi-character punctuation when joined.
fn combines(c: char, d: char) -> bool {
    matches!(
        (c, d),
        (':', ':')
            | ('=', '=' | '>')
            | ('<', '=' | '<' | '-')
            | ('>', '=' | '>')
            | ('&', '&' | '=')
            | ('|', '|' | '=')
            | ('+' | '-' | '*' | '/' | '%' | '^' | '!', '=')
            | ('-', '>')
            | ('.', '.')
    )
}

fn word_of(t: &TokenTree) -> Option<String> {
    match t {
        TokenTree::Ident(id) => Some(word(id)),
        _ => None,
    }
}

mod expr;
#[cfg(test)]
mod tests;
