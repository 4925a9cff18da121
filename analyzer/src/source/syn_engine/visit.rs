//! The syn pass: exact findings (origin `Syntax`), test-code tracking, and the hand-off of
//! opaque macro bodies to the token scanner.
//!
//! Every path resolves in the scope of the module being walked: entering an inline
//! `mod x { .. }` switches to the scope the collector opened for it (found by the offset of its
//! `mod` keyword), and macro bodies handed to the token scanner carry that scope along.

use proc_macro2::Span;
use risk_report::facts::{Kind, Origin};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Expr, ExprCall, ExprPath, ExprUnsafe, ForeignItem, ForeignItemStatic, ImplItem,
    ImplItemFn, Item, ItemFn, ItemForeignMod, ItemImpl, ItemMacro, ItemMod, ItemStatic, ItemTrait,
    Local, Macro, Pat, Safety, StaticMutability, Token, TraitItem, TraitItemFn, Type,
};

use super::depth::MAX_VISIT_DEPTH;
use super::{Lifted, collect};
use crate::gates::{Gate, GateStack};
use crate::source::attrs;
use crate::source::lex::lexer;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{TK, Tok};
use crate::source::out::{Out, shorten};
use crate::source::resolve::imports::{Imports, MacroHit, ROOT, Resolver, ScopeId};
use crate::source::token_engine::expand::Macros;
use crate::source::token_engine::rules::{self, Ctx};
use crate::taxonomy;

/// Walks a parsed file. `Err` when the tree is too deep to walk safely.
pub(crate) fn scan_file<'a, 's>(
    file: &syn::File,
    src: &'a Src<'s>,
    macros: Option<&'a Macros<'s>>,
    lifted: Option<Lifted<'a, 's>>,
    out: &'a mut Out,
) -> Result<(), String> {
    let lifted = lifted.unwrap_or(Lifted { src, bodies: &[] });
    let imports = collect::imports(file, src, lifted)?;
    let mut v = Scanner {
        src,
        lifted,
        macros,
        imports: &imports,
        scope: ROOT,
        out,
        gates: GateStack::default(),
        depth: 0,
        too_deep: false,
        segs: Vec::new(),
        buf: Vec::new(),
        self_ty: Vec::new(),
        toks: Vec::new(),
    };
    v.with_attrs(&file.attrs, |v| v.visit_file(file));
    if v.too_deep {
        return Err(format!("syntax tree deeper than {MAX_VISIT_DEPTH}"));
    }
    Ok(())
}

struct Scanner<'a, 's> {
    src: &'a Src<'s>,
    lifted: Lifted<'a, 's>,
    /// The file's macros that splice their arguments (see `expand.rs`).
    macros: Option<&'a Macros<'s>>,
    imports: &'a Imports<'s>,
    /// The module being walked: paths resolve in its scope.
    scope: ScopeId,
    out: &'a mut Out,
    /// The gates of the enclosing items (see `crate::gates`).
    gates: GateStack,
    depth: u32,
    too_deep: bool,
    segs: Vec<&'s str>,
    buf: Vec<&'s str>,
    /// Self types of the enclosing impl blocks (`None`: a trait, or a type that is no path).
    self_ty: Vec<Option<SelfTy<'s>>>,
    /// Reused token buffer for attributes and macro bodies.
    toks: Vec<Tok>,
}

impl<'a, 's> Scanner<'a, 's> {
    fn emit(&mut self, span: Span, kind: Kind, detail: Option<String>) {
        let lc = span.start();
        self.out.push(
            self.src.report_line(lc.line as u32),
            lc.column as u32 + 1,
            kind,
            detail,
            Origin::Syntax,
            self.gates.ids(),
        );
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_VISIT_DEPTH {
            self.too_deep = true;
        }
        !self.too_deep
    }

