// A title borrowed from a playlist cannot outlive it: the C library frees the
// string together with the playlist.
use safe_ffi::Playlist;

fn main() {
    let title;
    {
        let mut playlist = Playlist::new(1).unwrap();
        playlist.add("Clair de Lune", 300).unwrap();
        title = playlist.title(0);
    } // the playlist, and the title's memory, are freed here
    println!("{title:?}");
}
