//! A small hand-written lexer: identifiers, literals, punctuation and delimiters with line and
//! column, skipping comments (nested block comments too) and every literal form.
//!
//! It serves two jobs: lexing what proc-macro2 refuses (unbalanced delimiters, bad literals),
//! where it keeps going token by token; and re-lexing the source range of a macro body, which
//! costs no allocation per token (proc-macro2 token trees cannot be walked by reference).

use super::src::Src;
use super::tokens::{Delim, TK, Tok};

/// Lexes `src.text[start..end]` into `out`.
pub(crate) fn lex(src: &Src<'_>, start: usize, end: usize, out: &mut Vec<Tok>) {
    lex_with::<true>(src, start, end, out, None, None, None);
}

/// [`lex`] without lines and columns (every token says line 0, column 1): for passes that
/// only need the tokens and their byte ranges.
pub(crate) fn lex_unplaced(src: &Src<'_>, start: usize, end: usize, out: &mut Vec<Tok>) {
    lex_with::<false>(src, start, end, out, None, None, None);
}

/// [`lex_unplaced`] of the whole text, also listing in `words` the index of every identifier
/// [`binder_words`] lists (item keywords, not raw identifiers such as `r#use`): the walks that
/// look only at those keywords skip the other tokens.
pub(crate) fn lex_indexed(src: &Src<'_>, out: &mut Vec<Tok>, words: &mut Vec<u32>) {
    lex_with::<false>(src, 0, src.text.len(), out, Some(words), None, None);
}

/// [`lex_indexed`], also listing in `marks` the index of every token [`template_marks`]
/// lists, so that the templates' reader skips the rest, and in `steps` those
/// [`decl_steps`] lists, so that the declarations' reader does.
pub(crate) fn lex_marked(
    src: &Src<'_>,
    out: &mut Vec<Tok>,
    words: &mut Vec<u32>,
    marks: &mut Vec<u32>,
    steps: &mut Vec<u32>,
) {
    let end = src.text.len();
    lex_with::<false>(src, 0, end, out, Some(words), Some(marks), Some(steps));
}

/// The index of every token the declarations' walk acts on (`decls::read`): `{`, `#`, an
/// identifier followed by `!`, `::` or `(`, and the item keywords [`binder_words`] lists; the
/// same list [`lex_marked`] makes while lexing (for tests, which lex on their own).
#[cfg(test)]
pub(crate) fn decl_steps(toks: &[Tok], src: &Src<'_>) -> Vec<u32> {
    let words = binder_words(toks, src);
    (toks.iter().enumerate())
        .filter(|&(k, t)| match t.kind {
            TK::Open(Delim::Brace) | TK::Punct(b'#') => true,
            TK::Ident => {
                words.contains(&(k as u32))
                    || toks.get(k + 1).is_some_and(|n| {
                        matches!(
                            n.kind,
                            TK::Punct(b'!') | TK::PathSep | TK::Open(Delim::Paren)
                        )
                    })
            }
            _ => false,
        })
        .map(|(k, _)| k as u32)
        .collect()
}

/// Lists in `steps` the identifier just lexed (the last token): a `!`, `::` or `(` follows
/// it, which makes it a step of [`decl_steps`].
fn step_after_ident(steps: &mut Option<&mut Vec<u32>>, out: &[Tok]) {
    if let Some(steps) = steps.as_deref_mut()
        && let Some(k) = out.len().checked_sub(1)
        && out[k].kind == TK::Ident
        && steps.last() != Some(&(k as u32))
    {
        steps.push(k as u32);
    }
}

/// Whether an identifier is one of the calls that can hand a string to a parser of code.
fn parse_word(word: &[u8]) -> bool {
    matches!(word, b"parse" | b"from_str" | b"parse_str")
}

/// The index of every `#` and `!` token and of every identifier `parse`, `from_str` or
/// `parse_str` (raw ones too): where an attribute, a macro invocation or a parsed string can
/// be; the same list [`lex_marked`] makes while lexing (for tests, which lex on their own).
#[cfg(test)]
pub(crate) fn template_marks(toks: &[Tok], src: &Src<'_>) -> Vec<u32> {
    (toks.iter().enumerate())
        .filter(|(_, t)| match t.kind {
            TK::Punct(c) => c == b'#' || c == b'!',
            TK::Ident => parse_word(t.text(src).as_bytes()),
            _ => false,
        })
        .map(|(k, _)| k as u32)
        .collect()
}

/// Whether an identifier is one of the item keywords that bind names (`use`, `mod`, `type`,
/// `extern`) or open an impl block (`impl`).
fn binder_word(word: &[u8]) -> bool {
    matches!(word, b"use" | b"mod" | b"type" | b"impl" | b"extern")
}

