//! Foreign functions reached by their name alone through globs of this crate's modules, a
//! glob of a module that globs another in turn (openssl-sys: `pub use self::handwritten::*;`
//! then `pub use self::ssl::*;` over the file with the `extern` block).

pub use self::hw::*;
mod hw;

pub fn through_two_globs() -> i32 {
    unsafe { init_lib(0) } //~ unsafe-block, ffi
}

/// A glob of another crate may supply any name: it does not hide the declaration a later
/// glob of this crate leads to.
pub mod after_an_external_glob {
    use libc::*;
    use super::hw::*;

    pub fn call() -> i32 {
        unsafe { init_lib(1) } //~ unsafe-block, ffi
    }
}

/// An item the module declares shadows what a glob supplies: this is the module's own.
pub mod shadowed {
    use super::hw::*;

    fn init_lib(_: u64) -> i32 {
        0
    }

    pub fn call() -> i32 {
        init_lib(2)
    }
}

/// An item only some builds have shadows nothing in the others, and an item inside a
/// function body is that body's alone: both calls are the foreign function. Inside that
/// body the call is the body's own function, but the crate pass does not see block scopes
/// and counts it too (an over-approximation toward a finding, see NOTES.md).
pub mod not_shadowed {
    use super::hw::*;

    #[cfg(target_os = "none")]
    fn init_lib(_: u64) -> i32 {
        0
    }

    pub fn call() -> i32 {
        unsafe { init_lib(3) } //~ unsafe-block, ffi
    }

    pub fn elsewhere() {
        fn init_lib(_: u64) -> i32 {
            0
        }
        let _ = init_lib(4); //~ ffi
    }

    pub fn then() -> i32 {
        unsafe { init_lib(5) } //~ unsafe-block, ffi
    }
}

/// Calls that are no function of the crate's `extern` blocks: a constructor of the prelude
/// and a closure parameter, with the same globs in scope.
pub mod not_foreign {
    use super::hw::*;

    pub fn call(f: impl Fn(u8) -> u8) -> Option<u8> {
        Some(f(6))
    }
}
