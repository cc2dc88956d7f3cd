// Wrong attempt: `next_back` reads the title at `back` before moving it down.
// Why it is wrong: task.md says it yields "the titles in order, also from the back with
// `rev()`"; `back` is one past the last title, so the first `next_back` finds no title
// there and `rev()` yields nothing.

use std::ffi::CStr;

use safe_ffi::Playlist;

/// The titles of a playlist, in order. Every item borrows the playlist for `'a`.
pub struct Titles<'a> {
    playlist: &'a Playlist,
    /// The index of the next title from the front.
    front: usize,
    /// One past the index of the next title from the back.
    back: usize,
}

pub fn titles(playlist: &Playlist) -> Titles<'_> {
    Titles {
        playlist,
        front: 0,
        back: playlist.len(),
    }
}

impl<'a> Iterator for Titles<'a> {
    type Item = &'a CStr;

    fn next(&mut self) -> Option<&'a CStr> {
        if self.front == self.back {
            return None;
        }
        let title = self.playlist.title(self.front)?;
        self.front += 1;
        Some(title)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for Titles<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        let title = self.playlist.title(self.back)?;
        self.back -= 1;
        Some(title)
    }
}

impl ExactSizeIterator for Titles<'_> {}
