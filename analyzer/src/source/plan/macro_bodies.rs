//! Macro bodies: which open a macro body or an invocation, which syn certainly leaves to the
//! token scanner, and, in those, which names still count (only those in paths the scanner
//! resolves, besides keywords, macro and attribute names).

use super::rule_names::rules;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{TK, Tok};
use crate::source::token_engine::walk;
use crate::taxonomy;

/// In the body of a macro invocation that syn certainly leaves to the token scanner, a crate
/// root or an imported name can only reach a rule through a path the scanner resolves
/// ([`walk::resolved_paths`]); elsewhere in the body (a type after `->` or `x:`, a declared
/// name) it triggers nothing, and is no longer counted. Keywords, macro names and attribute
/// names still count. This is what makes the `link!` lines of the windows-sys family, whose
/// only rule names are return and parameter types, irrelevant.
///
/// Walking each body on its own is exact for the tokens the scanner reaches through it, and
/// when a body sits inside a bigger opaque body the scanner walks that one instead, stepping
/// through the inner tokens with the same decisions or skipping them (inside an attribute, a
/// `use`, generic arguments): a name found inert here is inert there too.
///
/// Linear in the file however deep invocations nest (`m!(m!(m!(..)))` was quadratic): whether
/// a body holds a trigger is read off counts made before any is cleared (a body they say holds
/// one but no longer does clears nothing), and a body inside one already settled is not walked
/// again (the walk of the outer body decided its tokens, and not walking can only keep more).
/// `before[j]` is how many of `toks[..j]` were triggers before this pass (attribute rule names
/// counted too: a body holding only those is walked and clears nothing).
pub(super) fn settle_macro_bodies(
    toks: &[Tok],
    close: &[u32],
    src: &Src<'_>,
    triggers: &mut [bool],
    before: &[u32],
) {
    let rules = rules();
    let mut resolved = Vec::new();
    let mut settled_until = 0;
    for k in 0..toks.len() {
        if k < settled_until || !invocation(toks, k) {
            continue;
        }
        let (start, end) = (k + 1, close[k] as usize);
        if before[end] == before[start] || !opaque_to_syn(toks, close, start, end, src) {
            continue;
        }
        settled_until = end;
        resolved.clear();
        resolved.resize(end - start, false);
        walk::resolved_paths(&toks[start..end], src, |s, e| resolved[s..e].fill(true));
        for (j, resolved) in (start..end).zip(&resolved) {
            let name = toks[j].text(src);
            let keyword = rules.always.contains(name)
                || (name == "static" && toks.get(j + 1).is_some_and(|n| n.text(src) == "mut"))
                || (walk::method_call(toks, j) && taxonomy::methods(name).next().is_some());
            if triggers[j] && !resolved && !keyword {
                triggers[j] = false;
            }
        }
    }
}

/// Whether `toks[k]` opens the body of a macro: of an invocation (`m!(..)`) or of a
/// definition (`macro_rules! m {..}`).
pub(super) fn macro_body(toks: &[Tok], k: usize) -> bool {
    matches!(toks[k].kind, TK::Open(_))
        && k >= 1
        && (toks[k - 1].is_punct('!')
            || (k >= 2 && toks[k - 1].kind == TK::Ident && toks[k - 2].is_punct('!')))
}

/// Whether `toks[k]` opens the body of a macro invocation (`name!(..)`, `path::name! {..}`).
pub(super) fn invocation(toks: &[Tok], k: usize) -> bool {
    matches!(toks[k].kind, TK::Open(_))
        && k >= 2
        && toks[k - 1].is_punct('!')
        && toks[k - 2].kind == TK::Ident
}

/// Whether syn cannot parse `toks[start..end]` as comma-separated expressions (so a macro
/// body goes to the token scanner): it holds, outside any bracket, a token no expression or
/// type holds there: a `;` (`vec![0; n]`, items), `fn` and a name, `unsafe impl`, or one of
/// `pub`, `struct`, `enum`, `trait`, `type`, `mod`. (`fn(u8)` is a pointer type, `impl Trait`
/// a type in generic arguments, `r#fn` an identifier.)
pub(super) fn opaque_to_syn(
    toks: &[Tok],
    close: &[u32],
    start: usize,
    end: usize,
    src: &Src<'_>,
) -> bool {
    let raw = |j: usize| src.text[..toks[j].start as usize].ends_with("r#");
    let mut j = start;
    while j < end {
        match toks[j].kind {
            TK::Open(_) => j = close[j] as usize + 1,
            TK::Punct(b';') => return true,
            TK::Ident => {
                let item = match toks[j].text(src) {
                    "fn" => j + 1 < end && toks[j + 1].kind == TK::Ident,
                    "impl" => j > start && toks[j - 1].is_ident(src, "unsafe") && !raw(j - 1),
                    "pub" | "struct" | "enum" | "trait" | "type" | "mod" => true,
                    _ => false,
                };
                if item && !raw(j) {
                    return true;
                }
                j += 1;
            }
            _ => j += 1,
        }
    }
    false
}