/// The index of every identifier token whose text is `use`, `mod`, `type`, `extern` or `impl`
/// written without `r#` (a raw identifier is never a keyword; wherever it stands: callers
/// check what is around it), read off tokens already lexed; the same list [`lex_indexed`]
/// makes while lexing (for tests, which lex on their own).
#[cfg(test)]
pub(crate) fn binder_words(toks: &[Tok], src: &Src<'_>) -> Vec<u32> {
    (toks.iter().enumerate())
        .filter(|(_, t)| {
            t.kind == TK::Ident
                && binder_word(t.text(src).as_bytes())
                && !src.text[..t.start as usize].ends_with("r#")
        })
        .map(|(k, _)| k as u32)
        .collect()
}

fn lex_with<const PLACED: bool>(
    src: &Src<'_>,
    start: usize,
    end: usize,
    out: &mut Vec<Tok>,
    mut words: Option<&mut Vec<u32>>,
    mut marks: Option<&mut Vec<u32>>,
    mut steps: Option<&mut Vec<u32>>,
) {
    let end = end.min(src.text.len());
    let text = &src.text[..end];
    let b = text.as_bytes();
    let (line0, col0) = if PLACED {
        src.line_col_here(start)
    } else {
        (0, 0)
    };
    let first = out.len();
    let mut pos = Pos {
        line: line0,
        col: col0,
        at: start,
    };
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        let tok_start = i;
        let next = b.get(i + 1).copied().unwrap_or(0);
        let kind = match c {
            b'/' if next == b'/' => {
                i = memchr_newline(b, i);
                None
            }
            b'/' if next == b'*' => {
                i = skip_block_comment(b, i);
                None
            }
            b'"' => {
                i = skip_quoted(b, i + 1, b'"');
                Some(TK::Lit)
            }
            b'\'' => {
                let (j, kind) = quote(text, i);
                i = j;
                Some(kind)
            }
            b'0'..=b'9' => {
                i = number(b, i);
                Some(TK::Lit)
            }
            b':' if next == b':' => {
                i += 2;
                step_after_ident(&mut steps, out);
                Some(TK::PathSep)
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                if c == b'(' {
                    step_after_ident(&mut steps, out);
                } else if let Some(steps) = steps.as_deref_mut()
                    && c == b'{'
                {
                    steps.push(out.len() as u32);
                }
                Some(TK::Open(Delim::from_byte(c)))
            }
            b')' | b']' | b'}' => {
                i += 1;
                Some(TK::Close(Delim::from_byte(c)))
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                None
            }
            // the common case of `word`: no literal prefix (`r`, `b`, `c`), no raw identifier
            b'a' | b'd'..=b'q' | b's'..=b'z' | b'A'..=b'Z' => {
                i = ident_end(text, i);
                // the lengths say first whether the word can be listed at all
                match i - tok_start {
                    3 | 4 | 6 => {
                        if let Some(words) = words.as_deref_mut()
                            && binder_word(&b[tok_start..i])
                        {
                            words.push(out.len() as u32);
                            if let Some(steps) = steps.as_deref_mut() {
                                steps.push(out.len() as u32);
                            }
                        }
                    }
                    5 | 8 | 9 => {
                        if let Some(marks) = marks.as_deref_mut()
                            && parse_word(&b[tok_start..i])
                        {
                            marks.push(out.len() as u32);
                        }
                    }
                    _ => {}
                }
                Some(TK::Ident)
            }
            // `_` is ASCII punctuation, but it starts identifiers (`_x`, `__imp`) too
            _ if c.is_ascii_punctuation() && !(c == b'_' && next_is_ident(next)) => {
                i += 1;
                if c == b'#' || c == b'!' {
                    if let Some(marks) = marks.as_deref_mut() {
                        marks.push(out.len() as u32);
                    }
                    if c == b'!' {
                        step_after_ident(&mut steps, out);
                    } else if let Some(steps) = steps.as_deref_mut() {
                        steps.push(out.len() as u32);
                    }
                }
                Some(TK::Punct(c))
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                if ch == '_' || ch.is_alphabetic() {
                    let (j, kind, ident_start) = word(text, i);
                    i = j;
                    if let Some(marks) = marks.as_deref_mut()
                        && kind == TK::Ident
                        && parse_word(&b[ident_start..i])
                    {
                        marks.push(out.len() as u32);
                    }
                    if ident_start != tok_start {
                        // raw identifier: the token is the name after `r#`
                        if PLACED {
                            pos.advance(b, ident_start);
                        }
                        out.push(pos.tok(kind, ident_start, i));
                        if PLACED {
                            pos.advance(b, i);
                        }
                        continue;
                    }
                    Some(kind)
                } else {
                    i += ch.len_utf8();
                    None
                }
            }
        };
        i = i.min(b.len());
        if let Some(kind) = kind {
            if PLACED {
                pos.advance(b, tok_start);
            }
            let mut tok = pos.tok(kind, tok_start, i);
            if let TK::Punct(_) = kind {
                tok.joint = b.get(i).is_some_and(|n| n.is_ascii_punctuation());
            }
            out.push(tok);
        }
    }
    if PLACED {
        // lines counted in this text, reported where they are in the file
        for t in &mut out[first..] {
            t.line = src.report_line(t.line);
        }
    }
}

