#[path = "../benches/data.rs"]
pub mod data;
