//! What a file shows other crates besides its `use` items, for the graph pass
//! (`crate::link`): the items each module defines at its top level, which shadow the names a
//! glob import of the module would supply (rustc: a name an item or an explicit `use` gives
//! in a module wins over a glob's), and its `#[macro_export]` macros, whose code runs in the
//! crates that invoke them.
//!
//! Both are read from the file's flat tokens. A definition is kept only when rustc certainly
//! keeps it: not inside a macro invocation or body, not under an attribute that could remove
//! or replace it (`cfg`, an attribute macro). Missing one only keeps the glob's reading, which
//! can only add findings.

use super::types::{ExportedMacro, ItemKind, ModItem, Ns};
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, attribute_at};

/// Outer attributes that never remove or replace their item: rustc reads them.
const INERT: &[&str] = &[
    "allow",
    "automatically_derived",
    "cold",
    "deny",
    "deprecated",
    "derive",
    "doc",
    "expect",
    "forbid",
    "inline",
    "must_use",
    "non_exhaustive",
    "repr",
    "track_caller",
    "warn",
];

/// Deepest inline-module nesting whose definitions are read (deeper ones are left out).
const MAX_DEPTH: usize = 32;

/// The items the file's modules define at their top level (`struct`, `enum`, `union`,
/// `trait`, `type`, `fn`, `const`, `static`), as [`ItemKind::Def`] of the inline module they
/// are in. Every group that is not an inline module's body is stepped over whole.
pub(crate) fn definitions(toks: &[Tok], m: &[u32], src: &Src<'_>) -> Vec<ModItem> {
    let mut out = Vec::new();
    // open inline modules: (index of the closing brace, name)
    let mut chain: Vec<(usize, String)> = Vec::new();
    // no attribute since the last item may remove the next one
    let mut kept = true;
    let close_of = |open: usize| (m.get(open).copied().unwrap_or(0) as usize).min(toks.len());
    let mut i = 0;
    while i < toks.len() {
        while chain.last().is_some_and(|(close, _)| *close <= i) {
            chain.pop();
        }
        let t = toks[i];
        match t.kind {
            TK::Punct(b'#') => {
                if let Some((inner, open)) = attribute_at(toks, i) {
                    let close = close_of(open);
                    kept &= inner || inert(toks.get(open + 1), src);
                    i = close + 1;
                    continue;
                }
            }
            TK::Open(Delim::Brace) if inline_module(toks, i, src) && chain.len() < MAX_DEPTH => {
                let name = src.ident_at(toks[i - 1].start as usize).to_owned();
                chain.push((close_of(i), name));
                kept = true;
            }
            TK::Open(d) => {
                i = close_of(i) + 1;
                kept |= d == Delim::Brace;
                continue;
            }
            TK::Punct(b';') => kept = true,
            TK::Ident => {
                if let Some((name, ns)) = definition(toks, i, src) {
                    if kept && chain.len() < MAX_DEPTH {
                        out.push(ModItem {
                            inline: chain.iter().map(|(_, n)| n.clone()).collect(),
                            kind: ItemKind::Def { name, ns },
                        });
                    }
                    kept = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `mod name {` with the brace at `i`.
fn inline_module(toks: &[Tok], i: usize, src: &Src<'_>) -> bool {
    i >= 2 && toks[i - 1].kind == TK::Ident && toks[i - 2].is_ident(src, "mod")
}

/// Whether the attribute whose first token is `first` keeps its item.
fn inert(first: Option<&Tok>, src: &Src<'_>) -> bool {
    first.is_some_and(|t| t.kind == TK::Ident && INERT.contains(&t.text(src)))
}

/// The item the keyword at `i` defines, with its namespaces.
fn definition(toks: &[Tok], i: usize, src: &Src<'_>) -> Option<(String, Ns)> {
    let word = toks[i].text(src);
    if !matches!(
        word,
        "struct" | "enum" | "union" | "trait" | "type" | "fn" | "const" | "static"
    ) {
        return None;
    }
    // a lifetime (`'static`), a path or method segment, a generic parameter (`<const N: u8>`)
    if i > 0
        && matches!(
            toks[i - 1].kind,
            TK::Punct(b'\'' | b'.' | b'<' | b',') | TK::PathSep
        )
    {
        return None;
    }
    let mut k = i + 1;
    if word == "static" && toks.get(k).is_some_and(|t| t.is_ident(src, "mut")) {
        k += 1;
    }
    let name = toks.get(k).filter(|t| t.kind == TK::Ident)?;
    let after = toks.get(k + 1);
    let ns = match word {
        "struct" => match after.map(|t| t.kind) {
            Some(TK::Punct(b';') | TK::Open(Delim::Paren)) => Ns::Both,
            _ => Ns::Type,
        },
        // `union` is a keyword only before a name and a body or generics
        "union" if !after.is_some_and(|t| t.kind == TK::Open(Delim::Brace) || t.is_punct('<')) => {
            return None;
        }
        "enum" | "union" | "trait" | "type" => Ns::Type,
        "fn" => Ns::Value,
        // `const NAME: T`, `static [mut] NAME: T` (not `const fn`, `*const T`)
        _ if after.is_some_and(|t| t.is_punct(':')) => Ns::Value,
        _ => return None,
    };
    let name = src.ident_at(name.start as usize);
    (name != "_").then(|| (name.to_owned(), ns))
}

/// The file's `#[macro_export]` macros (also under `cfg_attr`, and inside other macros'
/// bodies), wherever they are: a macro the crate exports is at its root.
pub(crate) fn exported_macros(toks: &[Tok], m: &[u32], src: &Src<'_>) -> Vec<ExportedMacro> {
    let mut out = Vec::new();
    if !src.text.contains("macro_export") {
        return out;
    }
    let close_of = |open: usize| (m.get(open).copied().unwrap_or(0) as usize).min(toks.len());
    let pos = |k: usize| {
        let at = toks.get(k).map_or(src.text.len(), |t| t.start as usize);
        let (line, col) = src.line_col(at);
        (line as u32, col as u32 + 1)
    };
    // the attributes just read hold `macro_export`
    let mut exported = false;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t.is_punct('#')
            && toks
                .get(i + 1)
                .is_some_and(|n| n.kind == TK::Open(Delim::Bracket))
        {
            let close = close_of(i + 1);
            exported |= toks[i + 2..close.max(i + 2)]
                .iter()
                .any(|t| t.is_ident(src, "macro_export"));
            i = close + 1;
            continue;
        }
        if exported
            && t.is_ident(src, "macro_rules")
            && let (Some(bang), Some(name), Some(body)) =
                (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3))
            && bang.is_punct('!')
            && name.kind == TK::Ident
            && matches!(body.kind, TK::Open(_))
        {
            let close = close_of(i + 3);
            out.push(ExportedMacro {
                name: src.ident_at(name.start as usize).to_owned(),
                open: pos(i + 3),
                close: pos(close),
                paths: crate_paths(&toks[i + 4..close.max(i + 4)], src),
            });
        }
        exported = false;
        i += 1;
    }
    out
}

/// The `$crate::a::b` paths of a macro body, with whether each is called.
fn crate_paths(body: &[Tok], src: &Src<'_>) -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    for k in 0..body.len().saturating_sub(1) {
        if !(body[k].is_punct('$') && body[k + 1].is_ident(src, "crate")) {
            continue;
        }
        let mut segs = vec!["$crate".to_owned()];
        let mut j = k + 2;
        while body.get(j).is_some_and(|t| t.kind == TK::PathSep)
            && let Some(seg) = body.get(j + 1).filter(|t| t.kind == TK::Ident)
        {
            segs.push(src.ident_at(seg.start as usize).to_owned());
            j += 2;
        }
        let callee = body
            .get(j)
            .is_some_and(|t| t.kind == TK::Open(Delim::Paren));
        if segs.len() > 1 {
            out.push((segs, callee));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{lexer, tokens};

    fn lexed(text: &str, f: impl FnOnce(&[Tok], &[u32], &Src<'_>)) {
        let src = Src::new(text);
        let mut toks = Vec::new();
        lexer::lex_unplaced(&src, 0, text.len(), &mut toks);
        let m = tokens::matching(&toks);
        f(&toks, &m, &src);
    }

    fn defs(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        lexed(text, |toks, m, src| {
            for item in definitions(toks, m, src) {
                if let ItemKind::Def { name, ns } = item.kind {
                    let mut path = item.inline.clone();
                    path.push(name);
                    out.push(format!("{} {ns:?}", path.join("::")));
                }
            }
        });
        out
    }

    #[test]
    fn top_level_definitions_with_their_namespaces() {
        let text = "\
            pub use std::net::*;\n\
            /// doc\n#[derive(Debug)]\npub struct TcpStream;\n\
            pub struct Conn { a: u8 }\n\
            pub(crate) struct Pair(u8, u8);\n\
            pub unsafe fn connect() { struct Inner; fn nested() {} }\n\
            impl Conn { pub fn new() -> Self { todo!() } const K: u8 = 1; }\n\
            pub const LIMIT: usize = 1;\npub static mut COUNT: u8 = 0;\nconst fn f() {}\n\
            static P: *const u8 = 0 as *const u8;\n\
            pub mod sys { pub enum Command {} pub type Child = u8; }\n\
            impl<const N: usize> Conn {}\n\
            fn lifetimes(x: &'static str) {}\n";
        assert_eq!(
            defs(text),
            [
                "TcpStream Both",
                "Conn Type",
                "Pair Both",
                "connect Value",
                "LIMIT Value",
                "COUNT Value",
                "f Value",
                "P Value",
                "sys::Command Type",
                "sys::Child Type",
                "lifetimes Value",
            ]
        );
    }

    #[test]
    fn definitions_that_may_not_exist_are_left_out() {
        let text = "\
            #[cfg(any())]\npub struct TcpStream;\n\
            #[my_macro::strip]\npub struct UdpSocket;\n\
            #[cfg_attr(all(), strip)]\nfn exit() {}\n\
            remove! { pub struct TcpListener; }\n\
            remove!(pub struct Shutdown;);\n\
            macro_rules! m { () => { pub struct Ipv4Addr; } }\n\
            #[cfg(unix)]\nimpl X {}\npub struct Kept;\n";
        assert_eq!(defs(text), ["Kept Both"]);
    }

    #[test]
    fn exported_macros_with_their_crate_paths() {
        let text = "\
            #[macro_export]\nmacro_rules! dial {\n    ($a:expr) => { $crate::Stream::connect($a) };\n}\n\
            macro_rules! private { () => { $crate::Stream::connect(\"x\") } }\n\
            #[cfg_attr(all(), macro_export)]\n#[doc(hidden)]\nmacro_rules! spawn { () => { ::std::process::Command::new(\"sh\"); $crate::sys::Kind } }\n";
        let mut got = Vec::new();
        lexed(text, |toks, m, src| got = exported_macros(toks, m, src));
        type Seen<'a> = (&'a str, (u32, u32), &'a [(Vec<String>, bool)]);
        let names: Vec<Seen<'_>> = (got.iter())
            .map(|e| (e.name.as_str(), e.open, e.paths.as_slice()))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            names,
            [
                (
                    "dial",
                    (2, 19),
                    &[(s(&["$crate", "Stream", "connect"]), true)][..]
                ),
                (
                    "spawn",
                    (8, 20),
                    &[(s(&["$crate", "sys", "Kind"]), false)][..]
                ),
            ]
        );
        assert!(got[0].contains(3, 20) && !got[0].contains(5, 1));
    }
}
