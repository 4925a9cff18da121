//! A cheap look at how deep syn would recurse, before syn does.
//!
//! syn's parser recurses once per nesting level, and a stack overflow aborts the whole process
//! (it cannot be caught), so files that would nest too deep never reach syn: they get the
//! token-level scan. Brackets are the obvious nesting, but not the only one. syn also recurses,
//! without any bracket, through:
//! - unary operators and reference / pointer types (`- - x`, `&mut &mut T`, `*const *const T`),
//!   pending until their operand;
//! - constructs whose right-hand side runs to the end of the expression: closures (`|x| |y| ..`,
//!   `move ||`), `return`, `break`, `yield`, `become`, `let`, assignments (`a = b = ..`,
//!   `a += b += ..`), prefix ranges (`.. .. x`), return types (`fn() -> fn() -> ..`) and
//!   pattern bindings (`a @ b @ ..`), pending until a `,`, `;` or `=>` of their group;
//! - generic arguments (`Vec<Vec<..>>`), counted per statement.
//!
//! Each of these, found tens of thousands deep in a test, overflowed a 2 MiB stack before this
//! check counted it. The count is an over-estimate of syn's depth (binary operators and
//! method chains, which syn parses in a loop, are not counted); deep trees built by those are
//! caught by the visitor's own bound ([`MAX_VISIT_DEPTH`]).

use crate::source::lex::lexer;
use crate::source::lex::tokens::TK;

/// Deepest bracket nesting, and deepest angle-bracket nesting within one statement, handed to
/// syn; deeper files get the token scan. Real code stays far below.
pub const MAX_NESTING: usize = 256;

/// Deepest syn tree we walk (expression, type, pattern and item levels together). The
/// byte-level pre-check keeps bracket nesting under [`MAX_NESTING`]; this catches what it cannot
/// see, such as a long `else if` chain.
pub(crate) const MAX_VISIT_DEPTH: u32 = 2048;

/// Words that are neither operands nor nesting: after them a `-` or `|` is still a prefix.
const NOT_OPERANDS: &[&str] = &[
    "as", "async", "const", "dyn", "else", "enum", "extern", "fn", "for", "gen", "if", "impl",
    "in", "loop", "match", "mod", "move", "mut", "pub", "raw", "ref", "static", "struct", "trait",
    "type", "unsafe", "use", "where", "while",
];

/// Words whose operand runs to the end of the expression.
const LOOSE_WORDS: &[&str] = &["return", "break", "yield", "become", "let", "box"];

/// What was pending when a bracket opened; restored when it closes.
#[derive(Debug, Clone, Copy)]
struct Level {
    loose: usize,
    prefix: usize,
    /// For an attribute's `[`: whether the token before the `#` ended an operand, since the
    /// attribute is transparent (`- #[a] - x` is two unary minuses).
    attr_operand: Option<bool>,
}

#[derive(Debug, Default)]
struct Count {
    depth: usize,
    angle: usize,
    loose: usize,
    prefix: usize,
    levels: Vec<Level>,
    /// The previous token ends an operand (a `-` or `|` after it is binary).
    operand: bool,
    /// Between the bars of a closure's parameters.
    in_params: bool,
    /// A `#` was just seen: the next `[` opens an attribute.
    hash: bool,
    /// A block just closed: unless an operator follows, its statement (`if let .. {}`,
    /// `fn f() -> T {}`) is over, and what was pending in it with it.
    after_block: bool,
}

impl Count {
    fn base(&self) -> (usize, usize) {
        self.levels.last().map_or((0, 0), |l| (l.loose, l.prefix))
    }

    /// An operand ends: the unary operators of this group are resolved.
    fn operand(&mut self) {
        if !self.in_params {
            self.prefix = self.base().1;
        }
        self.operand = true;
    }

    /// `,` `;` `=>`: the expressions of this group end.
    fn end_expr(&mut self) {
        (self.loose, self.prefix) = self.base();
        self.operand = false;
    }

    fn open(&mut self, c: u8) {
        self.levels.push(Level {
            loose: self.loose,
            prefix: self.prefix,
            attr_operand: (c == b'[' && self.hash).then_some(self.operand),
        });
        self.depth += 1;
        self.operand = false;
        if c == b'{' {
            self.angle = 0;
        }
    }

    fn close(&mut self, c: u8) {
        self.depth = self.depth.saturating_sub(1);
        let level = self.levels.pop();
        if let Some(l) = level {
            (self.loose, self.prefix) = (l.loose, l.prefix);
        }
        if c == b'}' {
            self.angle = 0;
        }
        match level.and_then(|l| l.attr_operand) {
            Some(before) => self.operand = before,
            None => {
                self.operand();
                self.after_block = c == b'}';
            }
        }
    }

