//! String literal tokens read as rustc reads them.

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