    /// Lexes an attribute's source range; returns the tokens between `[` and `]`.
    fn attr_tokens(&mut self, attr: &Attribute) -> std::ops::Range<usize> {
        let start = self.src.span_offset(attr.pound_token.spans[0]);
        let end = self.src.span_offset(attr.bracket_token.span.close()) + 1;
        self.toks.clear();
        lexer::lex(self.src, start, end, &mut self.toks);
        let open = self
            .toks
            .iter()
            .position(|t| matches!(t.kind, TK::Open(_)))
            .map_or(self.toks.len(), |p| p + 1);
        let close = if self
            .toks
            .last()
            .is_some_and(|t| matches!(t.kind, TK::Close(_)))
        {
            self.toks.len() - 1
        } else {
            self.toks.len()
        };
        open.min(close)..close
    }

    /// The gate an attribute puts on its item, if any.
    fn gate(&mut self, attr: &Attribute) -> Option<Gate> {
        let path = attr.path();
        let first = path.segments.first()?;
        if path.segments.len() == 1 && path.leading_colon.is_none() {
            if first.ident == "cfg" {
                // cheap test first: only a predicate naming `test` or `doctest` is a gate
                let start = self.src.span_offset(attr.pound_token.spans[0]);
                let end = self.src.span_offset(attr.bracket_token.span.close());
                if !self
                    .src
                    .text
                    .get(start..end)
                    .is_some_and(|t| t.contains("test"))
                {
                    return None;
                }
                let range = self.attr_tokens(attr);
                return attrs::gate(&self.toks[range], self.src);
            }
            if attrs::is_builtin(&first.ident.to_string()) {
                return None;
            }
        }
        let segs = (path.segments.iter())
            .map(|s| self.src.ident(&s.ident).to_owned())
            .collect();
        let gate = attrs::attr_gate(segs, path.leading_colon.is_some())?;
        Some(self.imports.at(self.scope).bind(gate))
    }

    /// Runs `f` with the gates of `attrs` added to those of the enclosing items.
    fn with_attrs(&mut self, attrs: &[Attribute], f: impl FnOnce(&mut Self)) {
        let depth = self.gates.len();
        for a in attrs {
            if let Some(id) = self.gate(a).and_then(|g| self.out.gates.id(g)) {
                self.gates.push(id);
            }
        }
        f(self);
        self.gates.truncate(depth);
    }

    /// Resolves and classifies an expression path; `callee` when it is called.
    fn path(&mut self, path: &syn::Path, callee: bool) {
        self.qualified_path(None, path, callee);
    }

    /// [`Self::path`] for `<T>::rest` too (`qself` is `T` when the path is written after it):
    /// `<std::net::TcpStream>::connect` is `std::net::TcpStream::connect`. `Self::rest` in an
    /// impl block is the impl's self type followed by `rest`.
    fn qualified_path(&mut self, qself: Option<&syn::Path>, path: &syn::Path, callee: bool) {
        let mut segs = std::mem::take(&mut self.segs);
        segs.clear();
        let mut leading = path.leading_colon.is_some();
        if let Some(q) = qself {
            segs.extend(q.segments.iter().map(|s| self.src.ident(&s.ident)));
            leading = q.leading_colon.is_some();
        }
        segs.extend(path.segments.iter().map(|s| self.src.ident(&s.ident)));
        if segs.len() > 1
            && segs[0] == "Self"
            && let Some(Some(ty)) = self.self_ty.last()
        {
            segs.splice(0..1, ty.segs.iter().copied());
            leading = ty.leading;
        }
        // the first segment as written: the qualified self's when there is one
        let written = qself.unwrap_or(path);
        let span = match (&written.leading_colon, written.segments.first()) {
            (Some(c), _) => c.spans[0],
            (None, Some(s)) => s.ident.span(),
            (None, None) => Span::call_site(),
        };
        let mut buf = std::mem::take(&mut self.buf);
        let imports = self.imports.at(self.scope);
        if let Some(entry) = imports.classify(&segs, leading, callee, &mut buf) {
            let detail = buf.join("::");
            self.emit(span, entry.kind, Some(detail));
        } else if callee && imports.calls_extern_fn(&segs) {
            let detail = format!("extern fn {}", segs.join("::"));
            self.emit(span, Kind::Ffi, Some(detail));
        }
        self.segs = segs;
        self.buf = buf;
    }

