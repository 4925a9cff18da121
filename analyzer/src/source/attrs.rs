//! Attribute rules on the flat tokens between `#[` and `]`, shared by syn mode (which re-lexes
//! the attribute's source range) and the token scanner.

use risk_report::facts::Kind;

use super::Src;
use super::tokens::{Delim, TK, Tok};
use super::unquote;

/// Bound on `cfg_attr(.., cfg_attr(.., ..))` and `all(any(..))` nesting we follow.
const MAX_DEPTH: usize = 16;

/// Findings an attribute makes: `no_mangle`, `export_name`, `link`, `link_section`, also in
/// `unsafe(..)` and inside `cfg_attr(pred, ..)`.
pub(crate) fn rules(content: &[Tok], src: &Src<'_>) -> Vec<(Kind, Option<String>)> {
    let mut out = Vec::new();
    rules_into(content, src, &mut out, 0);
    out
}

fn rules_into(c: &[Tok], src: &Src<'_>, out: &mut Vec<(Kind, Option<String>)>, depth: usize) {
    let Some(first) = c.first().filter(|t| t.kind == TK::Ident) else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    let name_value = || {
        c.get(1)
            .filter(|t| t.is_punct('='))
            .and_then(|_| c.get(2))
            .and_then(|t| unquote(t.text(src)))
            .map(str::to_string)
    };
    match first.text(src) {
        "no_mangle" if c.len() == 1 => out.push((Kind::NoMangle, None)),
        "export_name" => out.push((Kind::ExportName, name_value())),
        "link_section" => out.push((Kind::LinkSection, name_value())),
        "link" if c.len() == 1 || c.get(1).is_some_and(|t| t.kind == TK::Open(Delim::Paren)) => {
            let name = group(c).and_then(|inner| {
                split_commas(inner)
                    .find(|part| part.first().is_some_and(|t| t.is_ident(src, "name")))
                    .and_then(|part| part.get(2))
                    .and_then(|t| unquote(t.text(src)))
                    .map(str::to_string)
            });
            out.push((Kind::LinkAttr, name));
        }
        "unsafe" => {
            if let Some(inner) = group(c) {
                rules_into(inner, src, out, depth + 1);
            }
        }
        "cfg_attr" => {
            if let Some(inner) = group(c) {
                for part in split_commas(inner).skip(1) {
                    rules_into(part, src, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether the attribute makes its item test code: `#[test]`, `#[bench]`, `#[tokio::test]`
/// and the like, or a `cfg` that requires `test`.
pub(crate) fn is_test(content: &[Tok], src: &Src<'_>) -> bool {
    let Some(first) = content.first().filter(|t| t.kind == TK::Ident) else {
        return false;
    };
    let name = first.text(src);
    if name == "cfg" {
        return group(content).is_some_and(|inner| requires_test(inner, src, 0));
    }
    // the last segment of the attribute's path
    let mut last = name;
    let mut k = 1;
    while k + 1 < content.len() && content[k].kind == TK::PathSep {
        last = content[k + 1].text(src);
        k += 2;
    }
    matches!(last, "test" | "bench" | "rstest" | "test_case")
        && content.get(k).is_none_or(|t| matches!(t.kind, TK::Open(_)))
}

/// Whether a cfg predicate can only hold when `test` is set: `test`, `all(test, ..)`,
/// `any(test, all(test, ..))`. `not(..)` never does, even `not(not(test))`: rare, and erring
/// towards "shipped" is the safe side for a risk report.
pub(crate) fn requires_test(pred: &[Tok], src: &Src<'_>, depth: usize) -> bool {
    let Some(first) = pred.first().filter(|t| t.kind == TK::Ident) else {
        return false;
    };
    if depth > MAX_DEPTH {
        return false;
    }
    match first.text(src) {
        "test" => pred.len() == 1,
        "all" => group(pred)
            .is_some_and(|inner| split_commas(inner).any(|p| requires_test(p, src, depth + 1))),
        "any" => group(pred).is_some_and(|inner| {
            let mut parts = split_commas(inner).peekable();
            parts.peek().is_some() && parts.all(|p| requires_test(p, src, depth + 1))
        }),
        _ => false,
    }
}

/// `path = "..."`: the module file override.
pub(crate) fn path_value(content: &[Tok], src: &Src<'_>) -> Option<String> {
    if content.len() == 3 && content[0].is_ident(src, "path") && content[1].is_punct('=') {
        return unquote(content[2].text(src)).map(str::to_string);
    }
    None
}

/// The tokens inside the group right after a leading identifier: `name( .. )`.
fn group(c: &[Tok]) -> Option<&[Tok]> {
    c.get(1).filter(|t| matches!(t.kind, TK::Open(_)))?;
    let mut depth = 0usize;
    for (k, t) in c.iter().enumerate().skip(1) {
        match t.kind {
            TK::Open(_) => depth += 1,
            TK::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(&c[2..k]);
                }
            }
            _ => {}
        }
    }
    Some(&c[2..])
}

/// Splits on commas outside nested groups; empty parts (a trailing comma) are dropped.
fn split_commas(c: &[Tok]) -> impl Iterator<Item = &[Tok]> {
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (k, t) in c.iter().enumerate() {
        match t.kind {
            TK::Open(_) => depth += 1,
            TK::Close(_) => depth = depth.saturating_sub(1),
            TK::Punct(',') if depth == 0 => {
                parts.push(&c[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&c[start..]);
    parts.into_iter().filter(|p| !p.is_empty())
}
