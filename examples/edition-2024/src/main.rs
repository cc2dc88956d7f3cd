//! `cargo run --example edition-2024`: prints what the same code does as Rust 2024.
//! Compare with `cargo run --example edition-2021`.
//!
//! Shown in the chapter "Getting started with Rust 2024" (`src/getting-started/index.md`).

use clap::Parser;
use edition_2024::{behaviour, capture, newer, unsafe_code};

/// The example takes no arguments; `--help` says what it does.
#[derive(Parser)]
#[command(about)]
struct Cli {}

fn main() {
    let Cli {} = Cli::parse();
    behaviour::print_report("2024");

    let (long, count) = capture::demo();
    println!("  long titles {long:?}; the counter kept {count} while the list grew");

    let (root, length) = unsafe_code::demo();
    println!(
        "  C sqrt(2) = {root:.4}, C strlen = {length}, plays counted: {}",
        unsafe_code::count_play()
    );

    let titles = ["Clair de Lune", "Rêverie"];
    let total = newer::run_ready(newer::for_each_title(&titles, async |title| {
        title.chars().count()
    }));
    println!("  async closure counted {total} characters");
    println!("  let chains: {:?}", newer::first_long_title(&titles, 5));
    println!(
        "  if let guard: {}",
        newer::describe(("Rêverie", Some("288")))
    );
    println!("  copyable range: {:?}", newer::longest_word(titles[0]));
}