    /// Body of a macro syn keeps opaque, through the token scanner.
    fn macro_tokens(&mut self, mac: &Macro) {
        let Some((mut toks, src)) = self.body_tokens(mac) else {
            return;
        };
        let ctx = body_ctx(src, self.imports.at(self.scope), &self.gates, &self.self_ty);
        rules::scan(
            &toks,
            &Ctx {
                macros: self.macros,
                ..ctx
            },
            self.out,
        );
        toks.clear();
        self.toks = toks;
    }

    /// An invocation of one of the file's splicing macros, expanded and scanned here.
    fn expansion(&mut self, macros: &Macros<'s>, mac: &Macro) {
        let Some((mut args, src)) = self.body_tokens(mac) else {
            return;
        };
        let name = self.src.ident(&mac.path.segments[0].ident);
        let ctx = body_ctx(src, self.imports.at(self.scope), &self.gates, &self.self_ty);
        let ctx = Ctx {
            macros: Some(macros),
            ..ctx
        };
        rules::scan_invocation(macros, name, &args, &ctx, self.out);
        args.clear();
        self.toks = args;
    }

    /// Where the text between a macro's delimiters is (see [`Lifted::body`]).
    fn body(&self, mac: &Macro) -> (&'a Src<'s>, usize, usize) {
        self.lifted.body(self.src, mac)
    }

    /// Whether syn saw the macro's body (the fast path lifts some out of its text).
    fn lifted(&self, mac: &Macro) -> bool {
        self.lifted.lifted(self.src, mac)
    }

    /// The tokens between a macro's delimiters (in the scanner's reused buffer) and the text
    /// they are in; `None` when there are none.
    fn body_tokens(&mut self, mac: &Macro) -> Option<(Vec<Tok>, &'a Src<'s>)> {
        let (src, start, end) = self.body(mac);
        if start >= end {
            return None;
        }
        let mut toks = std::mem::take(&mut self.toks);
        toks.clear();
        lexer::lex(src, start, end, &mut toks);
        Some((toks, src))
    }

    fn include_detail(&self, mac: &Macro) -> Option<String> {
        if !self.lifted(mac)
            && let Ok(lit) = mac.parse_body::<syn::LitStr>()
        {
            return Some(lit.value());
        }
        let (src, start, end) = self.body(mac);
        src.text.get(start..end).map(shorten)
    }
}

/// Where a macro body's tokens are scanned: the scope, gates and impl self type of the code
/// around it (no splicing macros: the caller adds them).
fn body_ctx<'c, 's>(
    src: &'c Src<'s>,
    imports: Resolver<'c, 's>,
    gates: &'c GateStack,
    self_ty: &'c [Option<SelfTy<'s>>],
) -> Ctx<'c, 's> {
    let self_ty = match self_ty.last() {
        Some(Some(ty)) => (&ty.segs[..], ty.leading),
        _ => (&[][..], false),
    };
    Ctx {
        src,
        imports,
        origin: Origin::MacroTokens,
        gates: gates.ids(),
        self_ty,
        modules: None,
        macros: None,
        depth: 0,
    }
}

/// The impl block's self type, as written (`TcpStream`, `std::net::TcpStream`).
struct SelfTy<'s> {
    segs: Vec<&'s str>,
    leading: bool,
}

/// For an expression path: `Some(None)` for a plain path, `Some(Some(T))` for `<T>::rest`
/// with `T` a plain path (`<T as Trait>::rest` is written as the path `Trait::rest`, which
/// resolves as it is), `None` for a qualified self that is not a path (`<[u8]>::len`).
fn qself_path(p: &ExprPath) -> Option<Option<&syn::Path>> {
    let Some(q) = &p.qself else {
        return Some(None);
    };
    if q.position > 0 {
        return Some(None);
    }
    match &*q.ty {
        Type::Path(tp) if tp.qself.is_none() => Some(Some(&tp.path)),
        _ => None,
    }
}

