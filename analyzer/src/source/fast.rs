//! The fast path: syn parses only the items a rule can see into.
//!
//! The file is lexed once with proc-macro2 (what `syn::parse_str` does first anyway). Inert
//! top-level items (`inert.rs`) are cut out of the token stream, and syn parses the rest in
//! segments: the tokens before the first inert item as a `File`, each stretch between two
//! inert items as a sequence of items. In the tree, each inert item is replaced by a stand-in
//! of the same kind, name and visibility with an empty body (`pub struct NAME;`). The facts
//! equal those of the exhaustive path because:
//!
//! 1. **The file parses.** Every segment parsed as whole items, so each cut falls on an item
//!    boundary; an item ends at its `;` or closing brace whatever follows, so the items parse
//!    the same with the inert items between them; and each inert item is an item syn accepts
//!    (its grammar is a subset of syn's). Any doubt (lex error, a segment that fails) sends the
//!    file down the exhaustive path, which then produces syn's own error message.
//! 2. **Same spans.** The tokens keep the spans of the one lexing of the whole text, and the
//!    stand-ins carry the spans of the names they stand for.
//! 3. **Same findings.** The tree differs from syn's only inside inert items: their
//!    attributes, types, literal values and fields, none of which any rule looks at (rules
//!    see expression and macro paths, patterns, `unsafe`/`extern`/`static mut` and a few
//!    attributes, never type paths). What the import map and the visitor see of an inert
//!    item (kind, name, visibility, variant names) is in its stand-in.
//!
//! `fast_equals_exhaustive` (tests) and `examples/fast_check.rs` (real tarballs) check it.

use proc_macro2::{TokenStream, TokenTree};
use risk_report::facts::Parse;
use syn::parse::{ParseStream, Parser};

use super::inert::{self, Inert, ItemKind, Vis};
use super::{Out, Src, visit};

/// Scans `src` with inert items cut out; `None` when the exhaustive path must decide.
pub(crate) fn analyze(src: &Src<'_>, out: &mut Out) -> Option<Parse> {
    let stream: TokenStream = src.text.parse().ok()?;
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let cuts = inert::find(&trees);
    let file = parse_segments(trees, &cuts)?;
    match visit::scan_file(&file, src, out) {
        Ok(()) => {
            drop(file);
            Some(Parse::Parsed)
        }
        Err(_) => {
            // too deep to drop safely, as in the exhaustive path; it decides the facts
            std::mem::forget(file);
            out.findings.clear();
            out.test_mods.clear();
            None
        }
    }
}

/// Parses the trees outside `cuts`: the first stretch as a file, the others as items.
fn parse_segments(trees: Vec<TokenTree>, cuts: &[Inert]) -> Option<syn::File> {
    let mut segments: Vec<Vec<TokenTree>> = vec![Vec::new()];
    let mut next = cuts.iter().peekable();
    for (i, t) in trees.into_iter().enumerate() {
        while next.peek().is_some_and(|c| i >= c.end) {
            next.next();
            segments.push(Vec::new());
        }
        if next.peek().is_some_and(|c| i >= c.start) {
            continue;
        }
        if let Some(seg) = segments.last_mut() {
            seg.push(t);
        }
    }
    // a cut that reaches the end of the file still opens an (empty) segment after it
    while next.next().is_some() {
        segments.push(Vec::new());
    }
    let mut segments = segments.into_iter();
    let first: TokenStream = segments.next()?.into_iter().collect();
    let mut file: syn::File = syn::parse2(first).ok()?;
    for (seg, cut) in segments.zip(cuts) {
        file.items.push(stand_in(cut)?);
        let items = parse_items.parse2(seg.into_iter().collect()).ok()?;
        file.items.extend(items);
    }
    Some(file)
}

