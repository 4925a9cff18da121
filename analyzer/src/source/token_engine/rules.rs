//! The token-level rules, shared by opaque macro bodies (`MacroTokens`) and files syn could
//! not parse (`Fallback`). The walk is a loop over flat tokens (see `walk.rs`): no recursion,
//! whatever the nesting.
//!
//! Paths resolve through [`Ctx::imports`]: the scope of the module a macro body is written in,
//! or the one merged scope of a fallback file.

use foldhash::HashSet;

use risk_report::facts::{Kind, Origin};

use super::expand::{self, Macros};
use super::walk::{PathAt, Step, item_extent, method_call, path_at, skip_to_semi, step};
use crate::gates::{GateId, GateStack};
use crate::source::attrs;
use crate::source::lex::literal::unquote;
use crate::source::lex::src::Src;
use crate::source::lex::tokens::{Delim, TK, Tok, matching};
use crate::source::out::{Out, shorten};
use crate::source::resolve::imports::{Imports, MacroHit, Resolver};

/// What the token scanner needs to know about where it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a, 's> {
    pub src: &'a Src<'s>,
    /// Resolution in the module the tokens are written in.
    pub imports: Resolver<'a, 's>,
    pub origin: Origin,
    /// The gates of the code the tokens are in (see `crate::gates`).
    pub gates: &'a [GateId],
    /// The self type of the impl block the tokens are in, as written (`Self::x` is it
    /// followed by `x`): empty when unknown. With whether it starts with `::`.
    pub self_ty: (&'a [&'s str], bool),
    /// For a whole file: every scope of it, so that the walk resolves each path in the
    /// inline module it is written in (the import map opened one per `mod x {`).
    pub modules: Option<&'a Imports<'s>>,
    /// The file's macros that splice their arguments: their invocations are expanded.
    pub macros: Option<&'a Macros<'s>>,
    /// How many expansions deep these tokens are.
    pub depth: u8,
}

/// The token-level rules. See `docs/capabilities.md` for what each one matches.
pub(crate) fn scan(toks: &[Tok], ctx: &Ctx<'_, '_>, out: &mut Out) {
    let src = ctx.src;
    // the module being walked: (index of its closing brace, the context outside it)
    let mut ctx = *ctx;
    let mut modules: Vec<(usize, Ctx<'_, '_>)> = Vec::new();
    let m = matching(toks);
    // attributed items, innermost last: (index of the item's last token, whether its gate
    // was new to the stack)
    let mut gated: Vec<(usize, bool)> = Vec::new();
    let mut gates = GateStack::of(ctx.gates);
    // tokens with an index below this are inside an `extern` block
    let mut foreign_until = 0usize;
    let mut open_stack: Vec<usize> = Vec::new();
    let mut segs: Vec<&str> = Vec::new();
    let mut buf: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        while let Some((_, outer)) = modules.pop_if(|o| o.0 < i) {
            ctx = outer;
        }
        if let Some(all) = ctx.modules
            && toks[i].is_ident(src, "mod")
            && toks.get(i + 1).is_some_and(|n| n.kind == TK::Ident)
            && toks
                .get(i + 2)
                .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
            && let Some(scope) = all.scope_at(toks[i].start as usize)
        {
            modules.push((m[i + 2] as usize, ctx));
            ctx.imports = all.at(scope);
        }
        while let Some((_, added)) = gated.pop_if(|g| g.0 < i) {
            if added {
                gates.truncate(gates.len() - 1);
            }
        }
        let t = toks[i];
        if let Some(macros) = ctx.macros
            && t.kind == TK::Ident
            && toks.get(i + 1).is_some_and(|n| n.is_punct('!'))
            && toks
                .get(i + 2)
                .is_some_and(|n| matches!(n.kind, TK::Open(_)))
            && (i == 0 || !matches!(toks[i - 1].kind, TK::PathSep | TK::Punct(b'.' | b'$')))
            && macros.defines(t.text(src))
        {
            let close = (m[i + 2] as usize).min(toks.len());
            let inner = Ctx {
                gates: gates.ids(),
                ..ctx
            };
            scan_invocation(macros, t.text(src), &toks[i + 3..close], &inner, out);
        }
        let emit = |out: &mut Out, kind: Kind, detail: Option<String>| {
            out.push(t.line, t.col, kind, detail, ctx.origin, gates.ids());
        };
        let next = |k: usize| toks.get(i + k);
        i = match step(toks, i, src) {
            Step::Open => {
                open_stack.push(i);
                i + 1
            }
            Step::Close => {
                open_stack.pop();
                i + 1
            }
            Step::Attr { inner, open } => {
                let close = m[open] as usize;
                let content = &toks[open + 1..close.min(toks.len())];
                for (kind, detail) in attrs::rules(content, src) {
                    emit(out, kind, detail);
                }
                // only embedded content is looked for inside attributes
                // (`#[doc = include_str!("README.md")]`)
                for (k, a) in content.iter().enumerate() {
                    if a.kind == TK::Ident
                        && content.get(k + 1).is_some_and(|n| n.is_punct('!'))
                        && let Some(hit) = ctx.imports.resolve_macro(&[a.text(src)], false)
                    {
                        let detail = macro_args(&content[k + 2..], src);
                        out.push(a.line, a.col, hit.kind(), detail, ctx.origin, gates.ids());
                    }
                }
                let gate = attrs::gate(content, src).map(|g| ctx.imports.bind(g));
                if let Some(id) = gate.and_then(|g| out.gates.id(g)) {
                    let end = if inner {
                        open_stack.last().map_or(toks.len(), |&o| m[o] as usize)
                    } else {
                        item_extent(toks, &m, close + 1)
                    };
                    gated.push((end, gates.push(id)));
                }
                close + 1
            }
            Step::Unsafe => {
                if let Some(kind) = unsafe_rule(toks, i, src, i < foreign_until) {
                    emit(out, kind, None);
                }
                i + 1
            }
            Step::Extern => {
                let mut j = i + 1;
                let mut abi = None;
                if toks.get(j).is_some_and(|n| n.kind == TK::Lit) {
                    abi = unquote(toks[j].text(src)).map(str::to_string);
                    j += 1;
                }
                if toks
                    .get(j)
                    .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                {
                    emit(
                        out,
                        Kind::ExternBlock,
                        Some(abi.unwrap_or_else(|| "C".into())),
                    );
                    foreign_until = foreign_until.max(m[j] as usize);
                }
                i + 1
            }
            Step::Static => {
                if next(1).is_some_and(|n| n.is_ident(src, "mut")) {
                    emit(out, Kind::StaticMut, None);
                }
                i + 1
            }
            Step::Use => skip_to_semi(toks, &m, i + 1),
            Step::Path => path_rule(toks, &m, i, &ctx, gates.ids(), &mut segs, &mut buf, out),
            Step::Other => {
                if method_call(toks, i)
                    && let Some(method) = ctx.imports.method(t.text(src))
                {
                    let detail = format!("{}::{}", method.carriers[0], method.name);
                    emit(out, method.kind, Some(detail));
                }
                i + 1
            }
        };
    }
}

