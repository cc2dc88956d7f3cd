// Dangling reference: return a reference to a value that dies when the function returns.
fn newest_track<'a>() -> &'a str {
    let track = String::from("Arabesque No. 1");
    &track // `track` is freed at the end of this function
}

fn main() {
    println!("Newest: {}", newest_track());
}
