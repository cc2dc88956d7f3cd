//! How Rust for Linux turns a C API into a safe one, on a C library you can run
//! anywhere: `c/playlist.c`. `bindings` are the raw declarations; `Playlist` is the
//! safe wrapper, whose rules the compiler enforces for every caller.
//!
//! Run it with `cargo run --example safe-ffi`.

#[allow(non_camel_case_types)] // the C names, as bindgen would keep them
pub mod bindings;

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::ops::ControlFlow;
use std::ptr::NonNull;

// ANCHOR: error
/// The C library's error codes, as a Rust type: a caller matches on a variant
/// instead of comparing integers, and cannot forget to check.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaylistError {
    #[error("a title must be 1 to {max} bytes without NUL bytes", max = bindings::PLAYLIST_MAX_TITLE)]
    InvalidTitle,
    #[error("the capacity must be at least 1")]
    ZeroCapacity,
    #[error("the playlist is full")]
    Full,
    #[error("out of memory")]
    OutOfMemory,
    #[error("unexpected error code {0} from the C library")]
    Unknown(i32),
}

const EINVAL: c_int = 22;
const ENOMEM: c_int = 12;
const ENOSPC: c_int = 28;

/// Maps a C return code (0 or a negative errno) to a `Result`.
fn check(code: c_int, invalid: PlaylistError) -> Result<(), PlaylistError> {
    match -code {
        0 => Ok(()),
        EINVAL => Err(invalid),
        ENOMEM => Err(PlaylistError::OutOfMemory),
        ENOSPC => Err(PlaylistError::Full),
        _ => Err(PlaylistError::Unknown(code)),
    }
}
// ANCHOR_END: error

// ANCHOR: wrapper
/// A playlist owned by Rust. Invariant: `list` points to a live C playlist, which
/// this value alone frees.
pub struct Playlist {
    list: NonNull<bindings::playlist>,
}

// SAFETY: the C library keeps no thread-local or global state, so a playlist may
// move to another thread. `Sync` is deliberately not implemented: nothing in the C
// documentation promises that two threads may read one playlist at once.
unsafe impl Send for Playlist {}

impl Playlist {
    pub fn new(capacity: usize) -> Result<Self, PlaylistError> {
        let mut list = std::ptr::null_mut();
        // SAFETY: `list` is a valid place for the C function to write a pointer to.
        let code = unsafe { bindings::playlist_new(capacity, &mut list) };
        check(code, PlaylistError::ZeroCapacity)?;
        // On success the C function stored a non-null pointer.
        let list = NonNull::new(list).ok_or(PlaylistError::OutOfMemory)?;
        Ok(Self { list })
    }

    /// `&mut self`: no title borrowed from this playlist can be alive while it changes.
    pub fn add(&mut self, title: &str, seconds: u32) -> Result<(), PlaylistError> {
        // Checked here, so the C function only ever sees a valid C string.
        let title = CString::new(title).map_err(|_| PlaylistError::InvalidTitle)?;
        // SAFETY: `self.list` is live (type invariant); `title` is NUL-terminated and
        // outlives the call, and the C side copies it.
        let code = unsafe { bindings::playlist_add(self.list.as_ptr(), title.as_ptr(), seconds) };
        check(code, PlaylistError::InvalidTitle)
    }

