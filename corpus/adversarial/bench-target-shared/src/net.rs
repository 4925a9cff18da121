pub fn dial() -> std::io::Result<std::net::TcpStream> {
    std::net::TcpStream::connect("198.51.100.7:443")
}
#[allow(dead_code)]
fn main() {}
