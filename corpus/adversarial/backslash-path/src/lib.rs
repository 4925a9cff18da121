#[cfg_attr(windows, path = "sys\\evil.rs")]
pub mod evil;
