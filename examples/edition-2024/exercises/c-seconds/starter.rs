// Exercise "c-seconds": see task.md beside this file, or the chapter's page.

use std::ffi::{CStr, c_char, c_int, c_long};

unsafe extern "C" {
    /// C's `strtol`: parses a number in `base` at the start of `text`, and stores in
    /// `*end`, unless `end` is null, a pointer to the first character it did not use.
    /// Sound only for a NUL-terminated `text`, and an `end` that is null or writable.
    unsafe fn strtol(text: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long;
}

/// A length in seconds, written in decimal digits and nothing else.
pub fn parse_seconds(text: &CStr) -> Option<u32> {
    // SAFETY: a `&CStr` points to a NUL-terminated string that outlives this call.
    unsafe { parse_seconds_raw(text.as_ptr()) }
}

/// Like `parse_seconds`, for a raw C string.
///
/// # Safety
/// `text` must point to a NUL-terminated string that stays valid during the call.
pub unsafe fn parse_seconds_raw(text: *const c_char) -> Option<u32> {
    // TODO: accept only a text of decimal digits. `strtol` is more lenient than that
    // (see task.md).
    // SAFETY: the caller promises a NUL-terminated `text`; a null `end` is allowed.
    let seconds = unsafe { strtol(text, std::ptr::null_mut(), 10) };
    u32::try_from(seconds).ok()
}
