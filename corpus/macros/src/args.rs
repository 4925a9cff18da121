//! Arguments of expression-like macros are ordinary code: findings here are plain syntax.

use std::env;

pub fn show() -> String {
    println!("{}", std::fs::read_to_string("motd").unwrap_or_default()); //~ fs
    let home = format!("{:?}", env::var("HOME")); //~ env-read
    let all = vec![
        std::fs::read("a").is_ok(), //~ fs
        unsafe { std::ptr::read_volatile(&1u8) } == 1, //~ unsafe-block
    ];
    assert!(std::fs::metadata("/").is_ok(), "root exists"); //~ fs
    format!("{home} {all:?}")
}

/// Strings and captured identifiers in format strings are not code.
pub fn words(fs: u8) -> String {
    println!("std::fs::read({fs}) and unsafe {{ }}");
    format!("{fs} env::var(\"HOME\")")
}
