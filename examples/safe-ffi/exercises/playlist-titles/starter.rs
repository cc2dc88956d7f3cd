// Exercise "playlist-titles": see task.md beside this file, or the chapter's page.

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

    // TODO: say exactly how many titles are left (`size_hint`).
}

impl DoubleEndedIterator for Titles<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        // TODO: yield the titles from the back.
        None
    }
}

impl ExactSizeIterator for Titles<'_> {}
