#[macro_use]
mod macros;
declare_backend!();
pub use backend::start;
