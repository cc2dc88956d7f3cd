// Rust 2024 changes the type that an unconstrained `?` result falls back to from
// `()` to `!` (never), and `!` does not implement `Default`. Since Rust 1.92 the
// matching lint is deny-by-default in every edition, so Rust 2021 rejects it too.
fn create<T: Default>() -> Result<T, String> {
    Ok(T::default())
}

fn run() -> Result<(), String> {
    create()?;
    Ok(())
}

fn main() {
    println!("{:?}", run());
}
