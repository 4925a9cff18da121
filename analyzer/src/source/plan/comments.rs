//! The comments of the text that stays, blanked with the cuts (outside macro bodies and
//! attributes, where the text between tokens can be a finding's detail).

use super::macro_bodies::macro_body;
use crate::source::lex::lexer;
use crate::source::lex::tokens::{Delim, TK, Tok};

/// `cuts` and, merged in order, the comments of the text that stays (doc comments are
/// `#[doc]` attributes to syn, which no rule reads): every run of whitespace and comments
/// between two kept tokens that holds a comment. Not inside a macro body or an attribute, where
/// the source text between tokens can become a finding's detail (`include_str!(/* .. */ ..)`).
pub(super) fn with_comments(
    toks: &[Tok],
    close: &[u32],
    text: &str,
    cuts: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(cuts.len() * 2);
    let mut next_cut = cuts.iter().peekable();
    // gaps before tokens up to this index are inside a macro body or an attribute
    let mut opaque_until = None::<usize>;
    let mut prev_end = 0usize;
    let mut k = 0;
    while k <= toks.len() {
        let start = toks.get(k).map_or(text.len(), |t| t.start as usize);
        while let Some(&&(x, y)) = next_cut.peek() {
            if x > prev_end {
                break;
            }
            out.push((x, y));
            next_cut.next();
            if y > prev_end {
                // the gap is inside this cut: carry on after it
                prev_end = y;
            }
        }
        if start < prev_end {
            // inside a cut: its tokens hold no gap to blank, and a group they open (a cut is
            // whole items or statements, brackets balanced) closes inside it too
            k += toks[k..].partition_point(|t| (t.start as usize) < prev_end);
            continue;
        }
        let opaque = opaque_until.is_some_and(|u| k <= u);
        if start > prev_end && !opaque && comments_only(&text[prev_end..start]) {
            out.push((prev_end, start));
        }
        let Some(t) = toks.get(k) else { break };
        let group = match t.kind {
            TK::Punct(b'#') => {
                let open = k + 1 + usize::from(toks.get(k + 1).is_some_and(|n| n.is_punct('!')));
                toks.get(open)
                    .filter(|n| n.kind == TK::Open(Delim::Bracket))
                    .map(|_| close[open] as usize)
            }
            TK::Open(_) if macro_body(toks, k) => Some(close[k] as usize),
            _ => None,
        };
        if let Some(end) = group {
            opaque_until = Some(opaque_until.map_or(end, |u| u.max(end)));
        }
        prev_end = prev_end.max(t.end as usize);
        k += 1;
    }
    out.extend(next_cut);
    out
}

/// Whether `gap` is whitespace and comments, with at least one comment (not a stray
/// character the lexer skipped, which syn would reject).
fn comments_only(gap: &str) -> bool {
    let b = gap.as_bytes();
    let mut i = 0;
    let mut comment = false;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (c, _) if c.is_ascii_whitespace() => i += 1,
            (b'/', Some(b'/')) => {
                comment = true;
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
            }
            (b'/', Some(b'*')) => {
                comment = true;
                match lexer::block_comment_end(b, i) {
                    Some(end) => i = end,
                    // unterminated: a syntax error syn must still see
                    None => return false,
                }
            }
            _ => return false,
        }
    }
    comment
}
