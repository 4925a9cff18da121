//! Unit tests of the inert-item recogniser.

#![allow(clippy::unwrap_used)]

use super::*;

fn names(src: &str) -> Vec<Vec<String>> {
    let trees: Vec<TokenTree> = src
        .parse::<proc_macro2::TokenStream>()
        .unwrap()
        .into_iter()
        .collect();
    find(&trees)
        .into_iter()
        .map(|i| i.names.iter().map(ToString::to_string).collect())
        .collect()
}

#[test]
fn generated_shapes_are_inert() {
    let src = r#"
        pub const A: u32 = 5u32;
        pub const B: i32 = -(1 << 4) | 0x10 as i32;
        pub type H = *mut core::ffi::c_void;
        #[repr(C)] #[derive(Clone, Copy)]
        pub struct S { pub a: u32, pub b: [u16; 128], pub c: Option<&'static str> }
        pub struct T(pub u8, [u8; 4]);
        pub union U { a: u32, b: f32 }
        /// docs
        pub enum E { X = 1, Y, Z(u8) }
        pub static TABLE: [u8; 3] = [1, 2, 3];
        pub static TEXT: &str = "x";
    "#;
    let found = names(src);
    assert_eq!(found.len(), 9, "{found:?}");
    assert_eq!(found[6], vec!["E", "X", "Y", "Z"]);
}

#[test]
fn anything_a_rule_can_see_is_not_inert() {
    for src in [
        "pub(in crate::a) const A: u8 = 1;",
        "pub static mut A: u32 = 0;",
        "pub const A: u32 = B;",
        "pub const A: u32 = f(1);",
        "pub const A: &[u8] = include_bytes!(\"x\");",
        "#[no_mangle] pub static A: u32 = 0;",
        "#[link_section = \".x\"] pub static A: u32 = 0;",
        "#[cfg_attr(x, no_mangle)] pub static A: u32 = 0;",
        "#[doc = include_str!(\"x\")] pub struct S;",
        "pub type F = unsafe extern \"C\" fn();",
        "pub struct S<T> { a: T }",
        "pub const A: u32 = { 1 };",
        "pub const r#A: u32 = 1;",
        "mod m;",
        "use std::fs;",
        "pub enum E { A = B }",
        "pub const A: u32 = 1 < 2;",
    ] {
        assert!(names(src).is_empty(), "{src}");
    }
}
