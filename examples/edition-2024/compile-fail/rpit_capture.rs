// Rust 2024: `impl Trait` in return position captures the lifetime of `tracks`, so
// the returned closure keeps `tracks` borrowed. (Rust 2021 accepts this program.)
fn track_counter(tracks: &Vec<String>) -> impl Fn() -> usize {
    let count = tracks.len();
    move || count
}

fn main() {
    let mut tracks = vec!["Clair de Lune".to_owned()];
    let counter = track_counter(&tracks);
    tracks.push("Rêverie".to_owned());
    println!("{}", counter());
}
