//! `cargo run --example edition-2021`: the same code as `cargo run --example
//! edition-2024`, compiled as Rust 2021.

use edition_2021::behaviour;

fn main() {
    behaviour::print_report("2021");
}
