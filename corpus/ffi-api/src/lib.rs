//! Calls into C: libc, an extern block of this file, dynamic loading, OS binding crates.

pub mod lookalike;

use libc as c;
use libc::{c_char, c_int};
use std::ffi::CStr;

#[link(name = "z")] //~ link-attr
extern "C" { //~ extern-block
    fn zlibVersion() -> *const c_char;
    fn crc32(crc: u64, buf: *const u8, len: u32) -> u64;
}

pub fn zlib_version() -> &'static CStr {
    unsafe { CStr::from_ptr(zlibVersion()) } //~ unsafe-block, ffi
}

pub fn checksum(data: &[u8]) -> u64 {
    unsafe { crc32(0, data.as_ptr(), data.len() as u32) } //~ unsafe-block, ffi
}

pub fn pid() -> c_int {
    unsafe { libc::getpid() } //~ unsafe-block, ffi
}

pub fn uid() -> u32 {
    unsafe { c::getuid() } //~ unsafe-block, ffi
}

#[no_mangle] //~ no-mangle
pub extern "C" fn corpus_ffi_double(x: c_int) -> c_int {
    x.wrapping_mul(2)
}

/// # Safety
/// `path` must name a shared library whose initializers are safe to run.
pub unsafe fn open_plugin(path: &str) -> Result<libloading::Library, libloading::Error> { //~ unsafe-fn
    unsafe { libloading::Library::new(path) } //~ unsafe-block, ffi
}

#[cfg(unix)]
pub fn nix_pid() -> i32 {
    nix::unistd::getpid().as_raw() //~ ffi
}

#[cfg(windows)]
pub fn tick_count() -> u32 {
    unsafe { windows_sys::Win32::System::SystemInformation::GetTickCount() } //~ unsafe-block, ffi
}

#[cfg(windows)]
use winapi::um::processthreadsapi::GetCurrentProcessId;

#[cfg(windows)]
pub fn win_pid() -> u32 {
    unsafe { GetCurrentProcessId() } //~ unsafe-block, ffi
}
