//! The system zlib's version string.

use std::ffi::CStr;
use std::os::raw::c_char;

extern "C" { //~ extern-block
    fn zlibVersion() -> *const c_char;
}

pub fn zlib_version() -> String {
    let v = unsafe { CStr::from_ptr(zlibVersion()) }; //~ unsafe-block, ffi
    v.to_string_lossy().into_owned()
}
