//! A crate with no findings. Its docs mention `unsafe { *p }`, `std::fs::read("/etc/shadow")`,
//! `TcpStream::connect`, `Command::new("sh")`, `env::set_var` and `include_bytes!("blob")`.
#![forbid(unsafe_code)]

pub mod words;

use std::net::{IpAddr, TcpStream};
use std::process::Command;

/// A local module named `fs`, used without `use std::fs`.
mod fs {
    pub fn read(path: &str) -> Vec<u8> {
        path.as_bytes().to_vec()
    }
}

pub fn local_module() -> Vec<u8> {
    fs::read("in-memory")
}

pub fn local_variable() -> usize {
    let fs = [1u8, 2, 3];
    fs.len()
}

/// Types only: nothing is connected or spawned.
pub fn describe(stream: Option<&TcpStream>, cmd: &Command) -> String {
    format!("{} {:?}", stream.is_some(), cmd.get_program())
}

pub fn takes(_s: std::net::TcpStream, _f: std::fs::File) {}

pub fn loopback() -> IpAddr {
    std::net::IpAddr::from([127, 0, 0, 1])
}

pub fn quit(code: i32) -> ! {
    if code == 134 {
        std::process::abort()
    }
    std::process::exit(0)
}

pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
