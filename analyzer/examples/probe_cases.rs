// temporary probe: which constructs overflow a 2 MiB stack at depth N
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[2].parse().unwrap();
    let case = args[1].as_str();
    let src = match case {
        "closure0" => format!("fn f() {{ let c = {}x; }}", "|| ".repeat(n)),
        "closure1" => format!("fn f() {{ let c = {}x; }}", "|a| ".repeat(n)),
        "closurety" => format!("fn f() {{ let c = {}x; }}", "|a: u8| -> u8 ".repeat(n)),
        "move" => format!("fn f() {{ let c = {}x; }}", "move || ".repeat(n)),
        "return" => format!("fn f() {{ {}x; }}", "return ".repeat(n)),
        "break" => format!("fn f() {{ loop {{ {}x; }} }}", "break ".repeat(n)),
        "refmut" => format!("fn f() {{ let c = {}x; }}", "&mut ".repeat(n)),
        "ptr" => format!("type T = {}u8;", "*const ".repeat(n)),
        "lt" => format!("type T = {}u8;", "&'a ".repeat(n)),
        "fnptr" => format!("type T = {}u8;", "fn() -> ".repeat(n)),
        "unsafefnptr" => format!("type T = {}u8;", "unsafe extern \"C\" fn() -> ".repeat(n)),
        "hrtb" => format!("type T = {}u8;", "for<'a> fn(&'a u8) -> ".repeat(n)),
        "implfn" => format!("fn f() -> {}u8 {{}}", "impl Fn() -> ".repeat(n)),
        "dynfn" => format!("type T = {}u8;", "&dyn Fn() -> ".repeat(n)),
        "implassoc" => format!(
            "fn f() -> {}u8{} {{}}",
            "impl A<B = ".repeat(n),
            ">".repeat(n)
        ),
        "at" => format!("fn f() {{ match x {{ {}_ => {{}} }} }}", "a @ ".repeat(n)),
        "range" => format!("fn f() {{ let c = {}x; }}", ".. ".repeat(n)),
        "rangeeq" => format!("fn f() {{ let c = {}x; }}", "..= ".repeat(n)),
        "let" => format!("fn f() {{ if {}true {{}} }}", "let a = ".repeat(n)),
        "assign" => format!("fn f() {{ {}x; }}", "a = ".repeat(n)),
        "compound" => format!("fn f() {{ {}x; }}", "a >>= ".repeat(n)),
        "async" => format!("fn f() {{ let c = {}x; }}", "async move || ".repeat(n)),
        "asyncblk" => format!(
            "fn f() {{ let c = {}x{}; }}",
            "async move {".repeat(n),
            "}".repeat(n)
        ),
        "yield" => format!("fn f() {{ {}x; }}", "yield ".repeat(n)),
        "raw" => format!("fn f() {{ let c = {}x; }}", "&raw const ".repeat(n)),
        "refpat2" => format!("fn f() {{ let {}x = 1; }}", "&mut ".repeat(n)),
        "refref" => format!("fn f() {{ let c = {}x; }}", "&&".repeat(n)),
        "attrneg" => format!("fn f() {{ let c = {}x; }}", "-#[a]".repeat(n)),
        "returnblk" => format!("fn f() {{ {}x; }}", "return {x} + ".repeat(n)),
        "ifletchain" => format!("fn f() {{ if {}true {{}} }}", "let a = b && ".repeat(n)),
        "closurecall" => format!("fn f() {{ {}x; }}", "(|| ".repeat(n)),
        "labelblk" => format!("fn f() {{ {}x{} }}", "'a: {".repeat(n), "}".repeat(n)),
        "unsafecall" => format!("fn f() {{ {} }}", "unsafe { f() } + ".repeat(n) + "1"),
        "constblk" => format!("fn f() {{ let c = {}x; }}", "const { 1 } + ".repeat(n)),
        "whereclause" => format!("fn f() where {}{{}}", "T: Fn() -> ".repeat(n) + "u8 "),
        "typeof" => format!("type T = {}u8;", "<T as ".repeat(n) + "A>::B"),
        "dotdotpat" => format!("fn f() {{ match x {{ {}_ => {{}} }} }}", "..=".repeat(n)),
        "boxpat" => format!("fn f() {{ match x {{ {}_ => {{}} }} }}", "box ".repeat(n)),
        "mutref" => format!("fn f() {{ match x {{ {}_ => {{}} }} }}", "mut ".repeat(n)),
        "notmac" => format!("fn f() {{ let c = {}x; }}", "!m!() + ".repeat(n)),
        "str" => format!("fn f() {{ let c = {}x; }}", "\"a\" + ".repeat(n)),
        _ => panic!("case"),
    };
    let t = std::time::Instant::now();
    let facts = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || risk_analyzer::source::scan_source("x.rs", &src))
        .unwrap()
        .join()
        .unwrap();
    let p = match facts.parse {
        risk_report::facts::Parse::Parsed => "parsed".to_string(),
        risk_report::facts::Parse::Fallback { error, .. } => format!("fallback {error}"),
        _ => "na".into(),
    };
    println!("{case} {n}: {p} {:?}", t.elapsed());
}
