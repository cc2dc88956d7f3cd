// Rust 2024 reserves `gen` as a keyword (for future generator blocks).
// (Rust 2021 accepts `gen` as a name.)
fn main() {
    let gen = 2024;
    println!("edition {gen}");
}
