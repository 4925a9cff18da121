//! A glob import of `std::process`.

use std::process::*;

pub fn list() -> std::io::Result<Output> {
    Command::new("ls").arg("-l").output() //~ process
}

pub fn stop() -> ! {
    exit(2)
}
