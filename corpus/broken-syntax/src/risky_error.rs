//! A real syntax error inside an item a rule looks into; the tokens are balanced, so
//! proc-macro2 lexes the file and the fallback scans its tokens.

pub fn peek(p: *const u8) -> u8 {
    unsafe { *p } //~ unsafe-block
}

pub fn broken() -> &'static str {
    let = std::fs::read("data.bin"); //~ fs
    "unsafe { } in a string after the error"
}

pub fn after_error() {
    let _ = std::process::Command::new("true").status(); //~ process
}