/// Line and column bookkeeping, advanced over the bytes between tokens.
struct Pos {
    line: usize,
    col: usize,
    at: usize,
}

impl Pos {
    fn advance(&mut self, b: &[u8], to: usize) {
        for &c in &b[self.at..to] {
            if c == b'\n' {
                self.line += 1;
                self.col = 0;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.at = to;
    }

    fn tok(&self, kind: TK, start: usize, end: usize) -> Tok {
        Tok {
            kind,
            joint: false,
            start: start as u32,
            end: end as u32,
            line: self.line as u32,
            col: self.col as u32 + 1,
        }
    }
}

fn memchr_newline(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p)
}

/// Index just past the block comment starting at `i` (`/*`), honouring nesting; the end of
/// the text when it is not closed.
pub(crate) fn skip_block_comment(b: &[u8], i: usize) -> usize {
    block_comment_end(b, i).unwrap_or(b.len())
}

/// Index just past the block comment starting at `i` (`/*`), honouring nesting, if it ends.
pub(crate) fn block_comment_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Index just past the closing `q`, starting inside the literal; backslash escapes skipped.
pub(crate) fn skip_quoted(b: &[u8], mut i: usize, q: u8) -> usize {
    while let Some(p) = b.get(i..).and_then(|rest| memchr::memchr2(b'\\', q, rest)) {
        i += p;
        if b[i] == q {
            return i + 1;
        }
        i += 2;
    }
    b.len()
}

/// A `'` starts a char literal (`'a'`, `'\n'`, `'é'`) or a lifetime / label (`'a`).
pub(crate) fn quote(text: &str, i: usize) -> (usize, TK) {
    let b = text.as_bytes();
    if b.get(i + 1) == Some(&b'\\') {
        return (skip_quoted(b, i + 1, b'\''), TK::Lit);
    }
    if let Some(ch) = text[i + 1..].chars().next() {
        let after = i + 1 + ch.len_utf8();
        if b.get(after) == Some(&b'\'') {
            return (after + 1, TK::Lit);
        }
    }
    // a lifetime: the quote alone, as proc-macro2 does; the name follows as an identifier
    (i + 1, TK::Punct(b'\''))
}

fn number(b: &[u8], mut i: usize) -> usize {
    loop {
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            // exponent signs: `1e-3`
            if (b[i] == b'e' || b[i] == b'E')
                && matches!(b.get(i + 1), Some(b'+' | b'-'))
                && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            {
                i += 2;
            }
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            continue;
        }
        return i;
    }
}

/// An identifier, keyword, raw identifier, or a prefixed literal (`r"..."`, `br#"..."#`,
/// `b'x'`, `c"..."`). Returns (end, kind, where the identifier text starts).
pub(crate) fn word(text: &str, i: usize) -> (usize, TK, usize) {
    let b = text.as_bytes();
    // literal prefixes
    let prefix_len = if b[i..].starts_with(b"br") || b[i..].starts_with(b"cr") {
        2
    } else if matches!(b[i], b'r' | b'b' | b'c') {
        1
    } else {
        0
    };
    if prefix_len > 0 {
        let j = i + prefix_len;
        let raw = b[j - 1] == b'r';
        if raw {
            let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
            if b.get(j + hashes) == Some(&b'"') {
                return (raw_end(b, j + hashes + 1, hashes), TK::Lit, i);
            }
            if prefix_len == 1 && hashes == 1 && b.get(j + 1).is_some_and(|&c| is_ident_byte(c)) {
                let end = ident_end(text, j + 1);
                return (end, TK::Ident, j + 1);
            }
        } else if b.get(j) == Some(&b'"') {
            return (skip_quoted(b, j + 1, b'"'), TK::Lit, i);
        } else if b[i] == b'b' && prefix_len == 1 && b.get(j) == Some(&b'\'') {
            return (skip_quoted(b, j + 1, b'\''), TK::Lit, i);
        }
    }
    (ident_end(text, i), TK::Ident, i)
}

/// Whether the byte after a `_` continues an identifier (`_x`), rather than leaving `_` alone
/// (`_ =>`, `_,`).
fn next_is_ident(next: u8) -> bool {
    is_ident_byte(next)
}

fn is_ident_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80
}

