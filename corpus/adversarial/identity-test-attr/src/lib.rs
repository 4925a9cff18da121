#[adv_attrs::test]
pub fn connect() {
    let _ = std::net::TcpStream::connect("198.51.100.7:443");
}
