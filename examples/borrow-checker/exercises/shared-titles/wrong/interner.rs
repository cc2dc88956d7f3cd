// Wrong attempt: keeps the stored titles in a thread-local interner that lives on after the
// call, so that later calls reuse them too.
// Why it is wrong: task.md says a title's `Rc::strong_count` "is exactly the number of times
// it appears, so no owner is left behind once `share_titles` returns"; the interner stays an
// owner of every title, one more than the appearances.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    /// Every title seen so far, stored once.
    static TITLES: RefCell<HashMap<String, Rc<str>>> = RefCell::new(HashMap::new());
}

/// The same playlists, with each distinct title stored once and shared.
pub fn share_titles(playlists: &[Vec<&str>]) -> Vec<Vec<Rc<str>>> {
    TITLES.with_borrow_mut(|titles| {
        playlists
            .iter()
            .map(|playlist| {
                playlist
                    .iter()
                    .map(|&title| {
                        Rc::clone(
                            titles
                                .entry(title.to_owned())
                                .or_insert_with(|| Rc::from(title)),
                        )
                    })
                    .collect()
            })
            .collect()
    })
}
