//! Derives and attributes that run inside the compiler of every crate that uses them.

extern crate proc_macro;

use proc_macro::TokenStream;
use proc_macro2::{Ident, Span, TokenTree};
use quote::quote;

/// The identifier after `struct` / `enum` in a derive input.
fn type_name(input: TokenStream) -> Ident {
    let mut tokens = proc_macro2::TokenStream::from(input).into_iter();
    while let Some(tt) = tokens.next() {
        if let TokenTree::Ident(kw) = &tt {
            if kw == "struct" || kw == "enum" {
                if let Some(TokenTree::Ident(name)) = tokens.next() {
                    return name;
                }
            }
        }
    }
    Ident::new("Unknown", Span::call_site())
}

/// `#[derive(Zeroable)]`: promises all-zero bytes are valid, which the macro cannot check.
#[proc_macro_derive(Zeroable)]
pub fn derive_zeroable(input: TokenStream) -> TokenStream {
    let name = type_name(input);
    let expanded = quote! {
        unsafe impl ::corpus_zeroable::Zeroable for #name {} //~ unsafe-impl
        impl #name {
            pub fn zeroed() -> Self {
                unsafe { ::core::mem::zeroed() } //~ unsafe-block
            }
        }
    };
    expanded.into()
}

/// `#[embed_schema]`: reads a file from the user's crate at expansion time.
#[proc_macro_attribute]
pub fn embed_schema(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default(); //~ env-read
    let schema = std::fs::read_to_string(format!("{dir}/schema.json")).unwrap_or_default(); //~ fs
    let item = proc_macro2::TokenStream::from(item);
    quote! {
        #item
        pub const SCHEMA: &str = #schema;
    }
    .into()
}
