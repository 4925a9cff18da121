//! A glob import of `std::net`: bare names resolve to it, address types stay data.

use std::net::*;

pub fn dial(port: u16) -> std::io::Result<TcpStream> {
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
    TcpStream::connect(addr) //~ net
}

pub fn datagram() -> std::io::Result<UdpSocket> {
    UdpSocket::bind(SocketAddr::from(([0, 0, 0, 0], 0))) //~ net
}
