//! Text that mentions unsafe code without being it: nothing in this file is a finding.
//! `unsafe { *p }`, `unsafe impl Send for T {}`, `static mut X: u8 = 0;`, `extern "C" { }`.

/* A block comment: unsafe { core::hint::unreachable_unchecked() }
   /* nested: unsafe fn f() {} */ still the comment: static mut Y: u8 = 0; */

/// Counts lines that mention the word `unsafe`.
pub fn unsafe_count(lines: &[&str]) -> usize {
    let unsafe_word = "unsafe";
    let r#unsafe = 0usize;
    lines.iter().filter(|l| l.contains(unsafe_word)).count() + r#unsafe
}

pub fn samples() -> [&'static [u8]; 3] {
    let raw = r#"unsafe impl Sync for Slot {}"#;
    let raw2 = r##"extern "C" { fn abort(); } "# unsafe { }"##;
    let bytes = b"static mut COUNTER: u32 = 0;";
    [raw.as_bytes(), raw2.as_bytes(), bytes]
}

#[derive(Debug, Default)]
pub struct UnsafeStats {
    pub unsafe_blocks: u32,
    pub static_mut: u32,
    pub extern_blocks: u32,
}

/// Function pointer types say `unsafe` and `extern` but declare nothing.
pub type Callback = unsafe extern "C" fn(i32) -> i32;
pub type Thunk = unsafe fn();

/// A Rust function with the C ABI: not an extern block, not unsafe.
pub extern "C" fn callback(x: i32) -> i32 {
    x.saturating_mul(2)
}

pub fn registry() -> (Option<Callback>, Option<Thunk>) {
    (None, None)
}
