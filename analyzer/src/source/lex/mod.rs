//! Text to tokens: the text with its line table, the hand-written lexer, the token vocabulary
//! every engine reads, string literals and `use` trees read from tokens. Depends on nothing
//! else in `source/`.

pub(crate) mod lexer;
pub(crate) mod literal;
pub(crate) mod src;
pub(crate) mod tokens;
pub(crate) mod use_tokens;
