//! First pass: the import map and the names each module declares, from a syn tree
//! ([`imports`]) or, for files syn could not parse, from flat tokens ([`from_tokens`], one
//! merged scope).

use syn::visit::{self, Visit};
use syn::{
    ForeignItemFn, ForeignItemStatic, Item, ItemExternCrate, ItemMod, ItemUse, Macro, PatIdent,
    UseTree,
};

use super::imports::{Imports, ROOT, ScopeId};
use super::tokens::{self, Delim, TK, Tok, matching};
use super::use_tokens::{self, Leaf};
use super::visit::MAX_VISIT_DEPTH;
use super::{Src, lexer};

pub(crate) fn imports<'s>(file: &syn::File, src: &Src<'s>) -> Result<Imports<'s>, String> {
    let mut c = Collector {
        src,
        imports: Imports::default(),
        scope: ROOT,
        depth: 0,
        too_deep: false,
        toks: Vec::new(),
    };
    c.visit_file(file);
    if c.too_deep {
        return Err(format!("syntax tree deeper than {MAX_VISIT_DEPTH}"));
    }
    c.imports.finish();
    Ok(c.imports)
}

struct Collector<'a, 's> {
    src: &'a Src<'s>,
    imports: Imports<'s>,
    /// The module being walked.
    scope: ScopeId,
    depth: u32,
    too_deep: bool,
    /// Reused token buffer for macro bodies.
    toks: Vec<Tok>,
}

