pub fn poke() -> u8 {
    let x = 1u8;
    unsafe { *(&x as *const u8) }
}
