//! Named like test code but declared by a plain `pub mod testing;`: shipped.

pub fn temp_copy(from: &str) -> std::io::Result<u64> {
    std::fs::copy(from, "copy.tmp") //~ fs
}
