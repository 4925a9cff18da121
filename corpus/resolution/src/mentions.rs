//! Constants, types and data literals of capability crates are mentions, not uses.

pub fn flags() -> i32 {
    libc::O_RDONLY | libc::O_CLOEXEC
}

pub fn family() -> i32 {
    libc::AF_INET
}

pub struct Holder {
    pub file: Option<std::fs::File>,
}

pub fn default_holder() -> Holder {
    Holder { file: None }
}

pub fn make_addr() -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: 0,
        sin_port: 0,
        sin_addr: libc::in_addr { s_addr: 0 },
        sin_zero: [0; 8],
    }
}

pub fn but_a_call_is_a_use() -> i32 {
    unsafe { libc::getpid() } //~ unsafe-block, ffi
}

pub fn and_a_function_value_is_a_use() -> Vec<String> {
    ["HOME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok()) //~ env-read
        .chain(std::env::args().take(0))
        .collect()
}

pub fn value_taken() -> Option<fn(&str) -> std::io::Result<Vec<u8>>> {
    Some(std::fs::read::<&str>) //~ fs
}
