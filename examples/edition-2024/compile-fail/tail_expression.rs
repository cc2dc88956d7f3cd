// Rust 2024 drops a block's tail temporaries at the end of the block, so a reference
// to one cannot escape it. (Rust 2021 accepts this program.)
fn main() {
    let length = { &String::from("Clair de Lune") }.len();
    println!("{length}");
}
