#!/usr/bin/env run-cargo-script std::process::Command::new("x")
pub fn f() {}
