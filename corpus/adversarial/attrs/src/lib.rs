//! Attributes that return their item unchanged.
use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn test(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

#[proc_macro_attribute]
pub fn rstest(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
