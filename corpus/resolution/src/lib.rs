//! Paths resolved as rustc resolves them: the qualified self, `self::` and `super::`,
//! `Self` in an impl block, type aliases; and what is only mentioned, never used.

pub mod qualified;
pub mod relative;
pub mod foreign;
pub mod in_macros;
pub mod mentions;
pub mod nfc;
pub mod methods;
