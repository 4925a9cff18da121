//! C types and Rust functions with C-ish names: no call into C here.
//! A doc naming `libc::system("rm -rf /")` is text.

use libc::c_int;
use std::ffi::CString;
use std::os::raw::c_char;

/// `c_int` / `c_char` in type positions only.
pub fn clamp(x: c_int) -> c_int {
    x.clamp(0, 255)
}

pub fn first_char(s: &[c_char]) -> Option<c_char> {
    s.first().copied()
}

/// A Rust function with the same name as the C one declared in lib.rs: this file has no
/// extern block, so calling it is not FFI.
fn crc32(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |acc, b| acc.rotate_left(5) ^ u32::from(*b))
}

pub fn checksum(data: &[u8]) -> u32 {
    crc32(data)
}

/// An `extern "C" fn` defined in Rust and called from Rust: not an extern block, not FFI.
pub extern "C" fn on_event(code: c_int) -> c_int {
    code + 1
}

pub fn fire() -> c_int {
    on_event(41)
}

/// `std::ffi` builds C strings; it does not call C.
pub fn c_name(name: &str) -> Option<CString> {
    CString::new(name).ok()
}

pub fn words() -> &'static str {
    // unsafe { libc::execve(..) } in a comment
    "libloading::Library::new(\"evil.so\")"
}
