//! Scanning one Rust source file: syn first, token-level fallback when syn fails. This module
//! is the entry point ([`scan_source`]) and what the rest of the crate imports; the work is in
//! its parts, whose dependencies point one way (see ARCHITECTURE.md):
//!
//! - `plan/`: the fast path, what syn needs to see of the file.
//! - `syn_engine/`: which texts syn may see, the import map from the tree, the syn visitor.
//! - `token_engine/`: the token-level rules (macro bodies, files syn rejects) and the
//!   expansion of the file's own splicing `macro_rules!`.
//! - `resolve/`: the import map (one scope per inline module) and path resolution.
//! - `lex/`: the text and its line table, the lexer, the token vocabulary.
//! - `decls/`: what the file tells the crate pass (modules, `include!`s, bindings, paths that
//!   leave the file); `templates.rs`: its code templates; `unicode.rs`: the hidden-text rules;
//!   `attrs.rs`: the attribute rules; `build_text/`: what a build script's text says.
//! - `prepare.rs` (the text before lexing), `out.rs` (what the engines write), `scanned.rs`
//!   (what a scan hands the crate pass).

mod attrs;
mod build_text;
pub(crate) mod decls;
mod lex;
mod out;
mod plan;
mod prepare;
mod resolve;
mod scanned;
mod syn_engine;
mod templates;
mod token_engine;
mod unicode;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_more;
#[cfg(test)]
mod tests_scopes;

use risk_report::facts::{FileFacts, Finding, Origin, Parse};

use unicode_normalization::UnicodeNormalization;

use crate::gates::GateId;
pub(crate) use build_text::cfg_words::cfg_words;
pub(crate) use build_text::out_dir::BuildCode;
use lex::src::Src;
use lex::{lexer, tokens};
use out::Out;
use prepare::{blank_frontmatter, strip_bom_and_shebang};
use resolve::imports::ROOT;
pub(crate) use resolve::imports::value_like;
pub(crate) use scanned::Scanned;
pub use syn_engine::depth::MAX_NESTING;
use syn_engine::{depth, visit};
pub(crate) use templates::CrateTemplates;
use token_engine::{expand, rules};

/// Largest file handed to syn. Its tree costs up to ~400 bytes of memory per byte of source
/// (measured: 4 MB of `1+1+..` took 1.7 GB), so a file under the tarball's entry cap could
/// still take tens of GB. Real files stay far below (the biggest in a 380-crate registry
/// cache: 2.5 MB). Bigger files get the token scan with the plain lexer (20 bytes per token).
pub const MAX_SYN_BYTES: usize = 4 * 1024 * 1024;

/// Largest file scanned at all; bigger ones are recorded as not analyzed.
pub const MAX_SCAN_BYTES: usize = 16 * 1024 * 1024;

/// Stack a thread needs to run [`scan_source`] on any input: syn recurses once per nesting
/// level with large frames (measured in a debug build: ~16 MiB for 250 nested `Vec<`, the
/// worst case under [`MAX_NESTING`]; release builds need a fraction of it). Deeper input never
/// reaches syn, so this bound holds for hostile files too. The driver's workers should use it.
pub const STACK_BYTES: usize = 32 * 1024 * 1024;

/// How much of a file syn parses. Both modes give the same facts (a test and
/// `examples/fast_check.rs` hold them to it); `Exhaustive` exists to prove that.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Items that hold no name any rule looks at are blanked before syn sees the file; see
    /// `plan/`.
    #[default]
    Fast,
    /// syn parses every item of every file (and, when it rejects the file, the relevant items
    /// alone, as the fast path does).
    Exhaustive,
}

/// Scans one file. Pure: the same path and text always give the same facts. The role is left
/// as `Shipped`; the crate pass sets it. Test-only code is decided by the default
/// [`TestRules`](crate::gates::TestRules) (the crate pass uses the crate's own).
pub fn scan_source(path: &str, text: &str) -> FileFacts {
    scan_source_with(path, text, Mode::Fast)
}

/// [`scan_source`] in a chosen [`Mode`].
pub fn scan_source_with(path: &str, text: &str, mode: Mode) -> FileFacts {
    let mut scanned = scan(path, text, mode);
    scanned.mark_emitted(&CrateTemplates::of([&scanned.templates]));
    scanned.decided(&crate::gates::TestRules::default())
}

