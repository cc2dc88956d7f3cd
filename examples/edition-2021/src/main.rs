//! `cargo run --example edition-2021`: the same code as `cargo run --example
//! edition-2024`, compiled as Rust 2021.

use edition_2021::behaviour;

fn main() {
    println!("Rust 2021");
    println!(
        "  if let temporary scope: {:?}",
        behaviour::if_let_temporary_scope()
    );
    println!(
        "  tail expression scope:  {:?}",
        behaviour::tail_expression_temporary_scope()
    );
    println!(
        "  Box<[u32]>::into_iter() yields {}",
        behaviour::boxed_slice_into_iter_item()
    );
}
