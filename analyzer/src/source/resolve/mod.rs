//! Which path a name stands for in one file: the import map (one scope per inline module) and
//! its resolution, shared by both engines. Below the engines, over `lex/`.

pub(crate) mod from_tokens;
pub(crate) mod imports;
mod scopes;
