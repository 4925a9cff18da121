//! A library (not a proc macro) with its own `quote!`: a `macro_rules!` that pastes its body
//! where it is invoked, so what looks like a template is code this crate runs.

/// Pastes its tokens in place.
macro_rules! quote {
    ($($body:tt)*) => { $($body)* };
}

pub(crate) use quote as parse_quote;

mod paste;

pub fn start() -> std::io::Result<std::process::Child> {
    quote! {
        std::process::Command::new("sh").spawn() //~ process
    }
}

pub fn peek(p: *const u8) -> u8 {
    quote! { unsafe { *p } } //~ unsafe-block
}
