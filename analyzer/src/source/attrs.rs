//! Attribute rules on the flat tokens between `#[` and `]`, shared by syn mode (which re-lexes
//! the attribute's source range) and the token scanner.

use risk_report::facts::Kind;

use crate::gates::{CFG_DOCTEST, CFG_TEST, Gate};
use crate::source::lex::literal::{string_value, unquote};
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok};

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

/// The gate an attribute puts on its item (see `crate::gates`): a `cfg` that needs `test` or
/// `doctest`, or an attribute macro by its path. Built-in and tool attributes are none.
pub(crate) fn gate(content: &[Tok], src: &Src<'_>) -> Option<Gate> {
    let leading = content.first()?.kind == TK::PathSep;
    let mut k = usize::from(leading);
    let first = content.get(k).filter(|t| t.kind == TK::Ident)?;
    let name = src.ident_at(first.start as usize);
    if name == "cfg" && !leading {
        return group(content).and_then(|inner| cfg_gate(inner, src, 0));
    }
    let mut segs = vec![name.to_owned()];
    k += 1;
    while k + 1 < content.len() && content[k].kind == TK::PathSep {
        segs.push(src.ident_at(content[k + 1].start as usize).to_owned());
        k += 2;
    }
    attr_gate(segs, leading)
}

/// A built-in attribute: rustc reads it, no macro can hide behind its name.
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTIN.contains(&name)
}

/// [`gate`] for an attribute that is not `cfg`, from the segments of its path.
pub(crate) fn attr_gate(segs: Vec<String>, leading: bool) -> Option<Gate> {
    let first = segs.first()?;
    let builtin = segs.len() == 1 && !leading && is_builtin(first);
    (!builtin && !TOOLS.contains(&first.as_str())).then(|| Gate::attr(segs))
}

/// Attributes rustc itself reads: never a macro that could strip its item. (`test` and
/// `bench` are macros of the prelude, so gates.)
const BUILTIN: &[&str] = &[
    "allow",
    "automatically_derived",
    "cfg",
    "cfg_attr",
    "cold",
    "collapse_debuginfo",
    "crate_name",
    "crate_type",
    "debugger_visualizer",
    "deny",
    "deprecated",
    "derive",
    "doc",
    "expect",
    "export_name",
    "feature",
    "forbid",
    "global_allocator",
    "ignore",
    "inline",
    "instruction_set",
    "link",
    "link_name",
    "link_ordinal",
    "link_section",
    "macro_export",
    "macro_use",
    "must_use",
    "naked",
    "no_builtins",
    "no_implicit_prelude",
    "no_main",
    "no_mangle",
    "no_std",
    "non_exhaustive",
    "panic_handler",
    "path",
    "proc_macro",
    "proc_macro_attribute",
    "proc_macro_derive",
    "recursion_limit",
    "repr",
    "should_panic",
    "target_feature",
    "track_caller",
    "type_length_limit",
    "unsafe",
    "used",
    "warn",
    "windows_subsystem",
];

/// Tool attribute namespaces: `#[rustfmt::skip]`, `#[clippy::allow(..)]`, ...
const TOOLS: &[&str] = &[
    "rustfmt",
    "clippy",
    "diagnostic",
    "rustdoc",
    "rust_analyzer",
];

/// The [`Gate::Cfg`] bits of a cfg predicate that holds only when `test` or `doctest` is set:
/// `test`, `all(test, ..)`, `any(test, doctest)`. `not(..)` never does, even `not(not(test))`:
/// rare, and erring towards "shipped" is the safe side for a risk report.
pub(crate) fn cfg_gate(pred: &[Tok], src: &Src<'_>, depth: usize) -> Option<Gate> {
    cfg_bits(pred, src, depth).map(Gate::Cfg)
}

fn cfg_bits(pred: &[Tok], src: &Src<'_>, depth: usize) -> Option<u8> {
    let first = pred.first().filter(|t| t.kind == TK::Ident)?;
    if depth > MAX_DEPTH {
        return None;
    }
    match first.text(src) {
        "test" if pred.len() == 1 => Some(CFG_TEST),
        "doctest" if pred.len() == 1 => Some(CFG_DOCTEST),
        "all" => group(pred)
            .and_then(|inner| split_commas(inner).find_map(|p| cfg_bits(p, src, depth + 1))),
        "any" => group(pred).and_then(|inner| {
            let mut bits = 0;
            for part in split_commas(inner) {
                bits |= cfg_bits(part, src, depth + 1)?;
            }
            (bits != 0).then_some(bits)
        }),
        _ => None,
    }
}

/// The forms of `#[path = ..]` (also inside `cfg_attr`): the module file override.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PathAttr {
    /// `#[path = "x.rs"]`.
    Literal(String),
    /// Anything else rustc would have to expand first (`$p` in a macro body).
    Computed,
}

/// One `path` attribute of an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PathOverride {
    pub value: PathAttr,
    /// Inside a `cfg_attr`: only applies when its predicate holds.
    pub conditional: bool,
    /// The test gate of that predicate, when it holds only in test builds.
    pub gate: Option<Gate>,
}

/// The path overrides of one attribute (`path = ".."`, or inside `cfg_attr`s), appended to
/// `out` in order. rustc uses the first `path` that survives `cfg` expansion.
pub(crate) fn path_overrides(content: &[Tok], src: &Src<'_>, out: &mut Vec<PathOverride>) {
    path_overrides_into(content, src, None, false, out, 0);
}

fn path_overrides_into(
    c: &[Tok],
    src: &Src<'_>,
    gate: Option<&Gate>,
    conditional: bool,
    out: &mut Vec<PathOverride>,
    depth: usize,
) {
    let Some(first) = c.first().filter(|t| t.kind == TK::Ident) else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    match first.text(src) {
        "path" if c.get(1).is_some_and(|t| t.is_punct('=')) => {
            let value = match c.get(2..) {
                Some([lit]) if lit.kind == TK::Lit => match string_value(lit.text(src)) {
                    Some(p) => PathAttr::Literal(p),
                    None => PathAttr::Computed,
                },
                _ => PathAttr::Computed,
            };
            out.push(PathOverride {
                value,
                conditional,
                gate: gate.cloned(),
            });
        }
        "cfg_attr" => {
            if let Some(inner) = group(c) {
                let mut parts = split_commas(inner);
                let pred_gate = parts.next().and_then(|p| cfg_gate(p, src, 0));
                let gate = pred_gate.as_ref().or(gate);
                for part in parts {
                    path_overrides_into(part, src, gate, true, out, depth + 1);
                }
            }
        }
        _ => {}
    }
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
            TK::Punct(b',') if depth == 0 => {
                parts.push(&c[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&c[start..]);
    parts.into_iter().filter(|p| !p.is_empty())
}