impl<'s> Collector<'_, 's> {
    fn use_tree(&mut self, tree: &UseTree, prefix: &mut Vec<&'s str>, anchored: bool) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(self.src.ident(&p.ident));
                self.use_tree(&p.tree, prefix, anchored);
                prefix.pop();
            }
            UseTree::Name(n) => self.use_leaf(self.src.ident(&n.ident), None, prefix, anchored),
            UseTree::Rename(r) => {
                let alias = self.src.ident(&r.rename);
                self.use_leaf(self.src.ident(&r.ident), Some(alias), prefix, anchored);
            }
            UseTree::Glob(_) => self.imports.add_glob(self.scope, prefix.clone(), anchored),
            UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix, anchored);
                }
            }
        }
    }

    fn use_leaf(
        &mut self,
        name: &'s str,
        alias: Option<&'s str>,
        prefix: &[&'s str],
        anchored: bool,
    ) {
        if name == "self" {
            if let Some(&last) = prefix.last() {
                self.imports
                    .add_use(self.scope, alias.unwrap_or(last), prefix.to_vec(), anchored);
            }
        } else {
            let mut segs = prefix.to_vec();
            segs.push(name);
            self.imports
                .add_use(self.scope, alias.unwrap_or(name), segs, anchored);
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_VISIT_DEPTH {
            self.too_deep = true;
        }
        !self.too_deep
    }
}

impl<'ast> Visit<'ast> for Collector<'_, '_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if self.enter() {
            // (name, in the value namespace); a macro_rules name is a macro only
            let name = match item {
                Item::Mod(i) => Some((&i.ident, false)),
                Item::Fn(i) => Some((&i.sig.ident, true)),
                // a unit or tuple struct is a value too; `locals` covers a name used alone
                Item::Struct(i) => Some((&i.ident, false)),
                Item::Enum(i) => Some((&i.ident, false)),
                Item::Union(i) => Some((&i.ident, false)),
                Item::Trait(i) => Some((&i.ident, false)),
                Item::TraitAlias(i) => Some((&i.ident, false)),
                Item::Type(i) => Some((&i.ident, false)),
                Item::Const(i) => Some((&i.ident, true)),
                Item::Static(i) => Some((&i.ident, true)),
                _ => None,
            };
            if let Some((name, value)) = name {
                let name = self.src.ident(name);
                self.imports.add_local(self.scope, name, value);
            }
            visit::visit_item(self, item);
        }
        self.depth -= 1;
    }

    /// `type Runner = std::process::Command;` binds `Runner` to the path, like a `use`.
    fn visit_item_type(&mut self, t: &'ast syn::ItemType) {
        if let syn::Type::Path(p) = &*t.ty
            && p.qself.is_none()
        {
            let segs: Vec<&str> = (p.path.segments.iter())
                .map(|s| self.src.ident(&s.ident))
                .collect();
            let alias = self.src.ident(&t.ident);
            self.imports
                .add_use(self.scope, alias, segs, p.path.leading_colon.is_some());
        }
        visit::visit_item_type(self, t);
    }

    fn visit_item_use(&mut self, u: &'ast ItemUse) {
        let mut prefix = Vec::new();
        self.use_tree(&u.tree, &mut prefix, u.leading_colon.is_some());
    }

    fn visit_item_extern_crate(&mut self, e: &'ast ItemExternCrate) {
        let name = self.src.ident(&e.ident);
        let alias = e.rename.as_ref().map_or(name, |(_, a)| self.src.ident(a));
        self.imports.add_extern_crate(alias, name);
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        let outer = self.scope;
        if m.content.is_none() {
            visit::visit_item_mod(self, m);
            return;
        }
        let offset = self.src.span_offset(m.mod_token.span);
        let name = self.src.ident(&m.ident);
        self.scope = self.imports.open_scope(outer, name, offset);
        visit::visit_item_mod(self, m);
        self.scope = outer;
    }

    fn visit_foreign_item_fn(&mut self, f: &'ast ForeignItemFn) {
        let name = self.src.ident(&f.sig.ident);
        self.imports.add_extern_fn(self.scope, name);
    }

    fn visit_foreign_item_static(&mut self, s: &'ast ForeignItemStatic) {
        let name = self.src.ident(&s.ident);
        self.imports.add_local(self.scope, name, true);
    }

    /// `extern` blocks inside an opaque macro body (`items! { extern "C" { fn abs(..); } }`)
    /// declare functions of the module the macro is invoked in: calls to them are FFI, in the
    /// macro body and in the rest of the module alike.
    fn visit_macro(&mut self, mac: &'ast Macro) {
        let ds = mac.delimiter.span();
        let start = self.src.span_offset(ds.open()) + 1;
        let end = self.src.span_offset(ds.close());
        if self
            .src
            .text
            .get(start..end)
            .is_some_and(|body| body.contains("extern"))
        {
            let mut toks = std::mem::take(&mut self.toks);
            toks.clear();
            lexer::lex(self.src, start, end, &mut toks);
            let (imports, scope) = (&mut self.imports, self.scope);
            tokens::foreign_fns(&toks, self.src, |name| imports.add_extern_fn(scope, name));
            self.toks = toks;
        }
        visit::visit_macro(self, mac);
    }

    fn visit_pat_ident(&mut self, p: &'ast PatIdent) {
        let name = self.src.ident(&p.ident);
        self.imports.add_binding(name);
        visit::visit_pat_ident(self, p);
    }

    fn visit_expr(&mut self, e: &'ast syn::Expr) {
        if self.enter() {
            visit::visit_expr(self, e);
        }
        self.depth -= 1;
    }

    fn visit_type(&mut self, t: &'ast syn::Type) {
        if self.enter() {
            visit::visit_type(self, t);
        }
        self.depth -= 1;
    }

    fn visit_pat(&mut self, p: &'ast syn::Pat) {
        if self.enter() {
            visit::visit_pat(self, p);
        }
        self.depth -= 1;
    }
}

