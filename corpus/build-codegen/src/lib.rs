//! Constants generated at build time.

include!(concat!(env!("OUT_DIR"), "/gen.rs")); //~ include

pub fn all() -> [u32; 3] {
    [ALPHA, BETA, GAMMA]
}
