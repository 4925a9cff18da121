#[path = "util.inc"]
pub mod util;
