fn main() { adv_examples_module_from_lib::init(); }
