//! `cargo xtask`: every piece of automation the book needs, in Rust.
//!
//! Run `cargo xtask help` for the list. Each task prints the commands it runs, so what
//! CI does can be repeated by hand one step at a time.

mod base;
mod bench;
mod book;
mod canary;
mod children;
mod ci;
mod editions;
mod exercise;
mod game_wasm;
mod index;
mod languages;
mod libtest;
mod proofs;
mod quiz;
mod scaffold;
mod scratch;
mod setup;
mod tasks;
mod tools;
mod wasm;

use anyhow::Result;

fn main() {
    if let Err(error) = children::end_with_xtask().and_then(|()| run()) {
        // `{:#}` prints the chain of contexts on one line, without a backtrace.
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    tasks::run(&args)
}
