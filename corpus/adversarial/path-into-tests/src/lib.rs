//! A client library.
#[path = "../tests/support/transport.rs"]
mod transport;

pub fn ping() -> bool {
    transport::open().is_ok()
}
