#[cfg_attr(unix, path = "sys/posix.rs")]
mod sys;
pub use sys::start;
