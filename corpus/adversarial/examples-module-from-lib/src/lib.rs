#[path = "../examples/common/mod.rs"]
mod common;
pub fn init() { common::setup(); }
