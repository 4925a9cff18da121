mod configure;

fn main() {
    configure::probe();
}
