include!(concat!(env!("OUT_DIR"), "/extra.rs"));
