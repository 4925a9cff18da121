//! The text before it is lexed: what rustc ignores at the top of a file (a byte-order mark,
//! a `#!` line, a cargo-script frontmatter block), cut or blanked so that every line and
//! column of the rest stays where it was.

use crate::source::lex::lexer;

/// rustc ignores a leading byte-order mark and a `#!` line, unless what follows the `#!`,
/// past whitespace and comments that are not doc comments, is `[`: then it is an inner
/// attribute (`#![allow(..)]`, `#!/**/[allow(..)]`) and the line is code. The shebang line is
/// cut after its text but before its newline, so line numbers stay those of the file.
pub(super) fn strip_bom_and_shebang(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = text.strip_prefix("#!")
        && !next_is_bracket(rest)
    {
        return &text[text.find('\n').unwrap_or(text.len())..];
    }
    text
}

/// Whether the first token of `rest` that is not whitespace or a plain (non-doc) comment is
/// `[`.
pub(super) fn next_is_bracket(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let tail = &rest[i..];
        if tail.starts_with("//") {
            // `///` and `//!` are doc comments (tokens); `////` is plain again
            let doc =
                (tail.starts_with("///") && !tail.starts_with("////")) || tail.starts_with("//!");
            if doc {
                return false;
            }
            i += tail.find('\n').unwrap_or(tail.len());
        } else if tail.starts_with("/*") {
            let doc =
                (tail.starts_with("/**") && !tail.starts_with("/***") && !tail.starts_with("/**/"))
                    || tail.starts_with("/*!");
            if doc {
                return false;
            }
            match lexer::block_comment_end(b, i) {
                Some(end) => i = end,
                None => return false,
            }
        } else {
            return tail.starts_with('[');
        }
    }
}

/// A cargo-script frontmatter block (`---` fence lines around a manifest, at the top of the
/// file) is not Rust tokens and syn rejects it: blank it out, newlines kept so every line and
/// column stays where it was. Anything that is not a well-formed block is left to syn.
pub(super) fn blank_frontmatter(text: &str) -> std::borrow::Cow<'_, str> {
    let start = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &text[start..];
    let dashes = rest.bytes().take_while(|&b| b == b'-').count();
    if dashes < 3 {
        return text.into();
    }
    let fence = &rest[..dashes];
    // The closing fence: a line of exactly the same dashes.
    let mut offset = rest.find('\n').map_or(rest.len(), |i| i + 1);
    while offset < rest.len() {
        let line_end = rest[offset..].find('\n').map_or(rest.len(), |i| offset + i);
        let line = rest[offset..line_end].trim_end_matches(['\r', ' ', '\t']);
        if line == fence {
            let end = start + line_end;
            let blanked: String = text[..end]
                .chars()
                .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
                .collect();
            return (blanked + &text[end..]).into();
        }
        offset = line_end + 1;
    }
    text.into()
}
