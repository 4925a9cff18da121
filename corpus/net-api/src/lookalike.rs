//! No network here. A doc saying `TcpStream::connect("evil.example:80")` is text.

mod fake {
    pub struct TcpStream;

    impl TcpStream {
        pub fn connect(_addr: &str) -> TcpStream {
            TcpStream
        }
    }
}

pub fn local_type() -> fake::TcpStream {
    fake::TcpStream::connect("127.0.0.1:1")
}

/// `std::net::TcpStream` as a parameter type only.
pub fn handle(_s: std::net::TcpStream) {}

pub fn words() -> &'static str {
    // reqwest::blocking::get("http://example.invalid") in a comment
    "std::net::UdpSocket::bind(\"0.0.0.0:53\")"
}
