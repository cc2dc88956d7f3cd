// Use after free: keep a reference into a vector, free the vector, use the reference.
fn main() {
    let playlist = vec![String::from("Clair de Lune")];
    let first = &playlist[0]; // `first` borrows from `playlist`
    drop(playlist); // frees the vector and the strings it owns
    println!("Now playing: {first}");
}
