//! Every kind of unsafe code the analyzer counts, in edition 2024 syntax.
//!
//! These docs say `unsafe { *p }`, `unsafe impl Send` and `static mut X`: none of it is code.

extern crate alloc;

pub mod attrs;
pub mod words;

use core::cell::UnsafeCell;

/// Reads through a raw pointer.
///
/// # Safety
/// `p` must be valid for reads: the caller's `unsafe { }` block promises it.
pub unsafe fn read_raw(p: *const u32) -> u32 { //~ unsafe-fn
    unsafe { *p } //~ unsafe-block
}

pub fn first(v: &[u32]) -> Option<u32> {
    if v.is_empty() {
        return None;
    }
    Some(unsafe { read_raw(v.as_ptr()) }) //~ unsafe-block
}

pub struct Slot(UnsafeCell<u32>);

impl Slot {
    #[inline]
    pub const unsafe fn new_unchecked(v: u32) -> Self { //~ unsafe-fn
        Slot(UnsafeCell::new(v))
    }

    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get_mut_unchecked(&self) -> &mut u32 { //~ unsafe-fn
        unsafe { &mut *self.0.get() } //~ unsafe-block
    }

    /// Safe: the word "unsafe" in a doc comment does not make a method unsafe.
    pub fn get(&self) -> u32 {
        unsafe { *self.0.get() } //~ unsafe-block
    }
}

unsafe impl Sync for Slot {} //~ unsafe-impl

/// # Safety
/// Implementors promise that all-zero bytes are a valid value.
pub unsafe trait Zeroable: Sized { //~ unsafe-trait
    unsafe fn zeroed() -> Self; //~ unsafe-fn
    fn is_zero(&self) -> bool;
}

unsafe impl Zeroable for u32 { //~ unsafe-impl
    unsafe fn zeroed() -> Self { //~ unsafe-fn
        0
    }

    fn is_zero(&self) -> bool {
        *self == 0
    }
}

pub static EMPTY: Slot = unsafe { Slot::new_unchecked(0) }; //~ unsafe-block

static mut COUNTER: u32 = 0; //~ static-mut
static PLAIN: u32 = 7;

pub fn bump() -> u32 {
    unsafe { //~ unsafe-block
        COUNTER += 1;
        COUNTER + PLAIN
    }
}

// The foreign `unsafe fn` below is a foreign item, not an `unsafe fn` definition: only the
// block and its `static mut` are findings.
unsafe extern "C" { //~ extern-block
    pub safe fn labs(x: core::ffi::c_long) -> core::ffi::c_long;
    pub unsafe fn strlen(s: *const core::ffi::c_char) -> usize;
    pub static mut optind: core::ffi::c_int; //~ static-mut
    pub static environ: *const *const core::ffi::c_char;
}
