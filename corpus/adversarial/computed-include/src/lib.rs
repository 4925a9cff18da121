include!(concat!(env!("ADV_PAYLOAD_DIR"), "/client.rs"));
