//! Foreign functions called through the module that declares them.

mod sys {
    extern "C" { //~ extern-block
        pub fn system(cmd: *const u8) -> i32;
    }
}

pub fn run() -> i32 {
    unsafe { sys::system(c"id".as_ptr().cast()) } //~ unsafe-block, ffi
}

use self::sys::system as sh;

pub fn run_renamed() -> i32 {
    unsafe { sh(core::ptr::null()) } //~ unsafe-block, ffi
}

pub mod nested {
    pub fn up() -> i32 {
        unsafe { super::sys::system(core::ptr::null()) } //~ unsafe-block, ffi
    }
}

mod rust_side {
    pub fn system() {}
}

pub fn not_foreign() {
    // a Rust function of the same name in another module
    rust_side::system();
}
