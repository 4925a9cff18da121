//! Paths that leave this file: resolved over the crate's modules.

use crate::ffi::system as run;

pub fn dial() {
    let _ = crate::Conn::connect("198.51.100.7:443"); //~ net
}

pub fn dial_up() {
    let _ = super::Conn::connect("198.51.100.8:443"); //~ net
}

pub fn shell() -> i32 {
    unsafe { crate::ffi::system(core::ptr::null()) } //~ unsafe-block, ffi
}

pub fn renamed() -> i32 {
    unsafe { run(core::ptr::null()) } //~ unsafe-block, ffi
}

pub fn only_named() -> Option<crate::Conn> {
    // a type named, not called
    None
}

pub fn nothing_there() {
    crate::foreign::not_foreign();
}
