//! What a build script's code says about `OUT_DIR` and its file writes, beyond the findings:
//! the `codegen` rule of `build_script.rs` asks where the script reads `OUT_DIR` and which of
//! its `OpenOptions` open files for writing. Findings say which paths resolve to the
//! environment and the file system; the tokens here add the argument (`"OUT_DIR"`) and the
//! flags (`.write(true)`), which findings do not carry.
//!
//! Tokens come from the plain lexer: comments are skipped and string literals are single
//! tokens, so `OUT_DIR` in a comment or in some other string is never a read.

use crate::source::lex::lexer;
use crate::source::lex::literal::string_value;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok};

/// Methods of `std::fs::OpenOptions` (and its wrappers' look-alikes) that let `open` write
/// or create.
const WRITE_FLAGS: &[&str] = &["write", "append", "create", "create_new", "truncate"];

/// The tokens of one build-script file, for the `codegen` rule.
pub(crate) struct BuildCode<'s> {
    src: Src<'s>,
    toks: Vec<Tok>,
}

impl<'s> BuildCode<'s> {
    pub fn new(text: &'s str) -> Self {
        let src = Src::new(text);
        let mut toks = Vec::new();
        lexer::lex(&src, 0, text.len(), &mut toks);
        BuildCode { src, toks }
    }

    /// Index of the token starting at 1-based `line`, `col` (a finding's position).
    fn at(&self, line: u32, col: u32) -> Option<usize> {
        let k = self.toks.partition_point(|t| (t.line, t.col) < (line, col));
        self.toks
            .get(k)
            .is_some_and(|t| (t.line, t.col) == (line, col))
            .then_some(k)
    }

