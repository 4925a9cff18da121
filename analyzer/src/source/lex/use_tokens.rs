//! `use` trees read from flat tokens: `a::b`, `a::b as c`, `a::{..}`, `a::*`, `a::{self}`.
//! Shared by the import map of files syn rejects (`resolve::from_tokens`) and the module
//! declarations of every file (`decls`).

use super::src::Src;
use super::tokens::{Delim, TK, Tok};

/// Deepest `use` group followed; deeper groups bind nothing.
const MAX_GROUPS: usize = 16;

/// One name a `use` tree binds.
pub(crate) enum Leaf<'a, 's> {
    /// `alias` stands for the path `segs`.
    Name { alias: &'s str, segs: &'a [&'s str] },
    /// `segs::*`.
    Glob { segs: &'a [&'s str] },
}

/// Reads the `use` tree starting at `*j` (just after `use` and any leading `::`), calling `f`
/// with each binding, and leaves `*j` after its `;`.
pub(crate) fn read<'s>(
    toks: &[Tok],
    m: &[u32],
    j: &mut usize,
    src: &Src<'s>,
    f: &mut impl FnMut(Leaf<'_, 's>),
) {
    let mut prefix = Vec::new();
    tree(toks, m, j, src, &mut prefix, f, 0);
    while let Some(t) = toks.get(*j) {
        *j += 1;
        if t.is_punct(';') {
            break;
        }
    }
}

fn tree<'s>(
    toks: &[Tok],
    m: &[u32],
    j: &mut usize,
    src: &Src<'s>,
    prefix: &mut Vec<&'s str>,
    f: &mut impl FnMut(Leaf<'_, 's>),
    depth: usize,
) {
    let base = prefix.len();
    while let Some(t) = toks.get(*j) {
        match t.kind {
            TK::Ident => {
                let word = t.text(src);
                *j += 1;
                if toks.get(*j).is_some_and(|n| n.kind == TK::PathSep) {
                    prefix.push(word);
                    *j += 1;
                    continue;
                }
                let alias = match toks.get(*j) {
                    Some(a) if a.is_ident(src, "as") => {
                        *j += 2;
                        toks.get(*j - 1).map_or(word, |n| n.text(src))
                    }
                    _ => word,
                };
                if word == "self" {
                    if let Some(&last) = prefix.last() {
                        let alias = if alias == "self" { last } else { alias };
                        f(Leaf::Name {
                            alias,
                            segs: prefix,
                        });
                    }
                } else {
                    prefix.push(word);
                    f(Leaf::Name {
                        alias,
                        segs: prefix,
                    });
                    prefix.pop();
                }
                break;
            }
            TK::Punct(b'*') => {
                f(Leaf::Glob { segs: prefix });
                *j += 1;
                break;
            }
            TK::Open(Delim::Brace) => {
                let close = m[*j] as usize;
                *j += 1;
                if depth < MAX_GROUPS {
                    while *j < close {
                        tree(toks, m, j, src, prefix, f, depth + 1);
                        if toks.get(*j).is_some_and(|n| n.is_punct(',')) {
                            *j += 1;
                        } else {
                            break;
                        }
                    }
                }
                *j = close + 1;
                break;
            }
            _ => break,
        }
    }
    prefix.truncate(base);
}

/// Whether the tokens after a `use` keyword at `i` can start a use tree (`a`, `::a`, `{..}`,
/// `*`, or `$crate` in a macro body): anything else (`Token![use]`, `m!(use)`) is no `use`
/// item.
pub(crate) fn starts_tree(toks: &[Tok], i: usize) -> bool {
    let mut j = i + 1;
    if toks.get(j).is_some_and(|t| t.kind == TK::PathSep) {
        j += 1;
    }
    toks.get(j).is_some_and(|t| {
        matches!(
            t.kind,
            TK::Ident | TK::Open(Delim::Brace) | TK::Punct(b'*' | b'$')
        )
    })
}

/// A keyword that binds names at item level, met by [`binders`].
pub(crate) enum Binder<'a, 's> {
    /// One binding of a `use` tree, with whether the tree starts with `::`.
    Use(Leaf<'a, 's>, bool),
    /// `mod`, `extern` or `type` at `toks[i]`, not a path segment.
    Item(&'s str, usize),
}

/// Walks the file's item-level binders in order: each `use` tree's bindings, and every `mod`,
/// `extern` and `type` keyword that is not a path segment or a field. `words` lists the tokens
/// that can be one ([`lexer::binder_words`](super::lexer::binder_words)), so only those are
/// looked at. One loop, no recursion.
pub(crate) fn binders<'s>(
    toks: &[Tok],
    m: &[u32],
    words: &[u32],
    src: &Src<'s>,
    f: &mut impl FnMut(Binder<'_, 's>),
) {
    // the first token not yet read (a `use` tree's tokens are its own)
    let mut next = 0;
    for &w in words {
        let i = w as usize;
        let Some(t) = toks.get(i) else { break };
        if i < next || (i > 0 && matches!(toks[i - 1].kind, TK::PathSep | TK::Punct(b'.' | b'$'))) {
            continue;
        }
        match t.text(src) {
            "use" if !starts_tree(toks, i) => {}
            "use" => {
                let mut j = i + 1;
                let anchored = toks.get(j).is_some_and(|n| n.kind == TK::PathSep);
                j += usize::from(anchored);
                read(toks, m, &mut j, src, &mut |leaf| {
                    f(Binder::Use(leaf, anchored))
                });
                next = j;
            }
            word @ ("mod" | "extern" | "type") => f(Binder::Item(word, i)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lex::{lexer, tokens};

    /// A `use` that starts no use tree (`Token![use]`, `m!(use)`) is no item: the binders
    /// after it up to the next `;` are still met (they were skipped as its tree).
    #[test]
    fn a_use_that_starts_no_tree_hides_nothing() {
        let text = "struct S { a: Token![use], b: u8 }\nmod m;\nm!(use);\nuse a::b;\n";
        let src = Src::new(text);
        let (mut toks, mut words) = (Vec::new(), Vec::new());
        lexer::lex_indexed(&src, &mut toks, &mut words);
        let m = tokens::matching(&toks);
        let mut met = Vec::new();
        binders(&toks, &m, &words, &src, &mut |b| match b {
            Binder::Use(Leaf::Name { alias, segs }, _) => met.push(format!("use {alias}={segs:?}")),
            Binder::Use(Leaf::Glob { segs }, _) => met.push(format!("glob {segs:?}")),
            Binder::Item(word, i) => met.push(format!("{word} {}", toks[i + 1].text(&src))),
        });
        assert_eq!(met, ["mod m", "use b=[\"a\", \"b\"]"]);
    }
}
