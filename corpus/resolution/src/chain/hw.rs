pub use self::ssl::*;
mod ssl;
