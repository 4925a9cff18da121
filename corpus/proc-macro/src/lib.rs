//! Derives and attributes that run inside the compiler of every crate that uses them.

extern crate proc_macro;

use proc_macro::TokenStream;
use proc_macro2::{Ident, Span, TokenTree};
use quote::quote;
use quote::quote as q;

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

/// `#[derive(Spawn)]`: the code it emits starts a process in every crate that derives it.
#[proc_macro_derive(Spawn)]
pub fn derive_spawn(input: TokenStream) -> TokenStream {
    let name = type_name(input);
    let body = quote::quote! { { ::core::ptr::null::<u8>() } };
    let out: proc_macro2::TokenStream = syn::parse_quote! {
        impl #name {
            pub fn spawn() -> ::std::io::Result<::std::process::Child> {
                let _raw = unsafe #body; //~ unsafe-block
                ::std::process::Command::new("sh").spawn() //~ process
            }
        }
    };
    out.into()
}

/// `#[derive(Describe)]`: a template of safe code, and a string parsed as code.
#[proc_macro_derive(Describe)]
pub fn derive_describe(input: TokenStream) -> TokenStream {
    let name = type_name(input);
    let helper: proc_macro2::TokenStream =
        syn::parse_str("fn helper() { let _ = std::env::var(\"HOME\"); }").unwrap(); //~ env-read
    quote! {
        #helper
        impl #name {
            pub fn describe() -> &'static str {
                stringify!(#name)
            }
        }
    }
    .into()
}

/// `#[logged]`: an attribute whose template is safe.
#[proc_macro_attribute]
pub fn logged(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    quote!(#item).into()
}

/// `make_unsafe!()`: a function-like macro; its own code is safe, the code it emits is not.
#[proc_macro]
pub fn make_unsafe(_input: TokenStream) -> TokenStream {
    quote! {
        pub unsafe fn made() {} //~ unsafe-fn
    }
    .into()
}

/// `renamed!()`: `quote!` imported under another name is the same template.
#[proc_macro]
pub fn renamed(_input: TokenStream) -> TokenStream {
    q! {
        pub fn unchecked() -> u8 {
            unsafe { *::core::ptr::null::<u8>() } //~ unsafe-block
        }
    }
    .into()
}

/// Code the macro itself runs, after all the templates: still its own.
#[allow(dead_code)]
fn own_unsafe() -> u8 {
    unsafe { *::core::ptr::null::<u8>() } //~ unsafe-block
}
