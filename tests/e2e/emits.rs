//! Code a proc macro emits: a derive whose `quote!` template holds an unsafe block and starts
//! a process counts under the proc-macro package's `emits` (not as its own code), and each
//! package that uses one of its macros shows it under `via`: directly, and through a facade
//! that re-exports the derive (as `serde` does `serde_derive`). Look-alikes: a package that
//! depends on the proc macro but uses none of its macros, and a derive whose template is
//! safe. What is emitted into a package counts as its capability: a policy that grants it
//! nothing fails, naming the proc macro, and so does the delta's gate.

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, manifest, pack, tool, write,
};
use risk_report::model::Report;

const PROC_MACRO_TOML: &str = "[lib]\nproc-macro = true\n";

const SPAWN_DERIVE: &str = "\
extern crate proc_macro;
use proc_macro::TokenStream;

#[proc_macro_derive(Spawn)]
pub fn derive_spawn(_input: TokenStream) -> TokenStream {
    let name = quote::format_ident!(\"X\");
    quote::quote! {
        impl #name {
            pub fn spawn() -> ::std::io::Result<::std::process::Child> {
                let _p = unsafe { ::core::ptr::null::<u8>().add(0) };
                ::std::process::Command::new(\"sh\").spawn()
            }
        }
    }
    .into()
}

#[proc_macro_attribute]
pub fn traced(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
";

const SAFE_DERIVE: &str = "\
use proc_macro::TokenStream;
use quote::quote;

#[proc_macro_derive(Describe)]
pub fn describe(_input: TokenStream) -> TokenStream {
    quote!(impl X { pub fn describe() -> &'static str { \"x\" } }).into()
}
";

/// Publishes `name` with `files`, a manifest with `deps` and `extra` lines.
fn publish(
    reg: &LocalRegistry,
    name: &'static str,
    deps: &[&'static str],
    extra: &str,
    lib: &str,
) -> TestResult {
    let deps: Vec<_> = deps.iter().map(|d| dep(d)).collect();
    let files = [
        ("Cargo.toml", manifest(Some((name, "1.0.0")), &deps, extra)),
        ("src/lib.rs", lib.to_owned()),
    ];
    let bytes = pack(name, "1.0.0", &files)?;
    reg.publish_packed(name, "1.0.0", &bytes, &deps)?;
    Ok(())
}

#[test]
fn users_of_a_derive_show_what_its_templates_emit() -> TestResult {
    let root = fresh_dir("emits")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    publish(&reg, "spawn-derive", &[], PROC_MACRO_TOML, SPAWN_DERIVE)?;
    publish(&reg, "safe-derive", &[], PROC_MACRO_TOML, SAFE_DERIVE)?;
    publish(
        &reg,
        "facade",
        &["spawn-derive"],
        "",
        "pub use spawn_derive::Spawn;\n",
    )?;
    let user = "#[derive(facade::Spawn)]\npub struct X;\n";
    publish(&reg, "user", &["facade"], "", user)?;
    let direct = "#[spawn_derive::traced]\npub fn f() {}\n";
    publish(&reg, "direct", &["spawn-derive"], "", direct)?;
    let lookalike = "#[derive(Debug)]\npub struct Spawner;\n";
    publish(&reg, "lookalike", &["spawn-derive"], "", lookalike)?;
    let safe_user = "#[derive(safe_derive::Describe)]\npub struct X;\n";
    publish(&reg, "safe-user", &["safe-derive"], "", safe_user)?;

    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    let app = root.join("app");
    write(&app.join("src/lib.rs"), "")?;
    let deps = [
        dep("user"),
        dep("direct"),
        dep("lookalike"),
        dep("safe-user"),
    ];
    write(
        &app.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), &deps, "\n[workspace]\n"),
    )?;
    cargo(&app, &home, &["generate-lockfile", "--offline"])?.ok()?;
    tool(&app, &home, &["--offline", "-q"])?.ok()?;
    let text = std::fs::read_to_string(app.join("risk-report.toml"))?;
    let report = Report::from_toml(&text)?;

    let codes = |m: &std::collections::BTreeMap<risk_report::facts::Kind, u64>| {
        m.iter()
            .map(|(k, n)| format!("{}={n}", k.code()))
            .collect::<Vec<_>>()
    };
    let derive = &report.packages["spawn-derive@1.0.0"];
    // the template is emitted code, not the proc macro's own
    assert!(derive.shipped.is_empty(), "{:?}", derive.shipped);
    assert_eq!(codes(&derive.emits), ["unsafe-block=1", "process=1"]);
    let caps: Vec<&str> = derive.capabilities.iter().map(|c| c.code()).collect();
    assert_eq!(caps, ["proc-macro"]);
    assert!(report.packages["safe-derive@1.0.0"].emits.is_empty());

    let via = |p: &str| {
        (report.packages[p].via.iter())
            .map(|(name, caps)| {
                let caps: Vec<&str> = caps.iter().map(|c| c.code()).collect();
                format!("{name}: {}", caps.join(", "))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(via("user@1.0.0"), ["spawn-derive: process, unsafe"]);
    assert_eq!(via("direct@1.0.0"), ["spawn-derive: process, unsafe"]);
    for p in [
        "lookalike@1.0.0",
        "safe-user@1.0.0",
        "facade@1.0.0",
        "spawn-derive@1.0.0",
    ] {
        assert!(via(p).is_empty(), "{p}: {:?}", via(p));
    }
    // the row as committed
    assert!(
        text.contains("[packages.\"user@1.0.0\".via]\nspawn-derive = [\"process\", \"unsafe\"]\n"),
        "{text}"
    );
    // what is emitted into a package is its own capability
    let caps: Vec<&str> = (report.packages["user@1.0.0"].capabilities.iter())
        .map(|c| c.code())
        .collect();
    assert_eq!(caps, ["process", "unsafe"]);
    gated_like_any_capability(&app, &home, &report)
}

/// A via capability fails a policy that grants it nothing, saying where it comes from, and
/// a report where it is new fails `diff --fail-on-increase`.
fn gated_like_any_capability(
    app: &std::path::Path,
    home: &std::path::Path,
    report: &Report,
) -> TestResult {
    write(
        &app.join("risk-policy.toml"),
        "[capabilities]\nno-vcs-info = \"allow\"\nproc-macro = \"allow\"\n",
    )?;
    let out = tool(app, home, &["check", "--offline", "-q"])?;
    assert_eq!(out.code, Some(1), "{out:#?}");
    for want in [
        "error: user 1.0.0\n",
        "  deny process: not granted\n",
        "      via spawn-derive: code its macros put into this package (invoked here)\n",
    ] {
        assert!(
            out.stdout.contains(want),
            "{want:?} missing from:\n{}",
            out.stdout
        );
    }
    // the same graph before the derive emitted anything
    let mut old = report.clone();
    for p in old.packages.values_mut() {
        p.via.clear();
        p.capabilities
            .retain(|c| !matches!(c.code(), "process" | "unsafe") || !p.shipped.is_empty());
    }
    write(&app.join("old.toml"), &old.to_toml()?)?;
    let out = tool(
        app,
        home,
        &["diff", "old.toml", "risk-report.toml", "--fail-on-increase"],
    )?;
    assert_eq!(out.code, Some(1), "{out:#?}");
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("+process (via spawn-derive)"), "{all}");
    Ok(())
}