/// Scans one file, leaving test code undecided (see [`Scanned`]).
pub(crate) fn scan(path: &str, text: &str, mode: Mode) -> Scanned {
    let body = strip_bom_and_shebang(text);
    let body = &*blank_frontmatter(body);
    if body.len() > MAX_SCAN_BYTES {
        let facts = FileFacts {
            path: path.to_string(),
            bytes: text.len() as u64,
            lines: line_count(text),
            parse: Parse::NotAnalyzed {
                reason: format!(
                    "larger than the {} MiB scan cap ({} bytes)",
                    MAX_SCAN_BYTES >> 20,
                    text.len()
                ),
            },
            ..FileFacts::default()
        };
        return Scanned {
            facts,
            ..Scanned::default()
        };
    }
    // rustc compares identifiers after NFC normalization (`e` + U+0301 is `é`): so does every
    // name lookup here, on a normalized copy (only a line holding such text can see its later
    // columns move). The hidden-text rules read the text as written.
    let normalized;
    let written = body;
    let body = if !body.is_ascii()
        && unicode_normalization::is_nfc_quick(body.chars())
            != unicode_normalization::IsNormalized::Yes
    {
        normalized = body.nfc().collect::<String>();
        normalized.as_str()
    } else {
        body
    };
    let src = Src::new(body);
    // one lex of the whole file, for the declarations and the fast path's plan
    let mut toks = Vec::with_capacity(body.len() / 4);
    // the item keywords, where attributes, invocations and parsed strings can be, and the
    // tokens the declarations' walk acts on, listed while lexing: walks skip the rest
    let (mut words, mut marks, mut steps) = (Vec::new(), Vec::new(), Vec::new());
    lexer::lex_marked(&src, &mut toks, &mut words, &mut marks, &mut steps);
    // the bracket table, shared: the plan needs balanced brackets, the declarations any
    let balanced = tokens::match_brackets(&toks);
    let mut decls = match &balanced {
        Some(close) => decls::read(&toks, close, &words, &steps, &src),
        None => decls::read(&toks, &tokens::matching(&toks), &words, &steps, &src),
    };
    decls.base = (text.len() - written.len()) as u32;
    // the file's own macros that splice their arguments, expanded where invoked
    let macros = match &balanced {
        Some(close) => expand::Macros::of(body, &toks, close),
        None => expand::Macros::of(body, &toks, &tokens::matching(&toks)),
    };
    let templates = match &balanced {
        Some(close) => templates::read(&toks, close, &words, &marks, &src),
        None => templates::read(&toks, &tokens::matching(&toks), &words, &marks, &src),
    };
    let mut out = Out::default();
    let parse = analyze(
        &src,
        &toks,
        &words,
        balanced.as_deref(),
        macros.as_ref(),
        &mut out,
        mode,
    );
    // Text-level rules (bidi controls, lookalike identifiers): exact in every parse mode.
    let same_text = std::ptr::eq(written, body);
    unicode::scan(written, same_text.then_some(&toks[..]), &mut out);
    drop(toks);
    templates::scan_strings(&templates, &src, &mut out);
    // proc-macro2 keeps every lexed file in a thread-local source map (u32 offsets, text
    // copied): forget this file's spans so a long-running worker neither grows nor overflows.
    proc_macro2::extra::invalidate_current_thread_spans();
    let mut pairs: Vec<(Finding, Vec<GateId>)> = out.findings.into_iter().zip(out.gated).collect();
    pairs.sort();
    let (findings, gated) = pairs.into_iter().unzip();
    Scanned {
        facts: FileFacts {
            path: path.to_string(),
            bytes: text.len() as u64,
            lines: line_count(text),
            parse,
            findings,
            ..FileFacts::default()
        },
        gates: out.gates,
        gated,
        decls,
        dep_refs: Vec::new(),
        templates,
    }
}

/// `text.lines().count()`, counting newlines in one fast pass.
fn line_count(text: &str) -> u32 {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let last = usize::from(!text.is_empty() && !text.ends_with('\n'));
    u32::try_from(newlines + last).unwrap_or(u32::MAX)
}

fn analyze(
    src: &Src<'_>,
    toks: &[tokens::Tok],
    words: &[u32],
    close: Option<&[u32]>,
    macros: Option<&expand::Macros<'_>>,
    out: &mut Out,
    mode: Mode,
) -> Parse {
    if src.text.len() > MAX_SYN_BYTES {
        let why = format!(
            "larger than the {} MiB syntax-tree cap",
            MAX_SYN_BYTES >> 20
        );
        return fallback_with(src, macros, out, why, false);
    }
    let plan = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            plan::plan(src, toks, close, words)
        }))
        .ok()
        .flatten()
    };
    // The relevant items alone; `Err` when they nest too deep or syn rejects them.
    // syn's depth limit is on what syn reads: a lifted body is the token scanner's, which
    // walks any nesting in a loop
    let relevant = |plan: &plan::Plan, out: &mut Out| {
        let (text, map) = plan.syn_text();
        match depth::nesting_problem(text) {
            Some(problem) => Err(problem),
            None => {
                let scanned = Src::mapped(&plan.text, &plan.map);
                let lifted = syn_engine::Lifted {
                    src: &scanned,
                    bodies: &plan.lifted,
                };
                syn_scan(&Src::mapped(text, map), macros, Some(lifted), out)
            }
        }
    };
    let whole = |out: &mut Out| match depth::nesting_problem(src.text) {
        Some(problem) => Err(problem),
        None => syn_scan(src, macros, None, out),
    };
    if mode == Mode::Fast
        && let Some(plan) = plan()
    {
        if relevant(&plan, out).is_ok() {
            return Parse::Parsed;
        }
        // the whole file decides, as in the exhaustive path
        return match whole(out) {
            Ok(()) => Parse::Parsed,
            Err(error) => fallback(src, macros, out, error),
        };
    }
    match whole(out) {
        Ok(()) => Parse::Parsed,
        // A file syn rejects (or that nests too deep) whose relevant items parse alone: the
        // rest holds no name any rule looks at, so the findings are exact (see `plan/`).
        Err(error) => match plan() {
            Some(plan) if relevant(&plan, out).is_ok() => Parse::Parsed,
            _ => fallback(src, macros, out, error),
        },
    }
}

