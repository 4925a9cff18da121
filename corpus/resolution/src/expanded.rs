//! Paths and keywords a macro of this crate assembles from its arguments: found in the
//! expansion, where neither the body nor the arguments show them.

macro_rules! call {
    ($m:ident, $t:ident, $f:ident) => {
        std::$m::$t::$f("sh") //~ process, process
    };
}

macro_rules! qualified {
    ($unsafe:ident fn $name:ident) => {
        pub $unsafe fn $name() {}
    };
}

macro_rules! each {
    ($($f:ident),* $(,)?) => {
        $( let _ = std::fs::$f("/tmp/x"); )* //~ fs, fs, fs
    };
}

macro_rules! outer {
    ($m:ident) => {
        call!($m, Command, new)
    };
}

macro_rules! harmless {
    ($m:ident, $t:ident) => {
        std::$m::$t::new()
    };
}

/// Defined, never invoked: nothing is built from it.
#[allow(unused_macros)]
macro_rules! unused {
    ($m:ident) => {
        std::$m::read("x")
    };
}

pub fn spawned() {
    let _ = call!(process, Command, new);
}

qualified!(unsafe fn hidden); //~ unsafe-fn

pub fn read_twice() {
    each!(read, remove_file);
}

pub fn nested() {
    let _ = outer!(process);
}

pub fn look_alike() -> String {
    let _: std::collections::HashMap<u8, u8> = harmless!(collections, HashMap);
    harmless!(string, String)
}

/// A `ty` fragment ends at a `,` of its level, so `typed!(fs, remove_file)` does not match the
/// first arm (it would leave `, remove_file` over) and the second one builds the call.
macro_rules! typed {
    ($t:ty) => {
        ()
    };
    ($m:ident, $f:ident) => {
        std::$m::$f("/tmp/x") //~ fs
    };
}

pub fn second_arm() {
    let _ = typed!(fs, remove_file);
}

/// A macro that splices elsewhere embeds a path built from its argument: each invocation names
/// its own file, besides the one written in the body.
macro_rules! blob {
    ($m:ident, $name:literal) => {{
        let _ = std::$m::metadata("/tmp/x"); //~ fs
        include_bytes!(concat!("data/", $name, ".bin")) //~ include-bytes, include-bytes
    }};
}

pub fn embedded() -> usize {
    blob!(fs, "table").len()
}

/// No name in the body is one a rule looks at: the arguments bring the crate root, and only the
/// splice builds the call (an expansion is skipped only when neither side holds such a name).
macro_rules! build {
    ($a:ident, $b:ident, $c:ident) => {
        $a::$b::$c::new("sh")
    };
}

pub fn from_arguments() {
    let _ = build!(std, process, Command); //~ process
}
