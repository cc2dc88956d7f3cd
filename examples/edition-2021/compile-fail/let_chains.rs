// Let chains compile only in Rust 2024, whose `if let` scoping they rely on.
fn main() {
    let titles = ["Clair de Lune"];
    if let Some(first) = titles.first()
        && first.len() > 5
    {
        println!("{first}");
    }
}
