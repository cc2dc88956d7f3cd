// Wrong attempt: remembers the titles already stored, but in a map made afresh for each
// playlist.
// Why it is wrong: task.md says "all appearances of one title point to the same allocation";
// a title in two playlists is still stored twice, once per playlist.

use std::collections::HashMap;
use std::rc::Rc;

/// The same playlists, with each distinct title stored once and shared.
pub fn share_titles(playlists: &[Vec<&str>]) -> Vec<Vec<Rc<str>>> {
    let mut library = Vec::new();
    for playlist in playlists {
        let mut stored: HashMap<&str, Rc<str>> = HashMap::new();
        let mut shared = Vec::new();
        for &title in playlist {
            let title = stored.entry(title).or_insert_with(|| Rc::from(title));
            shared.push(Rc::clone(title));
        }
        library.push(shared);
    }
    library
}
