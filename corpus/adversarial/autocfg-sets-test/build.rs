fn main() {
    let ac = autocfg::new();
    ac.emit_expression_cfg("1 + 1", "test");
}
