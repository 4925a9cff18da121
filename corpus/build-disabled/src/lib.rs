//! A harmless library; the danger is only in the unused build.rs.

pub fn answer() -> u32 {
    42
}