/// Expands the invocation `name!(args)` (when `name` is a splicing macro of the file; `args`
/// read from `ctx.src`) and scans the expansion in `ctx`'s scope, keeping what the body and
/// the arguments do not show on their own. It lives beside [`scan`], which it calls again on
/// the expansion, so that `expand.rs` only expands.
pub(crate) fn scan_invocation(
    macros: &Macros<'_>,
    name: &str,
    args: &[Tok],
    ctx: &Ctx<'_, '_>,
    out: &mut Out,
) {
    if ctx.depth >= expand::MAX_DEPTH || macros.quiet(name, args, ctx.src, &ctx.imports) {
        return;
    }
    let Some((expanded, arm)) = macros.expand(name, args, ctx.src) else {
        return;
    };
    if !expanded.may_matter(macros, &ctx.imports) {
        return;
    }
    // what the body and the arguments show alone
    let plain = Ctx {
        macros: None,
        modules: None,
        ..*ctx
    };
    let key = |f: risk_report::facts::Finding| (f.line, f.col, f.kind, f.detail);
    let body = arm.alone.get_or_init(|| {
        let mut alone = Out::default();
        let at_definition = Ctx {
            src: &macros.src,
            ..plain
        };
        scan(&arm.body, &at_definition, &mut alone);
        alone.findings.into_iter().map(key).collect()
    });
    let mut alone = Out::default();
    scan(args, &plain, &mut alone);
    // a finding is kept once per invocation, and only when the body and the arguments do not
    // show it alone (a block the transcriber places twice is one block)
    let mut seen: HashSet<expand::Key> = alone.findings.into_iter().map(key).collect();
    seen.extend(body.iter().cloned());
    let text = Src::new(&expanded.text);
    let inner = Ctx {
        src: &text,
        depth: ctx.depth + 1,
        modules: None,
        ..*ctx
    };
    let before = out.findings.len();
    scan(&expanded.toks, &inner, out);
    let found: Vec<_> = out.findings.drain(before..).collect();
    let gated: Vec<_> = out.gated.drain(before..).collect();
    for (f, g) in found.into_iter().zip(gated) {
        if seen.insert((f.line, f.col, f.kind, f.detail.clone())) {
            out.findings.push(f);
            out.gated.push(g);
        }
    }
}

