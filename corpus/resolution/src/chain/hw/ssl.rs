use super::super::*;

extern "C" { //~ extern-block
    #[cfg(not(target_os = "none"))]
    pub fn init_lib(opts: u64) -> i32;
}
