#![forbid(unsafe_code)]

pub fn f() {}
