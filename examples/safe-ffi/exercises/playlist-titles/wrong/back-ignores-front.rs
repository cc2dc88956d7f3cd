// Wrong attempt: `next_back` walks down from `back` on its own, without looking at `front`.
// Why it is wrong: task.md says the iterator works "from both ends at once without yielding
// a title twice"; once the two ends have met, `next_back` keeps going into titles that
// `next` already yielded.

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
        if self.front >= self.back {
            return None;
        }
        let title = self.playlist.title(self.front)?;
        self.front += 1;
        Some(title)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back.saturating_sub(self.front);
        (left, Some(left))
    }
}

impl DoubleEndedIterator for Titles<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        // `checked_sub` stops at the first title instead of underflowing.
        self.back = self.back.checked_sub(1)?;
        self.playlist.title(self.back)
    }
}

impl ExactSizeIterator for Titles<'_> {}
