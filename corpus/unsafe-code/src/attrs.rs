//! Linkage attributes. Edition 2024 requires `no_mangle`, `export_name` and `link_section` to
//! be wrapped in `unsafe(..)`; that `unsafe` is part of the attribute, not an unsafe block.

#[unsafe(no_mangle)] //~ no-mangle
pub extern "C" fn corpus_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[unsafe(export_name = "corpus_sub")] //~ export-name
pub extern "C" fn sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}

#[cfg_attr(not(test), unsafe(no_mangle))] //~ no-mangle
pub extern "C" fn corpus_mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}

#[cfg(target_os = "linux")]
#[unsafe(link_section = ".init_array")] //~ link-section
#[used]
pub static INIT: extern "C" fn() = init;

extern "C" fn init() {}

#[cfg_attr(unix, link(name = "z", kind = "dylib"))] //~ link-attr
unsafe extern "C" { //~ extern-block
    #[link_name = "zlibVersion"]
    pub fn zlib_version() -> *const core::ffi::c_char;
}

#[link(name = "m")] //~ link-attr
unsafe extern "C" {} //~ extern-block

/// Not attributes: `#[no_mangle]` and `#[link(name = "z")]` in a doc comment.
#[doc = "#[export_name = \"x\"] in a doc attribute"]
#[inline(never)]
#[allow(unsafe_code)]
pub fn plain() -> &'static str {
    // #[link_section = ".text"] in a comment
    "#[unsafe(no_mangle)] in a string"
}
