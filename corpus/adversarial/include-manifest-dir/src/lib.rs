include!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/client.in"));
