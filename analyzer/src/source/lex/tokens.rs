//! The token vocabulary every engine reads: flat tokens whose delimiters are tokens of their
//! own (`Open` / `Close`) rather than nested groups, so that every walk over them is a loop (no
//! recursion, whatever the nesting), and the bracket tables that let a walk jump over a group
//! in O(1). Tokens come from the hand-written lexer (`lexer.rs`) or from a proc-macro2 stream
//! ([`flatten`]).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use super::src::Src;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delim {
    Paren,
    Brace,
    Bracket,
}

impl Delim {
    pub fn from_byte(c: u8) -> Delim {
        match c {
            b'(' | b')' => Delim::Paren,
            b'[' | b']' => Delim::Bracket,
            _ => Delim::Brace,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TK {
    Ident,
    Lit,
    /// One ASCII punctuation character.
    Punct(u8),
    /// `::`
    PathSep,
    Open(Delim),
    Close(Delim),
}

/// One token: its kind and where its text is (`src.text[start..end]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub kind: TK,
    /// For punctuation: the next character is punctuation too (`->`, `!=`).
    pub joint: bool,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    /// 1-based, in characters.
    pub col: u32,
}

impl Tok {
    pub fn text<'s>(&self, src: &Src<'s>) -> &'s str {
        &src.text[self.start as usize..self.end as usize]
    }

    pub fn is_punct(&self, c: char) -> bool {
        c.is_ascii() && self.kind == TK::Punct(c as u8)
    }

    pub fn is_ident(&self, src: &Src<'_>, word: &str) -> bool {
        self.kind == TK::Ident && self.text(src) == word
    }
}

/// Flattens a proc-macro2 stream, iteratively.
pub(crate) fn flatten(stream: TokenStream, src: &Src<'_>, out: &mut Vec<Tok>) {
    let mut stack = vec![(stream.into_iter(), None)];
    while let Some((iter, _)) = stack.last_mut() {
        let Some(tt) = iter.next() else {
            if let Some((_, Some(close))) = stack.pop() {
                out.push(close);
            }
            continue;
        };
        match tt {
            TokenTree::Group(g) => {
                let delim = match g.delimiter() {
                    Delimiter::Parenthesis => Some(Delim::Paren),
                    Delimiter::Brace => Some(Delim::Brace),
                    Delimiter::Bracket => Some(Delim::Bracket),
                    Delimiter::None => None,
                };
                let close = delim.map(|d| {
                    out.push(at(src, g.span_open(), TK::Open(d), 1));
                    at(src, g.span_close(), TK::Close(d), 1)
                });
                let inner = g.stream();
                // dropping the group first leaves the stream unshared, so iterating it moves
                // the tokens instead of cloning them
                drop(g);
                stack.push((inner.into_iter(), close));
            }
            TokenTree::Ident(ident) => {
                let off = src.span_offset(ident.span());
                let text = src.ident_at(off);
                let start = text.as_ptr() as usize - src.text.as_ptr() as usize;
                let mut tok = at(src, ident.span(), TK::Ident, 0);
                tok.start = start as u32;
                tok.end = (start + text.len()) as u32;
                out.push(tok);
            }
            TokenTree::Punct(p) => {
                let mut tok = at(src, p.span(), TK::Punct(p.as_char() as u8), 1);
                tok.joint = p.spacing() == Spacing::Joint;
                if p.as_char() == ':'
                    && let Some(prev) = out.last_mut()
                    && prev.kind == TK::Punct(b':')
                    && prev.joint
                    && prev.end == tok.start
                {
                    prev.kind = TK::PathSep;
                    prev.end = tok.end;
                    prev.joint = tok.joint;
                    continue;
                }
                out.push(tok);
            }
            TokenTree::Literal(lit) => {
                let span = lit.span();
                let mut tok = at(src, span, TK::Lit, 0);
                let end = span.end();
                tok.end = src.offset(end.line, end.column) as u32;
                out.push(tok);
            }
        }
    }
}

fn at(src: &Src<'_>, span: proc_macro2::Span, kind: TK, len: u32) -> Tok {
    let lc = span.start();
    let start = src.offset(lc.line, lc.column) as u32;
    Tok {
        kind,
        joint: false,
        start,
        end: start + len,
        line: src.report_line(lc.line as u32),
        col: lc.column as u32 + 1,
    }
}

/// For each `Open` token, the index of its `Close` (or the end when unbalanced).
pub(crate) fn matching(toks: &[Tok]) -> Vec<u32> {
    let mut m = vec![toks.len() as u32; toks.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TK::Open(_) => stack.push(i),
            TK::Close(_) => {
                if let Some(o) = stack.pop() {
                    m[o] = i as u32;
                }
            }
            _ => {}
        }
    }
    m
}

/// For each opening delimiter, the index of its closing one; `None` when unbalanced.
pub(crate) fn match_brackets(toks: &[Tok]) -> Option<Vec<u32>> {
    let mut close = vec![0u32; toks.len()];
    let mut stack: Vec<(usize, Delim)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TK::Open(d) => stack.push((i, d)),
            TK::Close(d) => {
                let (o, od) = stack.pop()?;
                if od != d {
                    return None;
                }
                close[o] = u32::try_from(i).ok()?;
            }
            _ => {}
        }
    }
    stack.is_empty().then_some(close)
}

/// The attribute whose `#` is at `i` (`#[..]` or `#![..]`): whether it is inner, and the index
/// of its `[`; `None` when no bracket follows.
pub(crate) fn attribute_at(toks: &[Tok], i: usize) -> Option<(bool, usize)> {
    let inner = toks.get(i + 1).is_some_and(|n| n.is_punct('!'));
    let open = i + 1 + usize::from(inner);
    (toks.get(open)?.kind == TK::Open(Delim::Bracket)).then_some((inner, open))
}
