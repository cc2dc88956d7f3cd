//! Raw bindings to `c/playlist.h`: what `bindgen` would generate, written out by hand
//! for a short header. (The kernel generates its bindings with bindgen.) Everything
//! here is `unsafe` to call: these declarations only repeat what the header says,
//! and nothing checks that the pointers passed in are valid.

use std::ffi::{c_char, c_int, c_void};

// ANCHOR: bindings
/// The C type is opaque: Rust only ever handles pointers to it.
#[repr(C)]
pub struct playlist {
    _private: [u8; 0],
}

pub const PLAYLIST_MAX_TITLE: usize = 64;

pub type Visit =
    unsafe extern "C" fn(title: *const c_char, seconds: u32, context: *mut c_void) -> c_int;

unsafe extern "C" {
    pub fn playlist_new(capacity: usize, out: *mut *mut playlist) -> c_int;
    pub fn playlist_free(list: *mut playlist);
    pub fn playlist_add(list: *mut playlist, title: *const c_char, seconds: u32) -> c_int;
    pub fn playlist_len(list: *const playlist) -> usize;
    pub fn playlist_title(list: *const playlist, index: usize) -> *const c_char;
    pub fn playlist_for_each(
        list: *const playlist,
        visit: Option<Visit>,
        context: *mut c_void,
    ) -> c_int;
}
// ANCHOR_END: bindings
