//! A real syntax error in an item that holds no name any rule looks at, between real findings:
//! the other items are parsed without it, so the findings are exact. (`risky_error.rs` has the
//! error in an item that matters.)

pub fn peek(p: *const u8) -> u8 {
    unsafe { *p } //~ unsafe-block
}

pub fn load() -> Vec<u8> {
    std::fs::read("data.bin").unwrap_or_default() //~ fs
}

pub fn broken() -> &'static str {
    let = 5;
    "unsafe { } in a string after the error"
}

pub fn after_error() {
    let _ = std::process::Command::new("true").status(); //~ process
}
