// Wrong attempt: `Drop` releases a reference only while other references remain, so that
// the track is never freed under another owner.
// Why it is wrong: task.md says "dropping the last owner frees the track"; here the last
// owner never releases its reference (C frees a track only on the last `put`), so every
// track still leaks.

use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_void};
use std::ptr::NonNull;

use safe_ffi::PlaylistError;

/// The declarations bindgen would generate from `c/playlist.h`.
#[allow(dead_code)] // not every declaration is used
mod ffi {
    use super::*;

    /// Opaque, like `struct playlist`: Rust only handles pointers to it.
    #[allow(non_camel_case_types)] // the C name, as bindgen would keep it
    #[repr(C)]
    pub struct playlist_track {
        _private: [u8; 0],
    }

    unsafe extern "C" {
        pub fn playlist_track_new(
            title: *const c_char,
            seconds: u32,
            out: *mut *mut playlist_track,
        ) -> c_int;
        pub fn playlist_track_get(track: *mut playlist_track);
        pub fn playlist_track_put(track: *mut playlist_track);
        pub fn playlist_track_refs(track: *const playlist_track) -> c_uint;
        pub fn playlist_track_title(track: *const playlist_track) -> *const c_char;
        pub fn playlist_track_seconds(track: *const playlist_track) -> u32;
    }
}

const EINVAL: c_int = 22;
const ENOMEM: c_int = 12;

/// One reference to a C track. Invariant: `track` points to a live track, and this
/// value owns one of its references.
pub struct SharedTrack {
    track: NonNull<ffi::playlist_track>,
}

impl SharedTrack {
    pub fn new(title: &str, seconds: u32) -> Result<Self, PlaylistError> {
        let title = CString::new(title).map_err(|_| PlaylistError::InvalidTitle)?;
        let mut track = std::ptr::null_mut();
        // SAFETY: `title` is NUL-terminated and outlives the call (C copies it);
        // `track` is a valid place for C to write a pointer.
        let code = unsafe { ffi::playlist_track_new(title.as_ptr(), seconds, &mut track) };
        match -code {
            0 => {}
            EINVAL => return Err(PlaylistError::InvalidTitle),
            ENOMEM => return Err(PlaylistError::OutOfMemory),
            _ => return Err(PlaylistError::Unknown(code)),
        }
        // On success C stored a non-null pointer with one reference, now ours.
        let track = NonNull::new(track).ok_or(PlaylistError::OutOfMemory)?;
        Ok(Self { track })
    }

    /// Borrows `self`, so the title cannot outlive the reference that keeps it alive.
    pub fn title(&self) -> &CStr {
        // SAFETY: `self.track` is live (type invariant). The title belongs to the
        // track and stays valid while a reference is held, which `&self` ensures.
        unsafe { CStr::from_ptr(ffi::playlist_track_title(self.track.as_ptr())) }
    }

    pub fn seconds(&self) -> u32 {
        // SAFETY: `self.track` is live (type invariant).
        unsafe { ffi::playlist_track_seconds(self.track.as_ptr()) }
    }

    /// How many references the track has, all owners together.
    pub fn refs(&self) -> u32 {
        // SAFETY: `self.track` is live (type invariant).
        unsafe { ffi::playlist_track_refs(self.track.as_ptr()) }
    }

    /// The C pointer, for C functions this type does not wrap (the tests use it to
    /// learn when C frees the track). It is valid only while `self` lives.
    pub fn as_ptr(&self) -> *mut c_void {
        self.track.as_ptr().cast()
    }
}

impl Clone for SharedTrack {
    fn clone(&self) -> Self {
        // SAFETY: `self.track` is live (type invariant); the new reference is owned by
        // the returned value.
        unsafe { ffi::playlist_track_get(self.track.as_ptr()) };
        Self { track: self.track }
    }
}

impl Drop for SharedTrack {
    fn drop(&mut self) {
        // Only give the reference back while someone else still holds the track.
        if self.refs() > 1 {
            // SAFETY: `self.track` is live (type invariant), and another reference
            // keeps it alive after this one is released.
            unsafe { ffi::playlist_track_put(self.track.as_ptr()) }
        }
    }
}
