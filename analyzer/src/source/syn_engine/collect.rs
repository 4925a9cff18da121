//! First pass of the syn engine: the import map and the names each module declares, from the
//! syn tree (files syn rejects get theirs from flat tokens: `resolve/from_tokens.rs`).

use syn::visit::{self, Visit};
use syn::{
    ForeignItemFn, ForeignItemStatic, Item, ItemExternCrate, ItemMod, ItemUse, Macro, PatIdent,
    UseTree,
};

use super::Lifted;
use super::depth::MAX_VISIT_DEPTH;
use crate::source::lex::lexer;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, matching};
use crate::source::resolve::imports::{Imports, ROOT, ScopeId};

pub(crate) fn imports<'a, 's>(
    file: &syn::File,
    src: &'a Src<'s>,
    lifted: Lifted<'a, 's>,
) -> Result<Imports<'s>, String> {
    let mut c = Collector {
        src,
        lifted,
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
    /// Macro bodies syn did not see, and where they are.
    lifted: Lifted<'a, 's>,
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
        let (src, start, end) = self.lifted.body(self.src, mac);
        if src
            .text
            .get(start..end)
            .is_some_and(|body| body.contains("extern"))
        {
            let mut toks = std::mem::take(&mut self.toks);
            toks.clear();
            lexer::lex(src, start, end, &mut toks);
            let (imports, scope) = (&mut self.imports, self.scope);
            foreign_fns(&toks, src, |name| imports.add_extern_fn(scope, name));
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

/// Calls `f` with the name of every function declared in an `extern` block of `toks`
/// (`extern "C" { fn abs(x: i32) -> i32; }`), at any nesting depth.
fn foreign_fns<'s>(toks: &[Tok], src: &Src<'s>, mut f: impl FnMut(&'s str)) {
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
