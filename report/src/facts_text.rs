//! A plain-text listing of one crate's facts, one finding a line: the reviewable form the
//! corpus checks in as `expected.txt`, and what `show` prints.
