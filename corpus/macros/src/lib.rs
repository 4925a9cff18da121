//! Risky code that syn leaves as tokens: `macro_rules!` bodies and item-like invocations.

pub mod args;

use std::process::Command;

/// Reads through a pointer; the unsafe block is in the macro body, counted once here.
macro_rules! raw_read {
    ($p:expr) => {
        unsafe { *$p } //~ unsafe-block
    };
}

macro_rules! slurp {
    ($path:expr) => {
        ::std::fs::read_to_string($path).unwrap_or_default() //~ fs
    };
}

/// The path is resolved through this file's `use std::process::Command`.
macro_rules! run {
    ($prog:expr) => {
        Command::new($prog).status().is_ok() //~ process
    };
}

/// Declares foreign functions; callers pass the names, so calls cannot be traced.
macro_rules! declare_ffi {
    ($($name:ident),*) => {
        extern "C" { //~ extern-block
            $(pub fn $name() -> i32;)*
        }
    };
}

macro_rules! marker_traits {
    ($t:ty) => {
        unsafe impl Send for $t {} //~ unsafe-impl
        unsafe impl Sync for $t {} //~ unsafe-impl
    };
}

/// Emits items as they are written.
macro_rules! items {
    ($($i:item)*) => {
        $($i)*
    };
}

/// A macro body that only mentions unsafe in a string and a comment: no findings.
macro_rules! label {
    () => {
        // unsafe { } here is a comment inside the macro body
        "unsafe { std::fs::remove_file(p) }"
    };
}

declare_ffi!(corpus_a, corpus_b);

pub struct Handle(*mut u8);
marker_traits!(Handle);

items! {
    /// # Safety
    /// `p` must point to a live `u32`.
    pub unsafe fn peek(p: *const u32) -> u32 { //~ unsafe-fn
        raw_read!(p)
    }

    extern "C" { //~ extern-block
        fn abs(x: i32) -> i32;
    }

    pub fn magnitude(x: i32) -> i32 {
        unsafe { abs(x) } //~ unsafe-block, ffi
    }
}

pub fn config() -> String {
    slurp!("config.toml")
}

pub fn has_git() -> bool {
    run!("git")
}

pub fn name() -> &'static str {
    label!()
}

pub fn emitted(name: &proc_macro2::Ident) -> proc_macro2::TokenStream {
    quote::quote! {
        unsafe impl Send for #name {} //~ unsafe-impl
        impl #name {
            pub unsafe fn get(&self) -> u8 { unsafe { *self.0 } } //~ unsafe-fn, unsafe-block
        }
    }
}

/// A wrapper generator: the name of each `unsafe fn` is spliced in by the invocation.
macro_rules! ioctl_like {
    ($name:ident, $nr:expr) => {
        pub unsafe fn $name(fd: i32) -> i32 { //~ unsafe-fn
            fd + $nr
        }
    };
}

ioctl_like!(get_flags, 1);

pub fn spliced(name: &proc_macro2::Ident) -> proc_macro2::TokenStream {
    quote::quote! {
        pub unsafe fn #name() {} //~ unsafe-fn
    }
}
