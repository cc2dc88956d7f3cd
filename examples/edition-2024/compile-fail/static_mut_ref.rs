// Rust 2024: a reference to a `static mut` is denied by default, here the one that
// `println!` takes. (Rust 2021 only warns.)
static mut PLAYS: u32 = 0;

fn main() {
    unsafe {
        PLAYS += 1;
        println!("{PLAYS} plays");
    }
}
