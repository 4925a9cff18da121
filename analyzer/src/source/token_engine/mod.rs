//! The token-level rules, for macro bodies syn leaves opaque and whole files syn rejects:
//! how the walk steps through tokens and reads paths ([`walk`], which the fast path's planner
//! shares), the rules themselves ([`rules`]), and the expansion of the file's own
//! `macro_rules!` that splice their arguments ([`expand`]). Over `resolve/` and `lex/`.

pub(crate) mod expand;
pub(crate) mod rules;
pub(crate) mod walk;
