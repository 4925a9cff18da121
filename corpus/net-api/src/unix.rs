//! Unix domain sockets. A named socket (a path in the file system) is reachable by other
//! processes: connecting or binding one is network. A socket pair is two unnamed sockets
//! connected to each other inside the process (IPC with a thread, or a child after fork): no
//! finding, in std, tokio, mio, under a glob or renamed.

use std::io;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use tokio::net::UnixStream as AsyncUnix;

pub fn named(path: &str) -> io::Result<UnixStream> {
    UnixStream::connect(path) //~ net
}

pub fn listen(path: &str) -> io::Result<UnixListener> {
    UnixListener::bind(path) //~ net
}

pub fn datagram(path: &str) -> io::Result<UnixDatagram> {
    UnixDatagram::bind(path) //~ net
}

pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
    UnixStream::pair()
}

pub fn datagram_pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
    std::os::unix::net::UnixDatagram::pair()
}

pub fn async_pair() -> io::Result<(AsyncUnix, AsyncUnix)> {
    AsyncUnix::pair()
}

pub async fn async_named(path: &str) -> io::Result<AsyncUnix> {
    AsyncUnix::connect(path).await //~ net
}

pub fn mio_pair() -> io::Result<(mio::net::UnixStream, mio::net::UnixStream)> {
    mio::net::UnixStream::pair()
}

pub fn pairs_as_values() -> Vec<io::Result<(UnixStream, UnixStream)>> {
    (0..2).map(|_| UnixStream::pair()).collect()
}

pub mod globbed {
    use std::os::unix::net::*;

    pub fn pair() -> std::io::Result<(UnixStream, UnixStream)> {
        UnixStream::pair()
    }

    pub fn named(path: &str) -> std::io::Result<UnixStream> {
        UnixStream::connect(path) //~ net
    }
}
