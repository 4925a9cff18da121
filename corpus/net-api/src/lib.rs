//! Network access in every spelling the analyzer must resolve. Addresses are data, not network.

pub mod glob;
pub mod lookalike;
#[cfg(unix)]
pub mod unix;
pub mod wrappers;

use std::io;
use std::net;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream as Conn};

pub fn connect(addr: SocketAddr) -> io::Result<Conn> {
    Conn::connect(addr) //~ net
}

pub fn listen() -> io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)) //~ net
}

pub fn udp() -> io::Result<net::UdpSocket> {
    net::UdpSocket::bind("0.0.0.0:0") //~ net
}

pub fn fully_qualified(addr: &str) -> io::Result<std::net::TcpStream> {
    ::std::net::TcpStream::connect(addr) //~ net
}

pub fn resolve(host: &str) -> io::Result<Vec<SocketAddr>> {
    let addrs = std::net::ToSocketAddrs::to_socket_addrs(&(host, 443))?; //~ net
    Ok(addrs.collect())
}

pub fn connect_all(addrs: &[SocketAddr]) -> Vec<io::Result<Conn>> {
    addrs.iter().map(Conn::connect).collect() //~ net
}

/// Addresses are plain data: none of these lines is a network finding.
pub fn addresses() -> (IpAddr, SocketAddr, Option<SocketAddr>) {
    let ip = IpAddr::from([127, 0, 0, 1]);
    let sa = SocketAddr::new(ip, 8080);
    let parsed = "10.0.0.1:53".parse::<SocketAddr>().ok();
    let _v6 = std::net::Ipv6Addr::LOCALHOST;
    (ip, sa, parsed)
}

/// A stream in type position and methods on a value: not findings.
pub fn peer(s: &Conn) -> io::Result<SocketAddr> {
    s.set_nodelay(true)?;
    s.peer_addr()
}
