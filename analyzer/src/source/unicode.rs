//! Text that reads differently from what the compiler sees: bidirectional control characters
//! (Trojan Source, CVE-2021-42574) and identifiers built from lookalike letters.
//!
//! rustc denies bidi controls by default, but cargo caps lints for dependencies
//! (`--cap-lints allow`), so a published crate can carry them without any warning to its users.
//! Both rules work on the raw text, whatever syn made of the file, so their findings are exact
//! in every parse mode. Pure ASCII files (nearly all) are skipped with one pass over the bytes.
//!
//! The rules, kept small on purpose (no confusables table):
//! - `bidi-control`: one finding per line that holds any of the characters rustc's
//!   `text_direction_codepoint_*` lints name (embeddings, overrides, isolates: U+202A..U+202E,
//!   U+2066..U+2069), in code, strings and comments alike, which is where they hide code. The
//!   detail lists the code points of the line.
//! - `confusable-ident`: an identifier holding non-ASCII letters where either every non-ASCII
//!   character is on the short [`LOOKALIKES`] list (so the identifier reads as plain ASCII,
//!   `pаypal` with a Cyrillic `а`), or its letters come from more than one of the scripts that
//!   share shapes with Latin (Latin, Greek, Cyrillic, Armenian). One finding per distinct
//!   identifier per file, at its first use; `café` and `привет` are not findings.

use std::collections::BTreeSet;

use risk_report::facts::{Kind, Origin};

use crate::source::lex::lexer;
use crate::source::lex::tokens::{TK, Tok};
use crate::source::out::Out;

/// The embedding, override and isolate controls (rustc's `UNICODE_BIDI_CODEPOINTS`).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Adds the findings of both rules for `text` to `out`. `lexed` is the scanner's own lex of
/// this same text when it has one (the text needed no NFC normalization): its identifiers are
/// the ones [`idents`] would find, so they are read from it instead of lexing again.
pub(crate) fn scan(text: &str, lexed: Option<&[Tok]>, out: &mut Out) {
    if text.is_ascii() {
        return;
    }
    if may_hold_bidi(text) {
        bidi(text, out);
    }
    match lexed {
        Some(toks) => lexed_idents(text, toks, out),
        None => idents(text, out),
    }
}

/// Whether `text` holds a bidi control; false means [`bidi`] has nothing to find. Every one
/// is encoded in UTF-8 with the lead byte `E2`, so only the characters there are decoded.
fn may_hold_bidi(text: &str) -> bool {
    memchr::memchr_iter(0xE2, text.as_bytes()).any(|i| {
        text.get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(is_bidi_control)
    })
}

/// [`idents`] over tokens the scanner's lexer made from `text`.
fn lexed_idents(text: &str, toks: &[Tok], out: &mut Out) {
    let mut rule = Lookalikes::new(text);
    for t in toks {
        let start = t.start as usize;
        if t.kind == TK::Ident
            && let Some(word) = text.get(start..t.end as usize)
        {
            rule.ident(word, start, out);
        }
    }
}

/// The `confusable-ident` rule over the identifiers of a text, met in order: one finding per
/// distinct identifier, at its first use.
struct Lookalikes<'t> {
    cursor: Cursor<'t>,
    seen: BTreeSet<&'t str>,
}

impl<'t> Lookalikes<'t> {
    fn new(text: &'t str) -> Self {
        Lookalikes {
            cursor: Cursor::new(text),
            seen: BTreeSet::new(),
        }
    }

    /// The identifier `word`, which starts at byte `start`.
    fn ident(&mut self, word: &'t str, start: usize, out: &mut Out) {
        if !word.is_ascii()
            && self.seen.insert(word)
            && let Some(detail) = confusable(word)
        {
            let (l, col) = self.cursor.advance(start);
            out.push(
                l,
                col,
                Kind::ConfusableIdent,
                Some(detail),
                Origin::Syntax,
                &[],
            );
        }
    }
}

/// Line and column of increasing byte offsets, in one forward pass over the text (a column
/// count from the line start for each finding would be quadratic on a long single line).
struct Cursor<'t> {
    text: &'t [u8],
    at: usize,
    line: u32,
    col: u32,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Cursor {
            text: text.as_bytes(),
            at: 0,
            line: 1,
            col: 1,
        }
    }

    fn advance(&mut self, to: usize) -> (u32, u32) {
        for &b in &self.text[self.at..to] {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.at = to;
        (self.line, self.col)
    }
}

