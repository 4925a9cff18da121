//! First pass over a syn tree: the import map and the names the file declares.

use syn::visit::{self, Visit};
use syn::{ForeignItemFn, ForeignItemStatic, Item, ItemExternCrate, ItemUse, PatIdent, UseTree};

use super::Src;
use super::imports::Imports;
use super::visit::MAX_VISIT_DEPTH;

pub(crate) fn imports<'s>(file: &syn::File, src: &Src<'s>) -> Result<Imports<'s>, String> {
    let mut c = Collector {
        src,
        imports: Imports::default(),
        depth: 0,
        too_deep: false,
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
    depth: u32,
    too_deep: bool,
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
            UseTree::Glob(_) => self.imports.add_glob(prefix.clone(), anchored),
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
                    .add_use(alias.unwrap_or(last), prefix.to_vec(), anchored);
            }
        } else {
            let mut segs = prefix.to_vec();
            segs.push(name);
            self.imports.add_use(alias.unwrap_or(name), segs, anchored);
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
            let name = match item {
                Item::Mod(i) => Some(&i.ident),
                Item::Fn(i) => Some(&i.sig.ident),
                Item::Struct(i) => Some(&i.ident),
                Item::Enum(i) => Some(&i.ident),
                Item::Union(i) => Some(&i.ident),
                Item::Trait(i) => Some(&i.ident),
                Item::TraitAlias(i) => Some(&i.ident),
                Item::Type(i) => Some(&i.ident),
                Item::Const(i) => Some(&i.ident),
                Item::Static(i) => Some(&i.ident),
                Item::Macro(i) => i.ident.as_ref(),
                _ => None,
            };
            if let Some(name) = name {
                let name = self.src.ident(name);
                self.imports.add_local(name);
            }
            visit::visit_item(self, item);
        }
        self.depth -= 1;
    }

    fn visit_item_use(&mut self, u: &'ast ItemUse) {
        let mut prefix = Vec::new();
        self.use_tree(&u.tree, &mut prefix, u.leading_colon.is_some());
    }

    fn visit_item_extern_crate(&mut self, e: &'ast ItemExternCrate) {
        let name = self.src.ident(&e.ident);
        let alias = e.rename.as_ref().map_or(name, |(_, a)| self.src.ident(a));
        if name == "self" {
            self.imports.add_local(alias);
        } else {
            self.imports.add_use(alias, vec![name], true);
        }
    }

    fn visit_foreign_item_fn(&mut self, f: &'ast ForeignItemFn) {
        let name = self.src.ident(&f.sig.ident);
        self.imports.add_extern_fn(name);
    }

    fn visit_foreign_item_static(&mut self, s: &'ast ForeignItemStatic) {
        let name = self.src.ident(&s.ident);
        self.imports.add_local(name);
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
