//! Unbalanced braces: proc-macro2 cannot lex this file, so a plain lexer must, and it must
//! still skip strings and comments that contain braces and risky words.

use std::env;

pub fn config() -> String {
    let brace = "}";
    let raw = r#"unsafe { "}"#;
    let home = env::var("HOME").unwrap_or_default(); //~ env-read
    // } a closing brace in a comment
    unsafe { //~ unsafe-block
        format!("{}{}{}", brace, raw, home)
    }
// the closing brace of `config` is missing

pub fn dangling() {
    let _ = std::fs::remove_file("lock"); //~ fs
    /* unsafe { } in a block comment */
}