/// Items until the end of the stream, as `syn::File` parses them after its inner attributes.
fn parse_items(input: ParseStream<'_>) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

/// An item of the same kind, name and visibility as `cut`, with an empty body: `const N: ()
/// = ();`, `type N = ();`, `struct N;`, `union N {}`, `enum N { A, B }`. Built directly, never
/// parsed; every token carries the span of the name.
fn stand_in(cut: &Inert) -> Option<syn::Item> {
    use syn::{Token, token};
    let (name, variants) = cut.names.split_first()?;
    let sp = name.span();
    let vis = match &cut.vis {
        Vis::Inherited => syn::Visibility::Inherited,
        Vis::Public(p) => syn::Visibility::Public(Token![pub](p.span())),
        Vis::Restricted(p, word) => syn::Visibility::Restricted(syn::VisRestricted {
            pub_token: Token![pub](p.span()),
            paren_token: token::Paren(word.span()),
            in_token: None,
            path: Box::new(syn::Path::from(word.clone())),
        }),
    };
    let unit_ty = || {
        Box::new(syn::Type::Tuple(syn::TypeTuple {
            attrs: Vec::new(),
            paren_token: token::Paren(sp),
            elems: Default::default(),
        }))
    };
    let unit_expr = || {
        Box::new(syn::Expr::Tuple(syn::ExprTuple {
            attrs: Vec::new(),
            paren_token: token::Paren(sp),
            elems: Default::default(),
        }))
    };
    let ident = name.clone();
    Some(match cut.kind {
        ItemKind::Const => syn::Item::Const(syn::ItemConst {
            attrs: Vec::new(),
            vis,
            modifiers: Default::default(),
            const_token: Token![const](sp),
            ident,
            generics: Default::default(),
            colon_token: Token![:](sp),
            ty: unit_ty(),
            eq_token: Token![=](sp),
            expr: unit_expr(),
            semi_token: Token![;](sp),
        }),
        ItemKind::Static => syn::Item::Static(syn::ItemStatic {
            attrs: Vec::new(),
            vis,
            static_token: Token![static](sp),
            mutability: syn::StaticMutability::None,
            ident,
            colon_token: Token![:](sp),
            ty: unit_ty(),
            eq_token: Token![=](sp),
            expr: unit_expr(),
            semi_token: Token![;](sp),
        }),
        ItemKind::Type => syn::Item::Type(syn::ItemType {
            attrs: Vec::new(),
            vis,
            modifiers: Default::default(),
            type_token: Token![type](sp),
            ident,
            generics: Default::default(),
            eq_token: Token![=](sp),
            ty: unit_ty(),
            semi_token: Token![;](sp),
            where_clause_placement: syn::WhereClausePlacement::Late,
        }),
        ItemKind::Struct => syn::Item::Struct(syn::ItemStruct {
            attrs: Vec::new(),
            vis,
            struct_token: Token![struct](sp),
            ident,
            generics: Default::default(),
            fields: syn::Fields::Unit,
            semi_token: Some(Token![;](sp)),
        }),
        ItemKind::Union => syn::Item::Union(syn::ItemUnion {
            attrs: Vec::new(),
            vis,
            union_token: Token![union](sp),
            ident,
            generics: Default::default(),
            fields: syn::FieldsNamed {
                brace_token: token::Brace(sp),
                named: Default::default(),
            },
        }),
        ItemKind::Enum => syn::Item::Enum(syn::ItemEnum {
            attrs: Vec::new(),
            vis,
            enum_token: Token![enum](sp),
            ident,
            generics: Default::default(),
            brace_token: token::Brace(sp),
            variants: variants
                .iter()
                .map(|v| syn::Variant {
                    attrs: Vec::new(),
                    ident: v.clone(),
                    fields: syn::Fields::Unit,
                    discriminant: None,
                })
                .collect(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Parse>, usize) {
        let src = Src::new(text);
        let cuts = text
            .parse::<TokenStream>()
            .map(|s| inert::find(&s.into_iter().collect::<Vec<_>>()).len())
            .unwrap_or(0);
        let mut out = Out::default();
        let parse = analyze(&src, &mut out);
        proc_macro2::extra::invalidate_current_thread_spans();
        (parse, cuts)
    }

    #[test]
    fn generated_items_are_cut_and_the_rest_parsed() {
        let (parse, cuts) = run("pub const A: u8 = 1;\nfn f() {}\npub struct S { a: u8 }\n");
        assert_eq!((parse, cuts), (Some(Parse::Parsed), 2));
    }

    #[test]
    fn doubt_goes_to_the_exhaustive_path() {
        // an error between cut items, a lexer error, an inner attribute after an item
        for text in [
            "pub const A: u8 = 1;\nfn f( {}\npub const B: u8 = 2;\n",
            "pub const A: u8 = 1;\n\"open\n",
            "pub const A: u8 = 1;\n#![allow(x)]\n",
        ] {
            assert_eq!(run(text).0, None, "{text}");
        }
    }
}
