//! Safe wrapper around the native function the build script compiled.

use std::os::raw::c_int;

extern "C" { //~ extern-block
    fn corpus_x_add(a: c_int, b: c_int) -> c_int;
}

pub fn add(a: i32, b: i32) -> i32 {
    unsafe { corpus_x_add(a, b) } //~ unsafe-block, ffi
}
