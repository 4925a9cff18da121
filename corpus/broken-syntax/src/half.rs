//! A real syntax error between real findings; the tokens are balanced, so proc-macro2 lexes
//! the file and the fallback scans its tokens.

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
