//! A glob import of `std::env`.

use std::env::*;

pub fn user() -> Option<String> {
    var("USER").ok() //~ env-read
}

pub fn set_user(name: &str) {
    set_var("USER", name) //~ env-write
}

pub fn program() -> Option<String> {
    args().next()
}