    fn too_deep(&self) -> bool {
        self.depth + self.loose + self.prefix > MAX_NESTING || self.angle > MAX_NESTING
    }
}

/// `Some(reason)` when syn could recurse deeper than [`MAX_NESTING`] on `text`.
pub(crate) fn nesting_problem(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut n = Count::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied().unwrap_or(0);
        let hash = std::mem::take(&mut n.hash);
        let comment = c == b'/' && matches!(next, b'/' | b'*');
        if n.after_block && !c.is_ascii_whitespace() && !comment {
            n.after_block = false;
            let operator = b"+-*/%^&|<>=!.?@".contains(&c)
                || (b[i..].starts_with(b"as")
                    && !b
                        .get(i + 2)
                        .is_some_and(|x| x.is_ascii_alphanumeric() || *x == b'_'));
            if !operator {
                (n.loose, n.prefix) = n.base();
            }
        }
        match c {
            _ if c.is_ascii_whitespace() => {
                // a run of whitespace changes nothing: the fast path's blanked text is
                // mostly spaces, so they go eight at a time
                n.hash = hash;
                i += 1;
                while b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok())
                    == Some(*b"        ")
                {
                    i += 8;
                }
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                continue;
            }
            b'/' if next == b'/' => {
                i = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p);
                n.hash = hash;
                continue;
            }
            b'/' if next == b'*' => {
                i = lexer::skip_block_comment(b, i);
                n.hash = hash;
                continue;
            }
            b'"' => {
                i = lexer::skip_quoted(b, i + 1, b'"');
                n.operand();
            }
            b'\'' => {
                let (end, kind) = lexer::quote(text, i);
                if kind == TK::Lit {
                    i = end;
                    n.operand();
                } else {
                    // a lifetime or label is transparent: skip its name too
                    i = end;
                    i += b[i..]
                        .iter()
                        .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_' || **x >= 0x80)
                        .count();
                }
            }
            b'0'..=b'9' => {
                i += b[i..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_')
                    .count();
                n.operand();
            }
            b'(' | b'[' | b'{' => {
                n.hash = hash;
                n.open(c);
                i += 1;
            }
            b')' | b']' | b'}' => {
                n.close(c);
                i += 1;
            }
            b';' => {
                n.end_expr();
                n.angle = 0;
                i += 1;
            }
            b',' => {
                if !n.in_params {
                    n.end_expr();
                }
                n.angle = 0;
                i += 1;
            }
            b'=' => {
                let prev = if i > 0 { b[i - 1] } else { 0 };
                let prev2 = if i > 1 { b[i - 2] } else { 0 };
                if next == b'>' {
                    n.end_expr();
                    i += 2;
                    continue;
                }
                if next == b'=' {
                    i += 2;
                } else {
                    let comparison = matches!(prev, b'=' | b'!')
                        || (matches!(prev, b'<' | b'>') && prev2 != prev);
                    if !comparison {
                        n.loose += 1; // `=` and `op=` are right-associative
                    }
                    i += 1;
                }
                n.operand = false;
            }
            b'|' => {
                if n.in_params {
                    n.in_params = false;
                    i += 1;
                } else if !n.operand {
                    n.loose += 1;
                    if next == b'|' {
                        i += 2;
                    } else {
                        n.in_params = true;
                        i += 1;
                    }
                } else {
                    i += if next == b'|' { 2 } else { 1 };
                }
                n.operand = false;
            }
            b'-' if next == b'>' => {
                n.loose += 1;
                n.operand = false;
                i += 2;
            }
            b'.' if next == b'.' => {
                if !n.operand {
                    n.loose += 1;
                }
                i += if matches!(b.get(i + 2), Some(b'=' | b'.')) {
                    3
                } else {
                    2
                };
                n.operand = false;
            }
            b'!' | b'-' | b'*' | b'&' => {
                if !n.operand {
                    n.prefix += 1;
                    i += 1;
                } else {
                    // binary; `&&` and `!=` are one operator
                    i += if next == c && c == b'&' { 2 } else { 1 };
                }
                n.operand = false;
            }
            b'@' => {
                n.loose += 1;
                n.operand = false;
                i += 1;
            }
            b'?' => {
                n.operand = true;
                i += 1;
            }
            b'#' => {
                n.hash = true;
                i += 1;
            }
            b'<' => {
                n.angle += 1;
                n.operand = false;
                i += 1;
            }
            b'>' => {
                n.angle = n.angle.saturating_sub(1);
                n.operand = false;
                i += 1;
            }
            _ if c < 0x80 && !(c.is_ascii_alphabetic() || c == b'_') => {
                n.operand = false;
                i += 1;
            }
            _ => {
                let Some(ch) = text.get(i..).and_then(|t| t.chars().next()) else {
                    i += 1;
                    continue;
                };
                if !(ch == '_' || ch.is_alphabetic()) {
                    n.operand = false;
                    i += ch.len_utf8();
                    continue;
                }
                let (end, kind, start) = lexer::word(text, i);
                let word = &text[start..end.max(start)];
                i = end.max(i + 1);
                if kind == TK::Lit {
                    n.operand();
                } else if LOOSE_WORDS.contains(&word) {
                    n.loose += 1;
                    n.operand = false;
                } else if NOT_OPERANDS.contains(&word) {
                    n.operand = false;
                } else {
                    n.operand();
                }
            }
        }
        if n.too_deep() {
            return Some(format!("nesting deeper than {}", MAX_NESTING));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(s: &str) -> bool {
        nesting_problem(s).is_some()
    }

    #[test]
    fn every_bracket_free_recursion_is_counted() {
        let n = 300;
        for (what, src) in [
            ("closures", format!("let c = {}x;", "|| ".repeat(n))),
            (
                "closures with params",
                format!("let c = {}x;", "|a, (b | c)| ".repeat(n)),
            ),
            (
                "move closures",
                format!("let c = {}x;", "move || ".repeat(n)),
            ),
            ("return", format!("{}x;", "return ".repeat(n))),
            ("break", format!("{}x;", "break 'a ".repeat(n))),
            ("&mut", format!("let c = {}x;", "&mut ".repeat(n))),
            (
                "&raw const",
                format!("let c = {}x;", "&raw const ".repeat(n)),
            ),
            ("*const", format!("type T = {}u8;", "*const ".repeat(n))),
            ("&'a", format!("type T = {}u8;", "&'a ".repeat(n))),
            ("fn ->", format!("type T = {}u8;", "fn() -> ".repeat(n))),
            (
                "impl Fn ->",
                format!("fn f() -> {}u8 {{}}", "impl Fn() -> ".repeat(n)),
            ),
            ("@", format!("match x {{ {}_ => {{}} }}", "a @ ".repeat(n))),
            (
                "box patterns",
                format!("match x {{ {}_ => {{}} }}", "box ".repeat(n)),
            ),
            ("prefix range", format!("let c = {}x;", ".. ".repeat(n))),
            ("let", format!("if {}true {{}}", "let a = ".repeat(n))),
            ("assign", format!("{}x;", "a = ".repeat(n))),
            ("compound", format!("{}x;", "a <<= ".repeat(n))),
            ("attributes", format!("let c = {}x;", "- #[a] ".repeat(n))),
            (
                "unary in groups",
                format!("let c = {}x{};", "- (".repeat(n / 2), ")".repeat(n / 2)),
            ),
            (
                "return after blocks",
                format!("{}x;", "return {x} + ".repeat(n)),
            ),
            (
                "return in calls",
                format!("{}x;", "return f(a, a) + ".repeat(n)),
            ),
        ] {
            assert!(deep(&format!("fn f() {{ {src} }}")), "{what}");
        }
    }

    #[test]
    fn flat_code_is_not_deep() {
        let n = 5_000;
        for (what, src) in [
            (
                "binary chain",
                format!("let x = a{};", " - b * -c | d && !e".repeat(n)),
            ),
            (
                "negative table",
                format!("const T: [i8; {n}] = [{}];", "-1, ".repeat(n)),
            ),
            (
                "or-pattern",
                format!("match c {{ {}'z' => {{}} }}", "'a'..='b' | ".repeat(n)),
            ),
            (
                "many statements",
                "let a = || -x; a = b; return c;\n".repeat(n),
            ),
            (
                "comparisons",
                format!("let x = a{};", " <= b && c >= d && e != f".repeat(n)),
            ),
            ("closures as args", format!("f({});", "|x| x, ".repeat(n))),
            ("refs in args", format!("f({});", "&mut a, ".repeat(n))),
            (
                "arms",
                format!("match x {{ {} }}", "a @ 1..=2 => return -1, ".repeat(n)),
            ),
            ("strings", format!("let s = \"{}\";", "(((|| ".repeat(n))),
            ("if let", "if let Some(a) = b { c(); }\n".repeat(n)),
            (
                "blocks",
                "while let Some(a) = f() { g() }\nmatch x { _ => {} }\n".repeat(n),
            ),
            (
                "methods",
                format!(
                    "impl X {{ {} }}",
                    "#[inline] pub fn a(&self) -> u8 { 1 }\n".repeat(n)
                ),
            ),
            (
                "comments",
                format!("// {}\n/* {} */", "((".repeat(n), "{{".repeat(n)),
            ),
        ] {
            assert!(!deep(&format!("fn f() {{ {src} }}")), "{what}");
        }
    }
}
