//! The capability taxonomy: one table of path prefixes and the capability each one means.