/// `unsafe` followed by a block, a function, an impl or a trait.
fn unsafe_rule(toks: &[Tok], i: usize, src: &Src<'_>, in_foreign: bool) -> Option<Kind> {
    let mut j = i + 1;
    loop {
        let t = toks.get(j)?;
        match t.kind {
            TK::Open(Delim::Brace) if j == i + 1 => return Some(Kind::UnsafeBlock),
            // `unsafe #body` in a `quote!` template: an interpolated block
            TK::Punct(b'#')
                if j == i + 1 && toks.get(j + 1).is_some_and(|n| n.kind == TK::Ident) =>
            {
                return Some(Kind::UnsafeBlock);
            }
            TK::Lit => j += 1,
            TK::Ident => match t.text(src) {
                "extern" => {
                    // `unsafe extern "C" { .. }` is counted as the extern block
                    let k = j + 1 + usize::from(toks.get(j + 1).is_some_and(|n| n.kind == TK::Lit));
                    if toks
                        .get(k)
                        .is_some_and(|n| n.kind == TK::Open(Delim::Brace))
                    {
                        return None;
                    }
                    j += 1;
                }
                "const" | "async" | "auto" => j += 1,
                "fn" => {
                    // a name must follow: `unsafe fn(u8)` is a function pointer type; in a
                    // macro body the name can be spliced in (`$name`, `#name` in `quote!`)
                    let named = toks.get(j + 1).is_some_and(|n| n.kind == TK::Ident)
                        || (toks
                            .get(j + 1)
                            .is_some_and(|n| n.is_punct('$') || n.is_punct('#'))
                            && toks.get(j + 2).is_some_and(|n| n.kind == TK::Ident));
                    return (named && !in_foreign).then_some(Kind::UnsafeFn);
                }
                "impl" => return Some(Kind::UnsafeImpl),
                "trait" => return Some(Kind::UnsafeTrait),
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// A path starting at `i`: collected, resolved and classified. Returns the index after it.
#[allow(clippy::too_many_arguments)]
fn path_rule<'s>(
    toks: &[Tok],
    m: &[u32],
    i: usize,
    ctx: &Ctx<'_, 's>,
    gates: &[GateId],
    segs: &mut Vec<&'s str>,
    buf: &mut Vec<&'s str>,
    out: &mut Out,
) -> usize {
    let t = toks[i];
    let src = ctx.src;
    let PathAt {
        end: j,
        leading,
        callee,
        is_macro,
        turbofish,
        resolved,
    } = path_at(toks, m, i, src, segs);
    if !resolved {
        return j;
    }
    let mut leading = leading;
    let (self_ty, self_leading) = ctx.self_ty;
    if segs.len() > 1 && segs[0] == "Self" && !self_ty.is_empty() {
        segs.splice(0..1, self_ty.iter().copied());
        leading = self_leading;
    }
    let mut emit = |kind: Kind, detail: String| {
        out.push(t.line, t.col, kind, Some(detail), ctx.origin, gates);
    };
    if is_macro && let Some(hit) = ctx.imports.resolve_macro(segs, leading) {
        let args_start = j + 1;
        let kind = hit.kind();
        let detail = match hit {
            MacroHit::InlineAsm(path) => Some(path),
            _ => toks
                .get(args_start)
                .filter(|o| matches!(o.kind, TK::Open(_)))
                .and_then(|_| {
                    let close = m[args_start] as usize;
                    macro_args(&toks[args_start + 1..close.min(toks.len())], src)
                }),
        };
        out.push(t.line, t.col, kind, detail, ctx.origin, gates);
        return j + 1;
    }
    if let Some(entry) = ctx.imports.classify(segs, leading, callee, buf) {
        emit(entry.kind, buf.join("::"));
    } else if matches!(segs.last(), Some(&("transmute" | "transmute_copy")))
        && (callee || turbofish)
    {
        emit(Kind::Transmute, segs.join("::"));
    } else if callee && ctx.imports.calls_extern_fn(segs) {
        emit(Kind::Ffi, format!("extern fn {}", segs.join("::")));
    }
    j
}

/// The detail of an embedding macro: the string literal argument, or the argument tokens as
/// written (`concat!(env!("OUT_DIR"), "/x.rs")`), shortened.
pub(crate) fn macro_args(args: &[Tok], src: &Src<'_>) -> Option<String> {
    let (first, last) = (args.first()?, args.last()?);
    if first.kind == TK::Open(Delim::Paren)
        || first.kind == TK::Open(Delim::Bracket)
        || first.kind == TK::Open(Delim::Brace)
    {
        // called as `include_str! { .. }` with the group itself passed: look inside
        let close = matching(args)[0] as usize;
        return macro_args(&args[1..close.min(args.len())], src);
    }
    if args.len() == 1
        && first.kind == TK::Lit
        && let Some(s) = unquote(first.text(src))
    {
        return Some(s.to_string());
    }
    Some(shorten(&src.text[first.start as usize..last.end as usize]))
}
