#[cfg_attr(test, path = "mock.rs")]
mod clock;
pub use clock::now;
