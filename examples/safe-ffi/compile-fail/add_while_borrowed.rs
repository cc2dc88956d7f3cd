// Adding a track needs `&mut Playlist`, so no borrowed title may be alive at that
// moment. (The C documentation only says so in a comment.)
use safe_ffi::Playlist;

fn main() {
    let mut playlist = Playlist::new(2).unwrap();
    playlist.add("Clair de Lune", 300).unwrap();
    let first = playlist.title(0);
    playlist.add("Rêverie", 288).unwrap();
    println!("{first:?}");
}
