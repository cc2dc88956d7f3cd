//! Return-position `impl Trait` and which lifetimes the hidden type may use.

// ANCHOR: rpit
/// In Rust 2024, `impl Trait` in return position captures every generic parameter
/// in scope, lifetimes included: this iterator may borrow from `tracks`, and it does.
pub fn long_titles(tracks: &[String], min_len: usize) -> impl Iterator<Item = &str> {
    tracks
        .iter()
        .map(String::as_str)
        .filter(move |title| title.len() >= min_len)
}

/// `use<>` (stable since Rust 1.82) lists what the hidden type captures: nothing.
/// The closure owns a copy of the count, so callers may change `tracks` while they
/// keep it.
pub fn track_counter(tracks: &[String]) -> impl Fn() -> usize + use<> {
    let count = tracks.len();
    move || count
}
// ANCHOR_END: rpit

/// Shows that the counter does not borrow: `tracks` changes while it lives.
pub fn demo() -> (Vec<String>, usize) {
    let mut tracks = vec!["Clair de Lune".to_owned(), "Rêverie".to_owned()];
    let long: Vec<String> = long_titles(&tracks, 8).map(str::to_owned).collect();
    let counter = track_counter(&tracks);
    tracks.push("Arabesque No. 1".to_owned()); // allowed: `counter` borrows nothing
    (long, counter())
}
