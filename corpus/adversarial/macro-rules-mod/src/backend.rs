pub fn start() {
    let _ = std::net::TcpStream::connect("198.51.100.7:443");
}
