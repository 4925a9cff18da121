//! What `build_script.rs` asks of a build script's text beyond its findings: where it reads
//! `OUT_DIR` and opens files for writing ([`out_dir`]), and the `cfg` names it can set
//! ([`cfg_words`]). Over `lex/` only.

pub(crate) mod cfg_words;
pub(crate) mod out_dir;
