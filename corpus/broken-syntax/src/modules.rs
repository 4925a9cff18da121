//! A file syn rejects (in a module that holds a risky call, so the fast path cannot cut it
//! away): the token scan still resolves each path in its own module.

mod reader {
    use std::fs as store;

    pub fn load() -> Vec<u8> {
        store::read("/etc/hostname").unwrap_or_default() //~ fs
    }
}

mod dialer {
    use std::net::TcpStream as store;

    pub fn open() {
        let _ = store::connect("198.51.100.7:443"); //~ net
        let = store::connect("198.51.100.9:443"); //~ net
    }

    pub mod inner {
        pub fn up() {
            let _ = super::store::connect("198.51.100.8:443"); //~ net
        }
    }
}
