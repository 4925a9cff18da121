//! Same names, no assembly and no transmute. Nothing in this file is a finding.
//! Docs may show `std::mem::transmute::<f32, u32>(x)` or `asm!("nop")`.

mod bits {
    /// A bit shuffle that happens to be called `transmute`.
    pub fn transmute(x: u32) -> u32 {
        x.rotate_left(3) ^ 0x5a5a_5a5a
    }
}

pub trait Transmute {
    fn transmute(self) -> u32;
}

impl Transmute for u16 {
    fn transmute(self) -> u32 {
        u32::from(self) << 16
    }
}

pub fn scramble(x: u32) -> u32 {
    bits::transmute(x)
}

pub fn widen(x: u16) -> u32 {
    x.transmute()
}

pub fn asm_listing() -> &'static str {
    // asm!("int3") would be a breakpoint; this is only text.
    "asm!(\"nop\"); global_asm!(\"\"); core::mem::transmute_copy(&x)"
}

pub fn safe_bits(x: f32) -> u32 {
    x.to_bits()
}
