//! Functions switched on by the cfgs the build script prints.

pub fn fast() -> bool {
    cfg!(has_fast)
}
