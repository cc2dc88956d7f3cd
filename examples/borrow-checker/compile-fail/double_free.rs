// Double free: two variables that both think they own the same heap string.
fn main() {
    let track = String::from("Gymnopédie No. 1");
    let queued = track; // ownership moves to `queued`; `track` is no longer usable
    drop(queued); // frees the string
    drop(track); // would free it a second time
}