fn bidi(text: &str, out: &mut Out) {
    let mut cursor = Cursor::new(text);
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut found: Vec<char> = Vec::new();
        let mut first = None;
        for (i, c) in line.char_indices() {
            if is_bidi_control(c) {
                first.get_or_insert(line_start + i);
                if !found.contains(&c) {
                    found.push(c);
                }
            }
        }
        if let Some(at) = first {
            let (l, col) = cursor.advance(at);
            let detail = found
                .iter()
                .map(|&c| format!("U+{:04X} {}", u32::from(c), bidi_name(c)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(l, col, Kind::BidiControl, Some(detail), Origin::Syntax, &[]);
        }
        line_start += line.len();
    }
}

fn bidi_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LRE",
        '\u{202B}' => "RLE",
        '\u{202C}' => "PDF",
        '\u{202D}' => "LRO",
        '\u{202E}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        _ => "PDI",
    }
}

/// Walks the identifiers of the text, skipping comments and literals, with the same lexer
/// helpers the token scan uses; nothing is allocated per token.
fn idents(text: &str, out: &mut Out) {
    let b = text.as_bytes();
    let mut rule = Lookalikes::new(text);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied().unwrap_or(0);
        i = match c {
            b'/' if next == b'/' => b[i..]
                .iter()
                .position(|&x| x == b'\n')
                .map_or(b.len(), |p| i + p),
            b'/' if next == b'*' => lexer::skip_block_comment(b, i),
            b'"' => lexer::skip_quoted(b, i + 1, b'"'),
            // a char literal is skipped; a lifetime leaves its name to the next turn
            b'\'' => lexer::quote(text, i).0,
            b'0'..=b'9' => {
                i + b[i..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_')
                    .count()
            }
            _ if c < 0x80 && !(c.is_ascii_alphabetic() || c == b'_') => i + 1,
            _ => {
                let Some(ch) = text.get(i..).and_then(|t| t.chars().next()) else {
                    // not at a char boundary (cannot happen after the skips above): move on
                    i += 1;
                    continue;
                };
                if ch == '_' || ch.is_alphabetic() {
                    let (end, kind, start) = lexer::word(text, i);
                    if kind == TK::Ident {
                        rule.ident(&text[start..end.max(start)], start, out);
                    }
                    end.max(i + 1)
                } else {
                    i + ch.len_utf8()
                }
            }
        }
        .min(b.len());
    }
}

/// Scripts that share letter shapes with Latin; other scripts are not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
}

fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(Script::Latin),
        '\u{00C0}'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF5A}' => {
            Some(Script::Latin)
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Script::Greek),
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        '\u{0530}'..='\u{058F}' => Some(Script::Armenian),
        _ => None,
    }
}

