//! Inline assembly and transmutes in every spelling the analyzer must resolve.

pub mod lookalike;

#[cfg(target_arch = "x86_64")]
use core::arch::asm;
use core::mem as m;
use std::mem::transmute;

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(".globl corpus_nop", "corpus_nop:", "ret"); //~ inline-asm

#[cfg(target_arch = "x86_64")]
pub fn pause() {
    unsafe { asm!("pause", options(nomem, nostack)) } //~ unsafe-block, inline-asm
}

#[cfg(target_arch = "x86_64")]
pub fn read_tsc() -> u64 {
    let lo: u32;
    let hi: u32;
    unsafe { //~ unsafe-block
        std::arch::asm!( //~ inline-asm
            "rdtsc",
            out("eax") lo,
            out("edx") hi,
            options(nomem, nostack),
        );
    }
    ((hi as u64) << 32) | lo as u64
}

#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
pub extern "C" fn answer() -> u64 {
    core::arch::naked_asm!("mov rax, 42", "ret") //~ inline-asm
}

pub fn bits(x: f32) -> u32 {
    unsafe { std::mem::transmute(x) } //~ unsafe-block, transmute
}

pub fn bits_via_use(x: f32) -> u32 {
    unsafe { transmute::<f32, u32>(x) } //~ unsafe-block, transmute
}

pub fn bits_via_alias(x: f64) -> u64 {
    unsafe { m::transmute(x) } //~ unsafe-block, transmute
}

pub fn word(x: &[u8; 4]) -> u32 {
    unsafe { ::core::mem::transmute_copy(x) } //~ unsafe-block, transmute
}

pub fn to_fn(addr: usize) -> fn() -> u64 {
    unsafe { //~ unsafe-block
        transmute::<usize, fn() -> u64>( //~ transmute
            addr,
        )
    }
}
