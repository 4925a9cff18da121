//! Another file: the crate's `macro_rules! quote` is in scope here too (textual scope reaches
//! the modules declared after it), and `parse_quote` is imported from the crate, not syn.

use crate::parse_quote;

pub fn remove(path: &str) -> std::io::Result<()> {
    quote! { std::fs::remove_file(path) } //~ fs
}

pub fn home() -> Option<String> {
    parse_quote! { std::env::var("HOME").ok() } //~ env-read
}
