//! A library with a module called `build`: it builds documents, not the crate.

pub mod build;

include!(concat!(env!("OUT_DIR"), "/version.rs")); //~ include

pub fn render(title: &str) -> String {
    build::Builder::new(title).finish()
}