fn safety_span(safety: &Safety) -> Option<Span> {
    match safety {
        Safety::Unsafe(t) => Some(t.span),
        _ => None,
    }
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Scanner<'_, '_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if self.enter() {
            self.with_attrs(item_attrs(item), |s| visit::visit_item(s, item));
        }
        self.depth -= 1;
    }

    fn visit_impl_item(&mut self, item: &'ast ImplItem) {
        let attrs: &[Attribute] = match item {
            ImplItem::Const(i) => &i.attrs,
            ImplItem::Fn(i) => &i.attrs,
            ImplItem::Type(i) => &i.attrs,
            ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        self.with_attrs(attrs, |s| visit::visit_impl_item(s, item));
    }

    fn visit_trait_item(&mut self, item: &'ast TraitItem) {
        let attrs: &[Attribute] = match item {
            TraitItem::Const(i) => &i.attrs,
            TraitItem::Fn(i) => &i.attrs,
            TraitItem::Type(i) => &i.attrs,
            TraitItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        self.with_attrs(attrs, |s| visit::visit_trait_item(s, item));
    }

    fn visit_foreign_item(&mut self, item: &'ast ForeignItem) {
        let attrs: &[Attribute] = match item {
            ForeignItem::Fn(i) => &i.attrs,
            ForeignItem::Static(i) => &i.attrs,
            ForeignItem::Type(i) => &i.attrs,
            ForeignItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        self.with_attrs(attrs, |s| visit::visit_foreign_item(s, item));
    }

    fn visit_local(&mut self, local: &'ast Local) {
        self.with_attrs(&local.attrs, |s| visit::visit_local(s, local));
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        if self.enter() {
            visit::visit_expr(self, e);
        }
        self.depth -= 1;
    }

    fn visit_type(&mut self, t: &'ast Type) {
        if self.enter() {
            visit::visit_type(self, t);
        }
        self.depth -= 1;
    }

    fn visit_pat(&mut self, p: &'ast Pat) {
        if self.enter() {
            visit::visit_pat(self, p);
        }
        self.depth -= 1;
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        if let Some(first) = attr.path().segments.first() {
            let id = &first.ident;
            if taxonomy::RULE_ATTRS.iter().any(|a| id == a) || id == "unsafe" || id == "cfg_attr" {
                let range = self.attr_tokens(attr);
                for (kind, detail) in attrs::rules(&self.toks[range], self.src) {
                    self.emit(attr.pound_token.spans[0], kind, detail);
                }
            }
        }
        // `#[doc = include_str!("README.md")]` embeds a file
        visit::visit_attribute(self, attr);
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        let outer = self.scope;
        if m.content.is_some()
            && let Some(scope) = self
                .imports
                .scope_at(self.src.span_offset(m.mod_token.span))
        {
            self.scope = scope;
        }
        visit::visit_item_mod(self, m);
        self.scope = outer;
    }

    fn visit_item_fn(&mut self, f: &'ast ItemFn) {
        if let Some(span) = safety_span(&f.sig.safety) {
            self.emit(span, Kind::UnsafeFn, None);
        }
        visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast ImplItemFn) {
        if let Some(span) = safety_span(&f.sig.safety) {
            self.emit(span, Kind::UnsafeFn, None);
        }
        visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast TraitItemFn) {
        if let Some(span) = safety_span(&f.sig.safety) {
            self.emit(span, Kind::UnsafeFn, None);
        }
        visit::visit_trait_item_fn(self, f);
    }

    fn visit_item_foreign_mod(&mut self, f: &'ast ItemForeignMod) {
        let abi = f
            .abi
            .name
            .as_ref()
            .map_or_else(|| "C".to_string(), |n| n.value());
        self.emit(f.abi.extern_token.span, Kind::ExternBlock, Some(abi));
        visit::visit_item_foreign_mod(self, f);
    }

    fn visit_item_static(&mut self, s: &'ast ItemStatic) {
        if let StaticMutability::Mut(_) = s.mutability {
            self.emit(s.static_token.span, Kind::StaticMut, None);
        }
        visit::visit_item_static(self, s);
    }

    fn visit_foreign_item_static(&mut self, s: &'ast ForeignItemStatic) {
        if let StaticMutability::Mut(_) = s.mutability {
            self.emit(s.static_token.span, Kind::StaticMut, None);
        }
        visit::visit_foreign_item_static(self, s);
    }

    fn visit_expr_unsafe(&mut self, u: &'ast ExprUnsafe) {
        self.emit(u.unsafe_token.span, Kind::UnsafeBlock, None);
        visit::visit_expr_unsafe(self, u);
    }

    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        if let Expr::Path(p) = &*call.func
            && let Some(qself) = qself_path(p)
        {
            for a in call.attrs.iter().chain(&p.attrs) {
                self.visit_attribute(a);
            }
            self.qualified_path(qself, &p.path, true);
            if let Some(q) = &p.qself {
                self.visit_type(&q.ty);
            }
            for arg in &call.args {
                self.visit_expr(arg);
            }
        } else {
            visit::visit_expr_call(self, call);
        }
    }

    fn visit_expr_path(&mut self, p: &'ast ExprPath) {
        if let Some(qself) = qself_path(p) {
            self.qualified_path(qself, &p.path, false);
        }
        visit::visit_expr_path(self, p);
    }

    fn visit_item_impl(&mut self, i: &'ast ItemImpl) {
        if let Some(u) = &i.unsafety {
            self.emit(u.span, Kind::UnsafeImpl, None);
        }
        let ty = match &*i.self_ty {
            Type::Path(tp) if tp.qself.is_none() => Some(SelfTy {
                segs: (tp.path.segments.iter())
                    .map(|s| self.src.ident(&s.ident))
                    .collect(),
                leading: tp.path.leading_colon.is_some(),
            }),
            _ => None,
        };
        self.self_ty.push(ty);
        visit::visit_item_impl(self, i);
        self.self_ty.pop();
    }

    fn visit_item_trait(&mut self, t: &'ast ItemTrait) {
        if let Some(u) = &t.unsafety {
            self.emit(u.span, Kind::UnsafeTrait, None);
        }
        // `Self` in a trait is whatever implements it: unknown
        self.self_ty.push(None);
        visit::visit_item_trait(self, t);
        self.self_ty.pop();
    }

    // A struct literal (`SOCKADDR_IN6 { .. }`) builds data: its path is a type, never a use
    // of the capability; its field values are visited like any expression.

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let name = self.src.ident(&call.method);
        if let Some(method) = self.imports.at(self.scope).method(name) {
            let detail = format!("{}::{name}", method.carriers[0]);
            self.emit(call.method.span(), method.kind, Some(detail));
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_item_macro(&mut self, m: &'ast ItemMacro) {
        if m.ident.is_some() && m.mac.path.is_ident("macro_rules") {
            for a in &m.attrs {
                self.visit_attribute(a);
            }
            self.macro_tokens(&m.mac);
        } else {
            visit::visit_item_macro(self, m);
        }
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        let mut segs = std::mem::take(&mut self.segs);
        segs.clear();
        segs.extend(mac.path.segments.iter().map(|s| self.src.ident(&s.ident)));
        let leading = mac.path.leading_colon.is_some();
        let span = match (&mac.path.leading_colon, mac.path.segments.first()) {
            (Some(c), _) => c.spans[0],
            (None, Some(s)) => s.ident.span(),
            (None, None) => mac.bang_token.spans[0],
        };
        let hit = self.imports.at(self.scope).resolve_macro(&segs, leading);
        if let Some(macros) = self.macros
            && let [name] = segs[..]
            && !leading
            && macros.defines(name)
        {
            self.expansion(macros, mac);
        }
        self.segs = segs;
        if let Some(hit) = hit {
            let detail = match &hit {
                MacroHit::InlineAsm(path) => Some(path.clone()),
                _ => self.include_detail(mac),
            };
            self.emit(span, hit.kind(), detail);
            return;
        }
        // not a call: a glob of a whole crate never supplies a macro name
        self.path(&mac.path, false);
        if self.lifted(mac) {
            // a body syn would not parse as expressions
            self.macro_tokens(mac);
            return;
        }
        match mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            Ok(args) => {
                for arg in &args {
                    self.visit_expr(arg);
                }
            }
            Err(_) => self.macro_tokens(mac),
        }
    }
}
