// Rust 2024: `std::env::set_var` is an unsafe function, because changing the
// environment while another thread reads it is undefined behaviour on some
// platforms. (Rust 2021 accepts the call without `unsafe`.)
fn main() {
    std::env::set_var("BOOK_EDITION", "2024");
    println!("{:?}", std::env::var("BOOK_EDITION"));
}
