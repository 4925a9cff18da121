//! Literal expressions of inert items: literals combined by arithmetic and bit operators,
//! casts to primitives, arrays and tuples of them.

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::{Cur, MAX_DEPTH};

/// Primitive types accepted after `as` in a literal expression.
#[rustfmt::skip]
const CAST_TYPES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    "f32", "f64", "bool", "char",
];

impl Cur<'_> {
    /// Literals combined by arithmetic and bit operators, casts to primitives, arrays and
    /// tuples of them. No paths, so nothing for the path rules to classify.
    pub(super) fn expr(&mut self, depth: usize) -> Option<()> {
        self.unary(depth)?;
        while self.binop() {
            self.unary(depth)?;
        }
        Some(())
    }

    fn binop(&mut self) -> bool {
        let Some(TokenTree::Punct(p)) = self.peek() else {
            return false;
        };
        let c = p.as_char();
        if matches!(c, '+' | '-' | '*' | '/' | '%' | '^' | '|' | '&') && !self.combined(self.i) {
            self.i += 1;
            return true;
        }
        // `<<` and `>>`: a joint punct then the same one, not followed by `=`
        if p.spacing() == Spacing::Joint
            && matches!(c, '<' | '>')
            && matches!(self.t.get(self.i + 1), Some(TokenTree::Punct(q)) if q.as_char() == c)
            && !self.combined(self.i + 1)
        {
            self.i += 2;
            return true;
        }
        false
    }

    fn unary(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        while self.is_punct('-') || self.is_punct('!') {
            self.i += 1;
        }
        self.primary(depth)?;
        while self.kw("as").is_some() {
            let t = self.ident()?;
            // `x as u32 < y` and `<<` start generic arguments, not a comparison or shift
            if !CAST_TYPES.contains(&t.as_str()) || self.is_punct_char('<') {
                return None;
            }
        }
        Some(())
    }

    fn primary(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            TokenTree::Literal(_) => {
                self.i += 1;
                Some(())
            }
            TokenTree::Ident(id) if id == "true" || id == "false" => {
                self.i += 1;
                Some(())
            }
            TokenTree::Punct(p) if p.as_char() == '&' && !self.combined(self.i) => {
                self.i += 1;
                self.primary(depth + 1)
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                self.group(Delimiter::Parenthesis, |c| c.list(|c| c.expr(depth + 1)))
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                self.group(Delimiter::Bracket, |c| {
                    if c.done() {
                        return Some(());
                    }
                    c.expr(depth + 1)?;
                    if c.punct(';').is_some() {
                        return c.expr(depth + 1);
                    }
                    if !c.done() {
                        c.punct(',')?;
                    }
                    c.list(|c| c.expr(depth + 1))
                })
            }
            _ => None,
        }
    }
}
