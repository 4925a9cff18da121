//! Scanning one Rust source file: syn first, token-level fallback when syn fails.
//!
//! Layout:
//! - `imports`: the import map (one scope per inline module) and path resolution shared by
//!   every mode.
//! - `scopes`: the per-module scopes of the import map and how they are finished.
//! - `collect`: the first pass that fills the import map, from a syn tree or flat tokens.
//! - `visit`: the syn visitor (exact findings, origin `Syntax`).
//! - `tokens`: flat tokens and the token-level scanner (macro bodies and the fallback).
//! - `lexer`: a hand-written lexer for text proc-macro2 cannot lex, and for macro bodies.
//! - `attrs`: attribute rules (`#[no_mangle]`, `cfg(test)`, ...) on flat tokens.
//! - `unicode`: text that hides code from reviewers (bidi controls, lookalike identifiers).
//!
//! Stack safety: syn and its tree drop recurse once per nesting level, so a hostile file could
//! abort the process. [`depth::nesting_problem`] rejects deep files before syn sees them, and every
//! walk of our own is iterative or depth-bounded (`visit::MAX_VISIT_DEPTH`).

mod attrs;
mod collect;
pub(crate) mod decls;
mod depth;
mod expand;
pub(crate) mod exported;
mod imports;
mod lexer;
mod out_dir;
mod relevant;
mod scopes;
mod templates;
mod tokens;
mod unicode;
mod use_tokens;
mod visit;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_more;
#[cfg(test)]
mod tests_scopes;

use std::cell::Cell;

use risk_report::facts::{DepPath, FileFacts, Finding, Kind, Origin, Parse};

use unicode_normalization::UnicodeNormalization;

use crate::gates::{GateId, GateTable};
use imports::ROOT;
pub(crate) use imports::value_like;
pub(crate) use out_dir::BuildCode;
pub(crate) use templates::CrateTemplates;

/// Deepest bracket nesting, and deepest angle-bracket nesting within one statement, handed to
/// syn; deeper files get the token scan. Real code stays far below.
pub const MAX_NESTING: usize = 256;

/// Largest file handed to syn. Its tree costs up to ~400 bytes of memory per byte of source
/// (measured: 4 MB of `1+1+..` took 1.7 GB), so a file under the tarball's entry cap could
/// still take tens of GB. Real files stay far below (the biggest in a 380-crate registry
/// cache: 2.5 MB). Bigger files get the token scan with the plain lexer (24 bytes per token).
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
    /// `relevant.rs`.
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

/// The scan of one file before the crate pass decides what is test code.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scanned {
    /// The facts, every finding with `test = false`.
    pub facts: FileFacts,
    /// The gates findings sit under.
    pub gates: GateTable,
    /// Per finding (same order), the ids of its gates.
    pub gated: Vec<Vec<GateId>>,
    pub decls: decls::Decls,
    /// Paths into dependencies the crate pass found, with their gates (see
    /// [`FileFacts::dep_paths`]).
    pub dep_refs: Vec<(DepPath, Vec<GateId>)>,
    /// The file's code templates and macro names (see `templates.rs`).
    pub templates: templates::FileTemplates,
}

impl Scanned {
    /// The facts with each finding's `test` decided by `rules`.
    pub fn decided(mut self, rules: &crate::gates::TestRules) -> FileFacts {
        self.decide(rules);
        self.facts
    }

    /// Adds a finding the crate pass resolved (a path that leaves the file), under `gates`,
    /// unless an engine already found one of the same family there. Keeps the order.
    pub fn add_resolved(
        &mut self,
        line: u32,
        col: u32,
        kind: Kind,
        detail: String,
        gates: &[crate::gates::Gate],
    ) {
        let same_place =
            |f: &Finding| f.line == line && f.col == col && f.kind.family() == kind.family();
        if self.facts.findings.iter().any(same_place) {
            return;
        }
        let origin = match self.facts.parse {
            Parse::Fallback { .. } => Origin::Fallback,
            _ => Origin::Syntax,
        };
        let ids: Vec<GateId> = gates
            .iter()
            .filter_map(|g| self.gates.id(g.clone()))
            .collect();
        let finding = Finding {
            line,
            col,
            kind,
            detail: Some(detail),
            origin,
            test: false,
            emitted: false,
        };
        let at = self.facts.findings.partition_point(|f| *f < finding);
        self.facts.findings.insert(at, finding);
        self.gated.insert(at, ids);
    }

