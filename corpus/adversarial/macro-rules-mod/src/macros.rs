macro_rules! declare_backend {
    () => {
        mod backend;
    };
}