    pub fn len(&self) -> usize {
        // SAFETY: `self.list` is live (type invariant).
        unsafe { bindings::playlist_len(self.list.as_ptr()) }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The returned `&CStr` borrows `self`: the compiler rejects any use of it after
    /// the playlist is dropped, which is exactly the C documentation's rule.
    pub fn title(&self, index: usize) -> Option<&CStr> {
        // SAFETY: `self.list` is live (type invariant).
        let title = unsafe { bindings::playlist_title(self.list.as_ptr(), index) };
        // SAFETY: a non-null result is a NUL-terminated string owned by the list,
        // valid until the list is freed; the lifetime of `&self` ensures that.
        (!title.is_null()).then(|| unsafe { CStr::from_ptr(title) })
    }
}

impl Drop for Playlist {
    fn drop(&mut self) {
        // SAFETY: `self.list` is live, and after `drop` nothing can use it again.
        unsafe { bindings::playlist_free(self.list.as_ptr()) }
    }
}
// ANCHOR_END: wrapper

// ANCHOR: callback
impl Playlist {
    /// Calls `visit` for each track until it returns `ControlFlow::Break`.
    pub fn for_each<F>(&self, mut visit: F)
    where
        F: FnMut(&CStr, u32) -> ControlFlow<()>,
    {
        /// The C side calls this; `context` carries the closure.
        unsafe extern "C" fn trampoline<F>(
            title: *const c_char,
            seconds: u32,
            context: *mut c_void,
        ) -> c_int
        where
            F: FnMut(&CStr, u32) -> ControlFlow<()>,
        {
            // SAFETY: `context` is the `&mut F` passed below, alive for the whole
            // `playlist_for_each` call, and used by one call at a time.
            let visit = unsafe { &mut *context.cast::<F>() };
            // SAFETY: the C library passes a title owned by the list, NUL-terminated.
            let title = unsafe { CStr::from_ptr(title) };
            match visit(title, seconds) {
                ControlFlow::Continue(()) => 0,
                ControlFlow::Break(()) => 1,
            }
        }
        let context = (&mut visit as *mut F).cast::<c_void>();
        // SAFETY: `self.list` is live; `trampoline::<F>` matches the callback type
        // and `context` points to an `F`. A panic in `visit` cannot unwind into C:
        // Rust aborts the process at an `extern "C"` boundary instead.
        unsafe { bindings::playlist_for_each(self.list.as_ptr(), Some(trampoline::<F>), context) };
    }
}
// ANCHOR_END: callback

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_added_are_read_back_in_order() {
        let mut playlist = Playlist::new(2).unwrap();
        playlist.add("Clair de Lune", 300).unwrap();
        playlist.add("Rêverie", 288).unwrap();
        assert_eq!(playlist.len(), 2);
        assert_eq!(playlist.title(1), Some(c"Rêverie"));
        assert_eq!(playlist.title(2), None);
    }

    #[test]
    fn c_error_codes_become_typed_errors() {
        assert_eq!(Playlist::new(0).err(), Some(PlaylistError::ZeroCapacity));
        let mut playlist = Playlist::new(1).unwrap();
        assert_eq!(playlist.add("", 1), Err(PlaylistError::InvalidTitle));
        assert_eq!(
            playlist.add("nul\0inside", 1),
            Err(PlaylistError::InvalidTitle)
        );
        assert_eq!(
            playlist.add(&"x".repeat(65), 1),
            Err(PlaylistError::InvalidTitle)
        );
        playlist.add(&"x".repeat(64), 1).unwrap();
        assert_eq!(playlist.add("one too many", 1), Err(PlaylistError::Full));
        assert!(!playlist.is_empty());
    }

    #[test]
    fn for_each_stops_when_the_closure_breaks() {
        let mut playlist = Playlist::new(3).unwrap();
        for (title, seconds) in [("a", 1), ("b", 2), ("c", 3)] {
            playlist.add(title, seconds).unwrap();
        }
        let mut seen = Vec::new();
        playlist.for_each(|title, seconds| {
            seen.push((title.to_owned(), seconds));
            if seconds == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(seen, [(c"a".to_owned(), 1), (c"b".to_owned(), 2)]);
    }

    #[test]
    fn a_playlist_can_move_to_another_thread() {
        let mut playlist = Playlist::new(1).unwrap();
        playlist.add("Clair de Lune", 300).unwrap();
        let length = std::thread::spawn(move || playlist.len()).join().unwrap();
        assert_eq!(length, 1);
    }
}
