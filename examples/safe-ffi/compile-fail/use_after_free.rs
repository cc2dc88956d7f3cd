// Once dropped (`playlist_free` ran), a playlist cannot be used again.
use safe_ffi::Playlist;

fn main() {
    let playlist = Playlist::new(1).unwrap();
    drop(playlist);
    println!("{}", playlist.len());
}