/// Non-ASCII letters that look like an ASCII letter, and that letter. Fullwidth Latin
/// (U+FF21..) and the mathematical alphanumerics (U+1D400..) are handled by range in
/// [`lookalike`].
pub(crate) const LOOKALIKES: &[(char, char)] = &[
    // Cyrillic
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('һ', 'h'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('ӏ', 'l'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('У', 'Y'),
    // Greek
    ('α', 'a'),
    ('ο', 'o'),
    ('ρ', 'p'),
    ('ν', 'v'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
    // Armenian
    ('օ', 'o'),
    ('ս', 'u'),
    ('հ', 'h'),
    ('ո', 'n'),
    // Latin letters that pass for other Latin letters
    ('ı', 'i'),
    ('ɑ', 'a'),
    ('ɡ', 'g'),
    ('ɩ', 'i'),
    ('ǀ', 'l'),
];

fn lookalike(c: char) -> Option<char> {
    let cp = u32::from(c);
    let ascii_letter = |n: u32| {
        let n = u8::try_from(n % 52).ok()?;
        Some(char::from(if n < 26 { b'A' + n } else { b'a' + n - 26 }))
    };
    match cp {
        0xFF21..=0xFF3A => char::from_u32(cp - 0xFF21 + u32::from('A')),
        0xFF41..=0xFF5A => char::from_u32(cp - 0xFF41 + u32::from('a')),
        0x1D400..=0x1D6A3 => ascii_letter(cp - 0x1D400),
        _ => LOOKALIKES.iter().find(|(l, _)| *l == c).map(|&(_, a)| a),
    }
}

/// The detail of a `confusable-ident` finding for `word`, or `None` when it is not one.
pub(crate) fn confusable(word: &str) -> Option<String> {
    let escaped: String = word
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", u32::from(c))
            }
        })
        .collect();
    let skeleton: Option<String> = word
        .chars()
        .map(|c| if c.is_ascii() { Some(c) } else { lookalike(c) })
        .collect();
    if let Some(skeleton) = skeleton {
        return Some(format!("{escaped} looks like `{skeleton}`"));
    }
    let scripts: BTreeSet<Script> = word.chars().filter_map(script).collect();
    if scripts.len() > 1 {
        let names: Vec<String> = scripts.iter().map(|s| format!("{s:?}")).collect();
        return Some(format!("{escaped} mixes {}", names.join(" and ")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings of [`scan`], which must be the same whether it lexes the text itself or
    /// reads the scanner's tokens of it, and whether bidi controls are looked for at all.
    fn findings(text: &str) -> Vec<(u32, u32, Kind, String)> {
        let rows = |out: Out| -> Vec<(u32, u32, Kind, String)> {
            let mut rows: Vec<_> = (out.findings.into_iter())
                .map(|f| (f.line, f.col, f.kind, f.detail.unwrap_or_default()))
                .collect();
            rows.sort();
            rows
        };
        let mut own = Out::default();
        scan(text, None, &mut own);
        let src = crate::source::lex::src::Src::new(text);
        let mut toks = Vec::new();
        lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
        let mut read = Out::default();
        scan(text, Some(&toks), &mut read);
        let own = rows(own);
        assert_eq!(own, rows(read), "{text:?}");
        assert_eq!(
            may_hold_bidi(text),
            own.iter().any(|f| f.2 == Kind::BidiControl),
            "{text:?}"
        );
        own
    }

    #[test]
    fn bidi_controls_are_found_in_comments_strings_and_code() {
        let text = "fn f() {\n    let s = \"user\u{202E} \u{2066}// admin\u{2069}\u{2066}\";\n    /* \u{202E} } \u{2066} */\n}\n";
        assert_eq!(
            findings(text),
            vec![
                (
                    2,
                    18,
                    Kind::BidiControl,
                    "U+202E RLO, U+2066 LRI, U+2069 PDI".to_string()
                ),
                (
                    3,
                    8,
                    Kind::BidiControl,
                    "U+202E RLO, U+2066 LRI".to_string()
                ),
            ]
        );
        // marks (LRM, RLM, ALM) do not reorder text: not reported
        assert!(findings("// \u{200E}\u{200F}\u{061C}\n").is_empty());
    }

    #[test]
    fn lookalike_and_mixed_script_identifiers() {
        let text = "fn p\u{430}ypal() {}\nlet \u{440}\u{43e}\u{440} = 1; let caf\u{e9} = 2;\n\
                    let \u{43f}\u{440}\u{438}\u{432}\u{435}\u{442} = 3; let \u{3b1}\u{3c0} = 4;\n\
                    let x\u{43f} = 5; let \u{ff46}\u{ff53} = 6; p\u{430}ypal();\n";
        assert_eq!(
            findings(text),
            vec![
                (
                    1,
                    4,
                    Kind::ConfusableIdent,
                    "p\\u{430}ypal looks like `paypal`".to_string()
                ),
                (
                    2,
                    5,
                    Kind::ConfusableIdent,
                    "\\u{440}\\u{43e}\\u{440} looks like `pop`".to_string()
                ),
                (
                    4,
                    5,
                    Kind::ConfusableIdent,
                    "x\\u{43f} mixes Latin and Cyrillic".to_string()
                ),
                (
                    4,
                    17,
                    Kind::ConfusableIdent,
                    "\\u{ff46}\\u{ff53} looks like `fs`".to_string()
                ),
            ]
        );
    }

    #[test]
    fn literals_comments_and_lifetimes() {
        // Lookalikes in strings, chars and comments are text, not identifiers.
        let text = "// p\u{430}ypal\nlet s = \"p\u{430}ypal\"; let c = '\u{430}'; /* \u{430} */\n\
                    let r = r#\"\u{430}\"#; fn f<'\u{430}>() {}\n";
        assert_eq!(
            findings(text),
            vec![(
                3,
                23,
                Kind::ConfusableIdent,
                "\\u{430} looks like `a`".to_string()
            )]
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "\u{430}",
            "'\u{430}",
            "\"\u{430}",
            "r#\"\u{430}",
            "/*\u{430}",
            "'\\\u{430}",
            "1\u{430}",
            "b'\u{430}",
            "\u{202E}",
            // the scanner's lexer and the rule's own walk agree on these too
            "r#p\u{430}ypal + p\u{430}ypal",
            "b\"p\u{430}\" c\"\u{430}\" br#\"\u{430}\"# x",
            "1.\u{430}x 0x\u{430} 1e\u{430} \u{430}1",
            "'\u{430}b: loop {} '\u{430}' \u{3b1}\u{430}",
            "_\u{430} __\u{430} \u{2192} \u{430}\u{202E}x // \u{2066}",
            "\u{e9}t\u{e9} caf\u{e9} \u{43f}\u{440}\u{438}",
        ] {
            let _ = findings(text);
        }
    }
}
