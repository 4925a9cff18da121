//! The import map of a file syn rejects, from flat tokens: one scope per inline module, as the
//! syn engine keeps them (a module's extent is its braces, as far as the tokens of a broken
//! file balance).

use super::imports::{Imports, ROOT, ScopeId};
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, matching};
use crate::source::lex::use_tokens::{self, Leaf};

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
            || (i > 0
                && matches!(
                    toks[i - 1].kind,
                    TK::Punct(b'.' | b'$' | b'\'') | TK::PathSep
                ))
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
