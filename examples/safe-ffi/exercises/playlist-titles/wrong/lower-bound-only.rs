// Wrong attempt: `size_hint` gives the number left as the lower bound only, with no upper
// bound.
// Why it is wrong: task.md says "`len()` is the number of titles left"; `ExactSizeIterator::len`
// asserts that both bounds agree, so `len()` panics.

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
        // At least this many titles are left.
        (self.back - self.front, None)
    }
}

impl DoubleEndedIterator for Titles<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.playlist.title(self.back)
    }
}

impl ExactSizeIterator for Titles<'_> {}
