#[path = "\x68idden.rs"]
pub mod shown;
