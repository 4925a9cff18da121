//! A model fetched by the build script.

pub static MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/model.bin")); //~ include-bytes

pub fn model_len() -> usize {
    MODEL.len()
}