/// Collects imports and declarations from flat tokens (files syn could not parse), one scope
/// per inline module as the syn collector keeps them (a module's extent is its braces, as far
/// as the tokens of a broken file balance).
pub(crate) fn from_tokens<'s>(toks: &[Tok], src: &Src<'s>) -> Imports<'s> {
    let mut imports = Imports::default();
    let m = matching(toks);
    let mut foreign_until = 0usize;
    // the module being read, and the modules around it: (index of the body's `}`, scope)
    let mut scope = ROOT;
    let mut open: Vec<(usize, ScopeId)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        while let Some((_, outer)) = open.pop_if(|o| o.0 < i) {
            scope = outer;
        }
        let t = toks[i];
        if t.kind != TK::Ident
            || (i > 0 && matches!(toks[i - 1].kind, TK::Punct('.' | '$' | '\'') | TK::PathSep))
        {
            i += 1;
            continue;
        }
        let next_ident = toks
            .get(i + 1)
            .filter(|n| n.kind == TK::Ident)
            .map(|n| n.text(src));
        match t.text(src) {
            "use" => {
                let mut j = i + 1;
                let anchored = toks.get(j).is_some_and(|n| n.kind == TK::PathSep);
                j += usize::from(anchored);
                use_tokens::read(toks, &m, &mut j, src, &mut |leaf| match leaf {
                    Leaf::Name { alias, segs } => {
                        imports.add_use(scope, alias, segs.to_vec(), anchored);
                    }
                    Leaf::Glob { segs } => imports.add_glob(scope, segs.to_vec(), anchored),
                });
                i = j;
                continue;
            }
            "extern" => {
                if next_ident == Some("crate")
                    && let Some(name) = toks.get(i + 2).filter(|n| n.kind == TK::Ident)
                {
                    let name = name.text(src);
                    let alias = match toks.get(i + 3) {
                        Some(a) if a.is_ident(src, "as") => toks
                            .get(i + 4)
                            .filter(|n| n.kind == TK::Ident)
                            .map_or(name, |n| n.text(src)),
                        _ => name,
                    };
                    imports.add_extern_crate(alias, name);
                } else {
                    let j = i + 1 + usize::from(toks.get(i + 1).is_some_and(|n| n.kind == TK::Lit));
                    if toks
                        .get(j)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                    {
                        foreign_until = foreign_until.max(m[j] as usize);
                    }
                }
            }
            "fn" => {
                if let Some(name) = next_ident {
                    if i < foreign_until {
                        imports.add_extern_fn(scope, name);
                    } else {
                        imports.add_local(scope, name, true);
                    }
                }
            }
            "mod"
                if next_ident.is_some()
                    && toks
                        .get(i + 2)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Brace)) =>
            {
                // an inline module: its own scope, as the syn collector opens one
                let name = next_ident.unwrap_or_default();
                imports.add_local(scope, name, false);
                let outer = scope;
                scope = imports.open_scope(outer, name, t.start as usize);
                open.push((m[i + 2] as usize, outer));
                i += 3;
                continue;
            }
            "mod" | "struct" | "enum" | "union" | "trait" | "type" | "const" => {
                if let Some(name) = next_ident {
                    imports.add_local(scope, name, t.text(src) == "const");
                    if t.text(src) == "type" {
                        type_alias(toks, i + 2, name, src, &mut imports, scope);
                    }
                }
            }
            "static" | "let" => {
                let k = i + 1 + usize::from(next_ident == Some("mut"));
                if let Some(name) = toks.get(k).filter(|n| n.kind == TK::Ident) {
                    if t.text(src) == "let" {
                        imports.add_binding(name.text(src));
                    } else {
                        imports.add_local(scope, name.text(src), true);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    imports.finish();
    imports
}

/// `type NAME = a::b::C;` from flat tokens (`j` just after the name): binds `NAME` to the
/// path, like a `use`, as the syn collector does. Generic arguments end the path.
fn type_alias<'s>(
    toks: &[Tok],
    mut j: usize,
    name: &'s str,
    src: &Src<'s>,
    imports: &mut Imports<'s>,
    scope: ScopeId,
) {
    if !toks.get(j).is_some_and(|t| t.is_punct('=')) {
        return;
    }
    j += 1;
    let anchored = toks.get(j).is_some_and(|t| t.kind == TK::PathSep);
    j += usize::from(anchored);
    let mut segs = Vec::new();
    while let Some(t) = toks.get(j).filter(|t| t.kind == TK::Ident) {
        segs.push(t.text(src));
        if !toks.get(j + 1).is_some_and(|n| n.kind == TK::PathSep) {
            break;
        }
        j += 2;
    }
    if !segs.is_empty() {
        imports.add_use(scope, name, segs, anchored);
    }
}
