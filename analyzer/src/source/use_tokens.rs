//! `use` trees read from flat tokens: `a::b`, `a::b as c`, `a::{..}`, `a::*`, `a::{self}`.
//! Shared by the import map of files syn rejects (`collect::from_tokens`) and the module
//! declarations of every file (`decls`).

use super::Src;
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
            TK::Punct('*') => {
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
