#[cfg(test)]
mod util;
#[path = "util.rs"]
pub mod tools;
