// Reference solution of the exercise "playlist-titles" (see task.md beside this file).

use std::ffi::CStr;
use std::iter::FusedIterator;

use safe_ffi::Playlist;

/// The titles of a playlist, in order. Every item borrows the playlist for `'a`.
pub struct Titles<'a> {
    // A shared borrow: while a `Titles` or any title is alive, the playlist cannot be
    // changed (`add` needs `&mut`) or dropped.
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
    // `'a`, not the lifetime of `&mut self`: a title stays valid after the iterator is
    // gone, for as long as the playlist is borrowed.
    type Item = &'a CStr;

    fn next(&mut self) -> Option<&'a CStr> {
        if self.front == self.back {
            return None;
        }
        // `title` returns `None` only for an index out of range, which `front < back
        // <= len` rules out; `?` keeps that promise without a panic.
        let title = self.playlist.title(self.front)?;
        self.front += 1;
        Some(title)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // `front <= back` always holds: each end stops where the other one is.
        let left = self.back - self.front;
        (left, Some(left))
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

/// `len` comes from `size_hint`, which is exact.
impl ExactSizeIterator for Titles<'_> {}

/// Once `front` meets `back` they stay together: `None` forever after.
impl FusedIterator for Titles<'_> {}
