macro_rules! plugin {
    ($name:ident) => {
        pub mod $name;
    };
}
plugin!(loader);
