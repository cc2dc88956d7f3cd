// Rust 2024: an `extern` block must be `unsafe extern`. (Rust 2021 accepts this.)
extern "C" {
    fn sqrt(value: f64) -> f64;
}

fn main() {
    println!("{}", unsafe { sqrt(2.0) });
}
