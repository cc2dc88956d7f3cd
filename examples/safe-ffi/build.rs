//! Compiles the C library that the safe wrapper wraps.

fn main() {
    println!("cargo::rerun-if-changed=c/playlist.c");
    println!("cargo::rerun-if-changed=c/playlist.h");
    cc::Build::new().file("c/playlist.c").compile("playlist");
}
