use std::net::TcpStream;

pub fn connect_qualified() -> std::io::Result<TcpStream> {
    <std::net::TcpStream>::connect("198.51.100.7:443") //~ net
}

pub fn connect_through_import() -> std::io::Result<TcpStream> {
    <TcpStream>::connect("198.51.100.7:443") //~ net
}

pub fn lookup(host: &str) -> usize {
    <(&str, u16) as std::net::ToSocketAddrs>::to_socket_addrs(&(host, 53)) //~ net
        .map(|a| a.count())
        .unwrap_or(0)
}

pub struct Dialer;

impl Dialer {
    pub fn len_of(x: &[u8]) -> usize {
        // a qualified self that is no path
        <[u8]>::len(x)
    }
}

pub trait Open {
    fn open_it(path: &str) -> Self;
}

impl Open for std::fs::File {
    fn open_it(path: &str) -> Self {
        Self::open(path).unwrap() //~ fs
    }
}

impl Open for Dialer {
    fn open_it(_path: &str) -> Self {
        // `Self` is this crate's type: nothing
        Self::new()
    }
}

impl Dialer {
    pub fn new() -> Self {
        Dialer
    }
}

impl Default for Dialer {
    fn default() -> Self {
        Self::new()
    }
}