    /// Marks the findings inside the file's code templates as emitted, once the crate's
    /// `macro_rules!` and `#[macro_use]` are known (`krate`); the paths into dependencies
    /// written there are the users', and are dropped.
    pub fn mark_emitted(&mut self, krate: &CrateTemplates) {
        let t = &self.templates;
        if t.is_empty() {
            return;
        }
        for f in &mut self.facts.findings {
            f.emitted |= t.emitted(krate, f.line, f.col);
        }
        (self.dep_refs).retain(|(p, _)| !t.emitted(krate, p.line, p.col));
    }

    /// Sets each finding's `test`: true when one of its gates holds.
    pub fn decide(&mut self, rules: &crate::gates::TestRules) {
        let gates = &self.gates;
        let holds = |ids: &[GateId]| {
            ids.iter()
                .any(|&id| gates.get(id).is_some_and(|g| rules.holds(g)))
        };
        for (f, ids) in self.facts.findings.iter_mut().zip(&self.gated) {
            f.test = holds(ids);
        }
        let mut paths: Vec<DepPath> = (self.dep_refs.iter())
            .map(|(p, ids)| DepPath {
                test: holds(ids),
                ..p.clone()
            })
            .collect();
        paths.sort();
        paths.dedup();
        self.facts.dep_paths = paths;
    }

    /// Records a path into a dependency the crate pass found, under `gates`.
    pub fn add_dep_path(&mut self, path: DepPath, gates: &[crate::gates::Gate]) {
        let ids: Vec<GateId> = gates
            .iter()
            .filter_map(|g| self.gates.id(g.clone()))
            .collect();
        self.dep_refs.push((path, ids));
    }
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
    lexer::lex_unplaced(&src, 0, body.len(), &mut toks);
    // the bracket table, shared: the plan needs balanced brackets, the declarations any
    let balanced = relevant::match_brackets(&toks);
    let mut decls = match &balanced {
        Some(close) => decls::read(&toks, close, &src),
        None => decls::read(&toks, &tokens::matching(&toks), &src),
    };
    decls.base = (text.len() - written.len()) as u32;
    // the file's own macros that splice their arguments, expanded where invoked
    let macros = match &balanced {
        Some(close) => expand::Macros::of(body, &toks, close),
        None => expand::Macros::of(body, &toks, &tokens::matching(&toks)),
    };
    let templates = match &balanced {
        Some(close) => templates::read(&toks, close, &src),
        None => templates::read(&toks, &tokens::matching(&toks), &src),
    };
    let mut out = Out::default();
    let parse = analyze(
        &src,
        &toks,
        balanced.as_deref(),
        macros.as_ref(),
        &mut out,
        mode,
    );
    drop(toks);
    templates::scan_strings(&templates, &src, &mut out);
    // Text-level rules (bidi controls, lookalike identifiers): exact in every parse mode.
    unicode::scan(written, &mut out);
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

/// What the scan of one file collects.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub findings: Vec<Finding>,
    /// Per finding (same index), the gates of the code it is in.
    pub gated: Vec<Vec<GateId>>,
    pub gates: GateTable,
}

impl Out {
    pub fn push(
        &mut self,
        line: u32,
        col: u32,
        kind: Kind,
        detail: Option<String>,
        origin: Origin,
        gates: &[GateId],
    ) {
        self.findings.push(Finding {
            line,
            col,
            kind,
            detail,
            origin,
            test: false,
            emitted: false,
        });
        self.gated.push(gates.to_vec());
    }

    fn clear(&mut self) {
        self.findings.clear();
        self.gated.clear();
    }
}

fn analyze(
    src: &Src<'_>,
    toks: &[tokens::Tok],
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
            relevant::plan(src, toks, close)
        }))
        .ok()
        .flatten()
    };
    // The relevant items alone; `Err` when they nest too deep or syn rejects them.
    let relevant = |plan: &relevant::Plan, out: &mut Out| match depth::nesting_problem(&plan.text) {
        Some(problem) => Err(problem),
        None => syn_scan(&Src::new(&plan.text), macros, out),
    };
    let whole = |out: &mut Out| match depth::nesting_problem(src.text) {
        Some(problem) => Err(problem),
        None => syn_scan(src, macros, out),
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
        // rest holds no name any rule looks at, so the findings are exact (see `relevant.rs`).
        Err(error) => match plan() {
            Some(plan) if relevant(&plan, out).is_ok() => Parse::Parsed,
            _ => fallback(src, macros, out, error),
        },
    }
}

