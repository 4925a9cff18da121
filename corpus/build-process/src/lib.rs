//! The commit the crate was built from.

pub const GIT_HASH: &str = env!("CORPUS_GIT_HASH");

pub fn version() -> String {
    format!("{} ({})", env!("CARGO_PKG_VERSION"), GIT_HASH)
}
