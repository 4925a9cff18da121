//! Code shaped by the cfgs the build script found.

#[cfg(has_i128)]
pub type Wide = i128;
#[cfg(not(has_i128))]
pub type Wide = i64;

#[cfg(has_nonzero)]
pub type Id = std::num::NonZeroU64;
#[cfg(not(has_nonzero))]
pub type Id = u64;

pub fn platform() -> &'static str {
    if cfg!(corpus_linux) {
        "linux"
    } else {
        "other"
    }
}
