//! The `cfg` names a build script's text can set, for `build_script.rs`.

use crate::source::lex::lexer;
use crate::source::lex::literal::string_value;
use crate::source::lex::src::Src;
use crate::source::lex::tokens;

/// What a build script's text says about the `cfg` names it can set: the contents of its
/// string literals (plain, raw, byte and C strings, as written), and the keys of
/// `name: { .. }` pairs (the `cfg_aliases!` syntax).
#[derive(Debug, Default)]
pub(crate) struct CfgWords {
    pub literals: Vec<String>,
    pub alias_keys: Vec<String>,
}

pub(crate) fn cfg_words(text: &str) -> CfgWords {
    let src = Src::new(text);
    let mut toks = Vec::new();
    lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
    let mut words = CfgWords::default();
    for (k, t) in toks.iter().enumerate() {
        match t.kind {
            tokens::TK::Lit => {
                if let Some(s) = string_value(t.text(&src)) {
                    words.literals.push(s);
                }
            }
            tokens::TK::Ident
                if toks.get(k + 1).is_some_and(|n| n.is_punct(':') && !n.joint)
                    && toks
                        .get(k + 2)
                        .is_some_and(|n| n.kind == tokens::TK::Open(tokens::Delim::Brace)) =>
            {
                words.alias_keys.push(t.text(&src).to_owned());
            }
            _ => {}
        }
    }
    words
}
