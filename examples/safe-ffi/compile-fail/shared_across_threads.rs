// `Playlist` is `Send` but deliberately not `Sync`: two threads may not read one
// playlist at the same time, because the C library does not promise that is safe.
use safe_ffi::Playlist;

fn main() {
    let playlist = Playlist::new(1).unwrap();
    std::thread::scope(|scope| {
        scope.spawn(|| playlist.len());
        scope.spawn(|| playlist.len());
    });
}
