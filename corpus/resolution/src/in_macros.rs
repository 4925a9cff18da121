//! The same paths inside macro bodies syn leaves to the token scanner: one resolver.

use std::process::Command;

macro_rules! dial {
    () => {
        fn dialer() {}
        let _ = <std::net::TcpStream>::connect("198.51.100.7:443"); //~ net
        let _ = self::Command::new("sh"); //~ process
        let _ = libc::O_RDONLY;
        let _ = libc::in_addr { s_addr: 0 };
    };
}

pub fn go() {
    dial!();
}

pub trait Opener {
    fn open_it() -> Self;
}

macro_rules! opener {
    ($body:block) => {
        impl Opener for std::fs::File {
            fn open_it() -> Self $body
        }
    };
}

impl Opener for Vec<u8> {
    fn open_it() -> Self {
        items! {
            fn helper() {}
            let _ = Self::new();
        }
        Vec::new()
    }
}

macro_rules! items {
    ($($t:tt)*) => {};
}

pub struct Files;

impl Files {
    pub fn open_twice() {
        items! {
            fn helper() {}
            let _ = <std::fs::File>::open("/etc/passwd"); //~ fs
        }
    }
}

opener!({ std::fs::File::open("/tmp/x").unwrap() }); //~ fs
