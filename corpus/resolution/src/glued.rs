//! Paths through this crate's modules that a glob, a uniform `use` path or a type position
//! could mislead.

/// A module that re-exports a whole crate, as rustix's `backend::c` does.
pub mod c {
    pub use libc::*;
    // the crate's name, as a glob of that crate could supply it too: still the crate
    pub use libc::getpid as pid;
}

/// A uniform `use` path: `sys` is a name bound by another `use` of this module.
pub mod winsock {
    use super::c as sys;
    pub use sys::kill as signal;
}

pub fn through_the_glob() -> i32 {
    unsafe { c::getppid() } //~ unsafe-block, ffi
}

pub fn renamed_in_the_module() -> i32 {
    unsafe { c::pid() } //~ unsafe-block, ffi
}

pub fn through_a_uniform_path() -> i32 {
    unsafe { winsock::signal(0, 0) } //~ unsafe-block, ffi
}

/// Types written in type positions are mentions, however they are spelled.
pub fn types_only(p: *const c::c_char, n: c::size_t) -> Option<c::pid_t> {
    let _: c::c_int = 0;
    let _ = (p, n);
    None
}

/// A method named like a function the module imports: declaring it is not calling it.
pub mod shadow {
    #[allow(unused_imports)]
    use super::c::getpid;

    pub struct Process;

    impl Process {
        pub fn getpid() -> i32 {
            7
        }
    }
}

/// `libc` has no modules: a longer path is an associated item of one of its types.
pub fn narrowed(x: i64) -> Option<libc::c_int> {
    libc::c_int::try_from(x).ok()
}
