//! Library code in edition 2015 syntax. rustc accepts it; current syn does not.

use std::fs::File;
use std::io::Read;

/// A bare trait object, without `dyn`.
pub type Callback = Box<Fn(u8) -> u8 + Send>;

pub trait Visitor {
    /// An anonymous parameter, an error since edition 2018.
    fn visit(&mut self, u8);
}

/// `async` is an ordinary identifier in 2015.
pub mod async {
    pub fn run<F: FnOnce()>(f: F) {
        f()
    }
}

pub fn read_all(path: &str) -> Result<Vec<u8>, ::std::io::Error> {
    let mut f = try!(File::open(path)); //~ fs
    let mut buf = Vec::new();
    try!(f.read_to_end(&mut buf));
    Ok(buf)
}

pub fn first(v: &[u8]) -> u8 {
    assert!(!v.is_empty());
    unsafe { *v.get_unchecked(0) } //~ unsafe-block
}

pub fn apply(cb: &Callback, x: u8) -> u8 {
    cb(x)
}
