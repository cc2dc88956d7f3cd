// Rust 2024: `no_mangle` must be written `#[unsafe(no_mangle)]`. (Rust 2021 accepts this.)
#[no_mangle]
pub extern "C" fn book_track_count() -> u32 {
    3
}

fn main() {
    println!("{}", book_track_count());
}
