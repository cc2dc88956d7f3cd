// Rust 2021 drops the tail temporary (the `Ref` guard from `borrow()`) after the
// local `titles`, which it borrows from: E0597. Rust 2024 drops it first and accepts.
use std::cell::RefCell;

fn title_count() -> usize {
    let titles = RefCell::new(vec!["Clair de Lune"]);
    titles.borrow().len()
}

fn main() {
    println!("{}", title_count());
}