/// syn parses `src.text` and the visitor scans the tree. On `Err` (syn's message, or a tree
/// too deep to walk) `out` is left empty.
fn syn_scan<'a, 's>(
    src: &'a Src<'s>,
    macros: Option<&'a expand::Macros<'s>>,
    lifted: Option<syn_engine::Lifted<'a, 's>>,
    out: &mut Out,
) -> Result<(), String> {
    match syn::parse_str::<syn::File>(src.text) {
        Ok(file) => match visit::scan_file(&file, src, macros, lifted, out) {
            Ok(()) => {
                drop(file);
                Ok(())
            }
            Err(problem) => {
                // The tree is deeper than our visitor dares to go, so dropping it would
                // recurse just as deep: leak it instead (only pathological files get here).
                std::mem::forget(file);
                out.clear();
                Err(problem)
            }
        },
        Err(e) => {
            let start = e.span().start();
            Err(format!("{}:{}: {}", start.line, start.column + 1, e))
        }
    }
}

/// The token-level scan of a whole file syn could not take.
fn fallback(
    src: &Src<'_>,
    macros: Option<&expand::Macros<'_>>,
    out: &mut Out,
    error: String,
) -> Parse {
    fallback_with(src, macros, out, error, true)
}

/// [`fallback`], with proc-macro2's lexer only when `proc_macro2` (it keeps a token tree and a
/// copy of the text: too much for files over [`MAX_SYN_BYTES`]).
fn fallback_with(
    src: &Src<'_>,
    macros: Option<&expand::Macros<'_>>,
    out: &mut Out,
    error: String,
    proc_macro2: bool,
) -> Parse {
    let mut toks = Vec::new();
    let lexed = if proc_macro2 {
        src.text.parse::<proc_macro2::TokenStream>().ok()
    } else {
        None
    };
    let lexer = match lexed {
        Some(stream) => {
            tokens::flatten(stream, src, &mut toks);
            "proc-macro2"
        }
        None => {
            lexer::lex(src, 0, src.text.len(), &mut toks);
            "plain"
        }
    };
    let imports = resolve::from_tokens::from_tokens(&toks, src);
    rules::scan(
        &toks,
        &rules::Ctx {
            src,
            imports: imports.at(ROOT),
            origin: Origin::Fallback,
            gates: &[],
            self_ty: (&[], false),
            modules: Some(&imports),
            macros,
            depth: 0,
        },
        out,
    );
    Parse::Fallback {
        error,
        lexer: lexer.to_string(),
    }
}

/// How many tokens the scanner's lexer reads in `text`, lexed as [`scan`] lexes a whole file:
/// what lexing every byte once costs; for the benchmark's floor (`examples/lex_all.rs`).
#[doc(hidden)]
pub fn lex_count(text: &str) -> usize {
    let src = Src::new(text);
    let mut toks = Vec::with_capacity(text.len() / 4);
    lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
    toks.len()
}

/// The text the fast path scans (every irrelevant item blanked), or `None` when it scans the
/// whole file; for the tests and the benchmark examples.
#[doc(hidden)]
pub fn fast_path_text(text: &str) -> Option<String> {
    fast_plan(text)
        .map(|p| p.text)
        .filter(|scanned| scanned != text)
}

/// The text the fast path hands to syn: [`fast_path_text`] less the macro bodies syn would
/// only hand to the token scanner, which it reads itself.
#[doc(hidden)]
pub fn fast_syn_text(text: &str) -> Option<String> {
    fast_plan(text).map(|p| p.syn_text().0.to_owned())
}

fn fast_plan(text: &str) -> Option<plan::Plan> {
    let src = Src::new(text);
    let mut toks = Vec::new();
    let mut words = Vec::new();
    lexer::lex_indexed(&src, &mut toks, &mut words);
    let close = tokens::match_brackets(&toks);
    plan::plan(&src, &toks, close.as_deref(), &words)
}
