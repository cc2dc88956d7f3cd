// Reference solution of the exercise "shared-titles" (see task.md beside this file).

use std::collections::HashMap;
use std::rc::Rc;

/// The same playlists, with each distinct title stored once and shared.
pub fn share_titles(playlists: &[Vec<&str>]) -> Vec<Vec<Rc<str>>> {
    // The first `Rc` of each title, keyed by the borrowed title. The keys borrow from
    // `playlists`, which outlives this map, so the borrow checker accepts them.
    let mut stored: HashMap<&str, Rc<str>> = HashMap::new();
    let mut library = Vec::new();
    for playlist in playlists {
        let mut shared = Vec::new();
        for &title in playlist {
            // Allocates only the first time a title is seen; later appearances get
            // the stored one.
            let first = stored.entry(title).or_insert_with(|| Rc::from(title));
            // `Rc::clone` copies a pointer and adds one owner; the string stays put.
            shared.push(Rc::clone(first));
        }
        library.push(shared);
    }
    // `stored` is dropped here, and with it one owner of every title: what is left is
    // exactly one owner per appearance. When the last playlist holding a title is
    // dropped, the title is freed, once.
    library
}
