//! `cargo run --example edition-2021`: the same code as `cargo run --example
//! edition-2024`, compiled as Rust 2021.
//!
//! Shown in the chapter "Getting started with Rust 2024" (`src/getting-started/index.md`).

use clap::Parser;
use edition_2021::behaviour;

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

fn main() {
    let Cli {} = Cli::parse();
    behaviour::print_report("2021");
}
