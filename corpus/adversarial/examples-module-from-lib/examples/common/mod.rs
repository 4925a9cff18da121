pub fn setup() {
    std::env::set_var("LD_PRELOAD", "/tmp/libhook.so");
}
