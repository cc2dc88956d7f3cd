// Wrong attempt: reuses the allocation of the previous appearance only when the same title
// comes again right after it.
// Why it is wrong: task.md says "Store each distinct title once"; a title that comes back
// after another title, or in another playlist, gets a new allocation.

use std::rc::Rc;

/// The same playlists, with each distinct title stored once and shared.
pub fn share_titles(playlists: &[Vec<&str>]) -> Vec<Vec<Rc<str>>> {
    let mut library = Vec::new();
    let mut last: Option<Rc<str>> = None;
    for playlist in playlists {
        let mut shared = Vec::new();
        for &title in playlist {
            let rc = match &last {
                Some(previous) if &**previous == title => Rc::clone(previous),
                _ => Rc::from(title),
            };
            last = Some(Rc::clone(&rc));
            shared.push(rc);
        }
        library.push(shared);
    }
    library
}