/// ASCII bytes that continue an identifier (`[A-Za-z0-9_]`), looked up in one load.
static ASCII_IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

#[inline]
fn ident_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && ASCII_IDENT[b[j] as usize] {
        j += 1;
    }
    if b.get(j).is_none_or(|&c| c < 0x80) {
        return j;
    }
    // a non-ASCII character: Unicode decides whether it continues the identifier
    text[j..]
        .char_indices()
        .find(|&(_, c)| !(c == '_' || c.is_alphanumeric()))
        .map_or(text.len(), |(k, _)| j + k)
}

/// Index just past a raw string's closing `"` followed by `hashes` `#`.
fn raw_end(b: &[u8], mut i: usize, hashes: usize) -> usize {
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyword list made while lexing is the one read off the tokens: raw identifiers
    /// (never keywords: `r#use` in windows-sys's `link!` lines is a parameter), look-alikes,
    /// keywords in strings, comments, literals and after `.` or `::` (listed: callers judge
    /// the neighbours), and `use` before a combining mark (the scan lexes NFC text, where
    /// `use\u{301}` is `usé`).
    #[test]
    fn the_keywords_listed_while_lexing_are_those_of_the_tokens() {
        let text = "use a::b; mod m; pub type T = u8; extern crate x; impl S {}\n\
            r#use r#mod r#type r#impl r#extern user modx types impls externs useé\n\
            \"use mod\" // use mod\n/* impl /* extern */ type */ b\"use\" br\"mod\" 'u' \n\
            x.use y::mod $type _use Use MOD é use\u{301} impl";
        let src = Src::new(text);
        let (mut toks, mut words) = (Vec::new(), Vec::new());
        lex_indexed(&src, &mut toks, &mut words);
        let mut plain = Vec::new();
        lex_unplaced(&src, 0, text.len(), &mut plain);
        assert_eq!(toks, plain);
        assert_eq!(words, binder_words(&toks, &src));
        let listed: Vec<&str> = words.iter().map(|&w| toks[w as usize].text(&src)).collect();
        assert_eq!(
            listed,
            [
                "use", "mod", "type", "extern", "impl", "use", "mod", "type", "use", "impl"
            ]
        );
    }

    /// The steps listed while lexing are those read off the tokens: braces, `#`, identifiers
    /// followed (across comments too) by `!`, `::` or `(`, raw ones too, and item keywords,
    /// each once.
    #[test]
    fn the_steps_listed_while_lexing_are_those_of_the_tokens() {
        let text = "mod m { use a::b; } #[x] f /* c */ (1) r#g::h m!{} x.y() 'a: { z } n\n\
            impl S { fn k(&self) -> u8 { 0 } } use::x; \"f(\" // g(\n r#use(1) type T = u8;";
        let src = Src::new(text);
        let (mut toks, mut words, mut marks, mut steps) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        lex_marked(&src, &mut toks, &mut words, &mut marks, &mut steps);
        assert_eq!(steps, decl_steps(&toks, &src));
        let listed: Vec<&str> = steps.iter().map(|&w| toks[w as usize].text(&src)).collect();
        assert_eq!(
            listed,
            [
                "mod", "{", "use", "a", "#", "f", "g", "m", "{", "y", "{", "impl", "{", "k", "{",
                "use", "use", "type"
            ]
        );
    }

    /// The marks made while lexing are those read off the tokens: every `#` and `!` (`!=`,
    /// `#!` and `r#` prefixes too: callers judge the neighbours), and `parse`, `from_str`,
    /// `parse_str` raw or not, never in strings, comments or longer words.
    #[test]
    fn the_marks_listed_while_lexing_are_those_of_the_tokens() {
        let text = "#![a] #[b] m!(x) a != b; !c; x.parse::<T>() from_str(\"s\") parse_str\n\
            r#parse r#from_str parses _parse parse_strs \"parse #!\" // parse !\n\
            /* from_str # */ r\"parse\" b'!' '#' #r#x é!()";
        let src = Src::new(text);
        let (mut toks, mut words, mut marks, mut steps) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        lex_marked(&src, &mut toks, &mut words, &mut marks, &mut steps);
        let mut plain = Vec::new();
        lex_unplaced(&src, 0, text.len(), &mut plain);
        assert_eq!(toks, plain);
        assert_eq!(marks, template_marks(&toks, &src));
        assert_eq!(steps, decl_steps(&toks, &src));
        let listed: Vec<&str> = marks.iter().map(|&w| toks[w as usize].text(&src)).collect();
        assert_eq!(
            listed,
            [
                "#",
                "!",
                "#",
                "!",
                "!",
                "!",
                "parse",
                "from_str",
                "parse_str",
                "parse",
                "from_str",
                "#",
                "!"
            ]
        );
    }
}
