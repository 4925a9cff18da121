//! Third-party network wrappers, one call each.

use hyper::client::conn::http1::SendRequest;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket as AsyncUdp;

pub async fn tokio_connect(a: &str) -> std::io::Result<tokio::net::TcpStream> {
    tokio::net::TcpStream::connect(a).await //~ net
}

pub async fn tokio_udp() -> std::io::Result<AsyncUdp> {
    AsyncUdp::bind("0.0.0.0:0").await //~ net
}

pub async fn async_std_connect(a: &str) -> std::io::Result<async_std::net::TcpStream> {
    async_std::net::TcpStream::connect(a).await //~ net
}

pub fn mio_listener(addr: std::net::SocketAddr) -> std::io::Result<mio::net::TcpListener> {
    mio::net::TcpListener::bind(addr) //~ net
}

pub fn raw_socket(domain: Domain, ty: Type, proto: Option<Protocol>) -> std::io::Result<Socket> {
    Socket::new(domain, ty, proto) //~ net
}

pub fn reqwest_get(url: &str) -> reqwest::Result<String> {
    reqwest::blocking::get(url)?.text() //~ net
}

pub fn ureq_get(url: &str) -> Result<String, ureq::Error> {
    ureq::get(url).call()?.body_mut().read_to_string() //~ net
}

pub fn curl_handle(url: &str) -> Result<curl::easy::Easy, curl::Error> {
    let mut easy = curl::easy::Easy::new(); //~ net
    easy.url(url)?;
    Ok(easy)
}

pub async fn hyper_handshake<T>(io: T) -> hyper::Result<SendRequest<String>>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, _conn) = hyper::client::conn::http1::handshake(io).await?; //~ net
    Ok(sender)
}