    /// The functions this file defines whose body holds one of `env_calls` (the positions of
    /// its `std::env::var` / `var_os` findings): the wrappers build scripts write around the
    /// environment (`fn cargo_env_var(key: &str) -> OsString { env::var_os(key)... }`, a
    /// `mod env { pub fn var_os(..) }` that also prints `rerun-if-env-changed`).
    pub fn env_helpers(&self, env_calls: &[(u32, u32)]) -> Vec<String> {
        let mut names = Vec::new();
        let toks = &self.toks;
        for (k, t) in toks.iter().enumerate() {
            if !t.is_ident(&self.src, "fn") {
                continue;
            }
            let Some(name) = toks.get(k + 1).filter(|n| n.kind == TK::Ident) else {
                continue;
            };
            // the body: the first `{` outside the signature's brackets (`[u8; 4]`), unless a
            // `;` ends a bodiless declaration first
            let mut nested = 0usize;
            let mut open = None;
            for (i, b) in toks.iter().enumerate().skip(k + 2) {
                match b.kind {
                    TK::Open(Delim::Brace) if nested == 0 => {
                        open = Some(i);
                        break;
                    }
                    TK::Open(_) => nested += 1,
                    TK::Close(_) if nested == 0 => break,
                    TK::Close(_) => nested -= 1,
                    TK::Punct(b';') if nested == 0 => break,
                    _ => {}
                }
            }
            let Some(open) = open else {
                continue;
            };
            let mut depth = 0usize;
            let mut close = toks.len() - 1;
            for (i, b) in toks.iter().enumerate().skip(open) {
                match b.kind {
                    TK::Open(_) => depth += 1,
                    TK::Close(_) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            close = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let (from, to) = (&toks[open], &toks[close]);
            let inside = |p: &(u32, u32)| (from.line, from.col) < *p && *p < (to.line, to.col);
            if env_calls.iter().any(inside) {
                names.push(name.text(&self.src).to_owned());
            }
        }
        names
    }

    /// Lines where the code reads `OUT_DIR`, in order: `"OUT_DIR"` as the first argument of a
    /// call whose path starts at one of `env_calls` (the positions of the file's
    /// `std::env::var` / `var_os` findings), of a function named in `helpers` (see
    /// [`BuildCode::env_helpers`]; a call by path or name, not a method), or of `env!` /
    /// `option_env!`.
    pub fn out_dir_reads(&self, env_calls: &[(u32, u32)], helpers: &[String]) -> Vec<u32> {
        let src = &self.src;
        let mut lines = Vec::new();
        for (k, t) in self.toks.iter().enumerate() {
            if t.kind != TK::Lit || string_value(t.text(src)).as_deref() != Some("OUT_DIR") {
                continue;
            }
            let Some(open) = k.checked_sub(1).map(|o| &self.toks[o]) else {
                continue;
            };
            let Some(callee) = k.checked_sub(2) else {
                continue;
            };
            let read = match open.kind {
                TK::Open(Delim::Paren) => {
                    self.macro_named(callee, &["env", "option_env"])
                        || self.path_starts_at(callee, env_calls)
                        || self.helper_call(callee, helpers)
                }
                TK::Open(Delim::Bracket | Delim::Brace) => {
                    self.macro_named(callee, &["env", "option_env"])
                }
                _ => false,
            };
            if read {
                lines.push(t.line);
            }
        }
        lines
    }

    /// `NAME!` ends at token `end`, NAME one of `names` (bare or as the last segment).
    fn macro_named(&self, end: usize, names: &[&str]) -> bool {
        self.toks[end].is_punct('!')
            && end
                .checked_sub(1)
                .is_some_and(|n| names.iter().any(|w| self.toks[n].is_ident(&self.src, w)))
    }

    /// Token `end` is the last segment of a path (not a method) naming one of `helpers`.
    fn helper_call(&self, end: usize, helpers: &[String]) -> bool {
        let t = &self.toks[end];
        t.kind == TK::Ident
            && helpers.iter().any(|h| t.is_ident(&self.src, h))
            && !end
                .checked_sub(1)
                .is_some_and(|b| self.toks[b].is_punct('.'))
    }

    /// The path ending at token `end` (`a::b::c`, `::a::b`) starts at one of `starts`.
    fn path_starts_at(&self, end: usize, starts: &[(u32, u32)]) -> bool {
        let mut k = end;
        loop {
            let t = &self.toks[k];
            if t.kind != TK::Ident && t.kind != TK::PathSep {
                return false;
            }
            if starts.contains(&(t.line, t.col)) {
                return true;
            }
            let before = k.checked_sub(1).map(|b| self.toks[b].kind);
            let joined = match t.kind {
                TK::Ident => before == Some(TK::PathSep),
                _ => before == Some(TK::Ident),
            };
            if !joined {
                return false;
            }
            k -= 1;
        }
    }

    /// Whether the statement holding the finding at `line`, `col` (an `OpenOptions::new()` or
    /// `File::options()`) calls one of its write flags: `.write(..)`, `.create(..)`, ... up to
    /// the `;` or the end of the enclosing group. A flag set in a later statement
    /// (`opts.write(true);`) is not followed.
    pub fn opens_for_writing(&self, line: u32, col: u32) -> bool {
        let Some(start) = self.at(line, col) else {
            return false;
        };
        let mut depth = 0usize;
        for (k, t) in self.toks.iter().enumerate().skip(start) {
            match t.kind {
                TK::Open(_) => depth += 1,
                TK::Close(_) if depth == 0 => return false,
                TK::Close(_) => depth -= 1,
                TK::Punct(b';') if depth == 0 => return false,
                TK::Ident
                    if k > 0
                        && self.toks[k - 1].is_punct('.')
                        && WRITE_FLAGS.contains(&t.text(&self.src))
                        && self
                            .toks
                            .get(k + 1)
                            .is_some_and(|n| n.kind == TK::Open(Delim::Paren)) =>
                {
                    return true;
                }
                _ => {}
            }
        }
        false
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The positions of `needle`'s occurrences in `text`, as findings give them.
    fn at(text: &str, needle: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if let Some(i) = line.find(needle) {
                out.push((n as u32 + 1, line[..i].chars().count() as u32 + 1));
            }
        }
        out
    }

    #[test]
    fn reads_in_code_count_words_elsewhere_do_not() {
        let text = "// OUT_DIR is where we write\n\
            fn main() {\n\
            let d = env::var(\"OUT_DIR\").unwrap();\n\
            let e = std::env::var_os(r\"OUT_DIR\");\n\
            println!(\"OUT_DIR\");\n\
            let f = env!(\"OUT_DIR\");\n\
            let g = other::var(\"OUT_DIR\");\n\
            let h = env::var(\"OUT_DIR_X\");\n\
            /* env::var(\"OUT_DIR\") */\n\
            }\n";
        let code = BuildCode::new(text);
        let mut calls = at(text, "env::var(");
        calls.extend(at(text, "std::env::var_os"));
        assert_eq!(code.out_dir_reads(&calls, &[]), vec![3, 4, 6]);
        // without findings for the calls, only the macro reads
        assert_eq!(code.out_dir_reads(&[], &[]), vec![6]);
    }

    #[test]
    fn a_call_imported_by_name_is_found_at_its_single_segment() {
        let text = "use std::env::var_os;\nfn main() { var_os(\"OUT_DIR\"); }\n";
        let calls = at(text, "var_os(");
        assert_eq!(BuildCode::new(text).out_dir_reads(&calls, &[]), vec![2]);
    }

    #[test]
    fn a_wrapper_of_the_environment_reads_too() {
        let text = "fn main() {\n\
            let a = cargo_env_var(\"OUT_DIR\");\n\
            let b = env::var_os(\"OUT_DIR\");\n\
            let c = cfg.var_os(\"OUT_DIR\");\n\
            let d = lookup(\"OUT_DIR\");\n\
            }\n\
            fn cargo_env_var(key: &str) -> OsString {\n\
            std::env::var_os(key).unwrap()\n\
            }\n\
            mod env { pub fn var_os(name: &str) -> Option<OsString> {\n\
            println!(\"cargo:rerun-if-env-changed={}\", name);\n\
            std::env::var_os(name)\n\
            } }\n\
            fn lookup(key: &str) -> String { key.to_owned() }\n\
            fn sized(k: [u8; 4]) -> Option<OsString> { std::env::var_os(k) }\n\
            trait T { fn var_os(&self, k: &str); }\n";
        let code = BuildCode::new(text);
        let calls = at(text, "std::env::var_os");
        let helpers = code.env_helpers(&calls);
        assert_eq!(helpers, vec!["cargo_env_var", "var_os", "sized"]);
        // the wrappers' callers read; a method and a function that reads nothing do not
        assert_eq!(code.out_dir_reads(&calls, &helpers), vec![2, 3]);
    }

    #[test]
    fn open_options_write_only_with_a_write_flag_in_the_statement() {
        let text = "fn main() {\n\
            let w = OpenOptions::new().create(true).write(true).open(p);\n\
            let r = OpenOptions::new().read(true).open(p);\n\
            let s = OpenOptions::new(); s.write(true);\n\
            }\n";
        let code = BuildCode::new(text);
        let opens = at(text, "OpenOptions::new");
        let writes: Vec<bool> = opens
            .iter()
            .map(|&(l, c)| code.opens_for_writing(l, c))
            .collect();
        assert_eq!(writes, vec![true, false, false]);
        // no token starts there
        assert!(!code.opens_for_writing(1, 2));
    }
}