/// syn parses `src.text` and the visitor scans the tree. On `Err` (syn's message, or a tree
/// too deep to walk) `out` is left empty.
fn syn_scan(
    src: &Src<'_>,
    macros: Option<&expand::Macros<'_>>,
    out: &mut Out,
) -> Result<(), String> {
    match syn::parse_str::<syn::File>(src.text) {
        Ok(file) => match visit::scan_file(&file, src, macros, out) {
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
    let imports = collect::from_tokens(&toks, src);
    tokens::scan(
        &toks,
        &tokens::Ctx {
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

/// rustc ignores a leading byte-order mark and a `#!` line, unless what follows the `#!`,
/// past whitespace and comments that are not doc comments, is `[`: then it is an inner
/// attribute (`#![allow(..)]`, `#!/**/[allow(..)]`) and the line is code. The shebang line is
/// cut after its text but before its newline, so line numbers stay those of the file.
fn strip_bom_and_shebang(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = text.strip_prefix("#!")
        && !next_is_bracket(rest)
    {
        return &text[text.find('\n').unwrap_or(text.len())..];
    }
    text
}

/// Whether the first token of `rest` that is not whitespace or a plain (non-doc) comment is
/// `[`.
fn next_is_bracket(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let tail = &rest[i..];
        if tail.starts_with("//") {
            // `///` and `//!` are doc comments (tokens); `////` is plain again
            let doc =
                (tail.starts_with("///") && !tail.starts_with("////")) || tail.starts_with("//!");
            if doc {
                return false;
            }
            i += tail.find('\n').unwrap_or(tail.len());
        } else if tail.starts_with("/*") {
            let doc =
                (tail.starts_with("/**") && !tail.starts_with("/***") && !tail.starts_with("/**/"))
                    || tail.starts_with("/*!");
            if doc {
                return false;
            }
            match lexer::block_comment_end(b, i) {
                Some(end) => i = end,
                None => return false,
            }
        } else {
            return tail.starts_with('[');
        }
    }
}

/// A cargo-script frontmatter block (`---` fence lines around a manifest, at the top of the
/// file) is not Rust tokens and syn rejects it: blank it out, newlines kept so every line and
/// column stays where it was. Anything that is not a well-formed block is left to syn.
fn blank_frontmatter(text: &str) -> std::borrow::Cow<'_, str> {
    let start = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &text[start..];
    let dashes = rest.bytes().take_while(|&b| b == b'-').count();
    if dashes < 3 {
        return text.into();
    }
    let fence = &rest[..dashes];
    // The closing fence: a line of exactly the same dashes.
    let mut offset = rest.find('\n').map_or(rest.len(), |i| i + 1);
    while offset < rest.len() {
        let line_end = rest[offset..].find('\n').map_or(rest.len(), |i| offset + i);
        let line = rest[offset..line_end].trim_end_matches(['\r', ' ', '\t']);
        if line == fence {
            let end = start + line_end;
            let blanked: String = text[..end]
                .chars()
                .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
                .collect();
            return (blanked + &text[end..]).into();
        }
        offset = line_end + 1;
    }
    text.into()
}

/// The text being scanned, with a line table to turn proc-macro2's (line, char column) into
/// byte offsets without allocating.
#[derive(Debug)]
pub(crate) struct Src<'s> {
    pub text: &'s str,
    /// The line table, built on first use (the fast path's planning never needs the whole
    /// file's).
    lines: std::cell::OnceCell<Lines>,
    /// Last (line, column, byte) converted on a non-ASCII line: scans usually move forward,
    /// so restarting from here keeps long non-ASCII lines linear.
    cursor: Cell<(usize, usize, usize)>,
}

#[derive(Debug)]
struct Lines {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Whether each line is pure ASCII (column == byte offset within the line).
    ascii: Vec<bool>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut start = 0;
        while let Some(nl) = b[start..].iter().position(|&c| c == b'\n') {
            ascii.push(b[start..start + nl].is_ascii());
            start += nl + 1;
            starts.push(start);
        }
        ascii.push(b[start..].is_ascii());
        Lines { starts, ascii }
    }
}

impl<'s> Src<'s> {
    pub fn new(text: &'s str) -> Self {
        Src {
            text,
            lines: std::cell::OnceCell::new(),
            cursor: Cell::new((0, 0, 0)),
        }
    }

    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| Lines::of(self.text))
    }

    /// Byte offset of a 1-based line and 0-based char column (proc-macro2's convention).
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let lines = self.lines();
        let Some(&start) = lines.starts.get(line.wrapping_sub(1)) else {
            return self.text.len();
        };
        if lines.ascii[line - 1] {
            return (start + col).min(self.text.len());
        }
        let (cl, cc, cb) = self.cursor.get();
        let (mut chars, mut byte) = if cl == line && cc <= col {
            (cc, cb)
        } else {
            (0, start)
        };
        let rest = &self.text[byte..];
        for ch in rest.chars() {
            if chars == col || ch == '\n' {
                break;
            }
            chars += 1;
            byte += ch.len_utf8();
        }
        self.cursor.set((line, chars, byte));
        byte
    }

    pub fn span_offset(&self, span: proc_macro2::Span) -> usize {
        let lc = span.start();
        self.offset(lc.line, lc.column)
    }

    /// (1-based line, 0-based char column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let lines = self.lines();
        let line = lines.starts.partition_point(|&s| s <= offset);
        let start = lines.starts[line.saturating_sub(1)];
        let col = if lines.ascii[line.saturating_sub(1)] {
            offset - start
        } else {
            self.text[start..offset].chars().count()
        };
        (line, col)
    }

    /// The identifier starting at `offset`, without a raw `r#` prefix.
    pub fn ident_at(&self, offset: usize) -> &'s str {
        let text = self.text;
        let start = if text[offset..].starts_with("r#") {
            offset + 2
        } else {
            offset
        };
        let len = text[start..]
            .char_indices()
            .find(|&(_, c)| !(c == '_' || c.is_alphanumeric()))
            .map_or(text.len() - start, |(i, _)| i);
        &text[start..start + len]
    }

    /// The text of an identifier syn or proc-macro2 lexed from this source.
    pub fn ident(&self, ident: &proc_macro2::Ident) -> &'s str {
        self.ident_at(self.span_offset(ident.span()))
    }
}

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

