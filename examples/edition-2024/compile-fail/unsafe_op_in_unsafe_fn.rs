// Rust 2024 warns (this book's workspace denies) when an `unsafe fn` performs an
// unsafe operation outside an `unsafe` block.
#![deny(unsafe_op_in_unsafe_fn)]

/// # Safety
/// `index` must be less than `tracks.len()`.
unsafe fn track_at(tracks: &[&'static str], index: usize) -> &'static str {
    *tracks.get_unchecked(index)
}

fn main() {
    let tracks = ["Clair de Lune"];
    // SAFETY: index 0 is in bounds of a one-element array.
    println!("{}", unsafe { track_at(&tracks, 0) });
}
