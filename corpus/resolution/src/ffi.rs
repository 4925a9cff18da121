//! Foreign functions declared in a file of their own.

extern "C" { //~ extern-block
    pub fn system(cmd: *const u8) -> i32;
}
