//! Paths resolved as rustc resolves them: the qualified self, `self::` and `super::`,
//! `Self` in an impl block, type aliases; and what is only mentioned, never used.

pub mod qualified;
pub mod relative;
pub mod caller;
mod ffi;
pub mod foreign;
pub mod in_macros;
pub mod mentions;
pub mod nfc;
pub mod methods;
pub mod glued;
pub mod expanded;
pub mod chain;

// re-exported here, used from another file through `crate::`
pub(crate) use std::net::TcpStream as Conn;

pub fn from_the_root() -> i32 {
    unsafe { ffi::system(core::ptr::null()) } //~ unsafe-block, ffi
}
