//! For the microcontroller build only: tell the linker where flash and RAM are.

use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=memory.x");
    let target = env::var("TARGET").unwrap_or_default();
    if !target.starts_with("thumbv7em") {
        return; // a host build links like any other program
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is readable");
    println!("cargo::rustc-link-search={}", out.display());
    // cortex-m-rt's linker script, which includes memory.x.
    println!("cargo::rustc-link-arg-bins=-Tlink.x");
}