/// The value of a string literal token as rustc reads it: escapes (`\x68`, `\u{2f}`) and
/// raw strings worked out; byte and C strings read as UTF-8 (lossily). `None` when `lit` is
/// not a string literal.
pub(crate) fn string_value(lit: &str) -> Option<String> {
    let plain = lit.strip_prefix(['b', 'c']).unwrap_or(lit);
    if let Some(inner) = unquote(plain)
        && !plain.starts_with('r')
        && !inner.contains('\\')
    {
        return Some(inner.to_owned());
    }
    if lit.starts_with('b') {
        let bytes = syn::parse_str::<syn::LitByteStr>(lit).ok()?.value();
        return Some(String::from_utf8_lossy(&bytes).into_owned());
    }
    if lit.starts_with('c') {
        let c = syn::parse_str::<syn::LitCStr>(lit).ok()?.value();
        return Some(c.to_string_lossy().into_owned());
    }
    syn::parse_str::<syn::LitStr>(lit).ok().map(|l| l.value())
}

/// A string literal's contents as written (no unescaping: paths in `include_bytes!` rarely
/// hold escapes), or `None` when `lit` is not a plain or raw string literal.
pub(crate) fn unquote(lit: &str) -> Option<&str> {
    let lit = lit.strip_prefix('r').unwrap_or(lit);
    let hashes = lit.len() - lit.trim_start_matches('#').len();
    let inner = &lit[hashes..];
    let inner = inner.strip_prefix('"')?;
    let inner = inner.strip_suffix(&lit[..hashes])?;
    inner.strip_suffix('"')
}

/// Macro tokens as a short one-line detail: whitespace runs collapsed, long text cut.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::with_capacity(text.len().min(MAX + 3));
    for (n, word) in text.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX {
            let cut: String = out.chars().take(MAX).collect();
            return cut + "...";
        }
    }
    out
}

/// The text the fast path hands to syn (every irrelevant item blanked), or `None` when it
/// hands over the whole file; for the benchmark examples.
#[doc(hidden)]
pub fn fast_path_text(text: &str) -> Option<String> {
    let src = Src::new(text);
    let mut toks = Vec::new();
    lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
    let close = relevant::match_brackets(&toks);
    relevant::plan(&src, &toks, close.as_deref()).map(|p| p.text)
}
