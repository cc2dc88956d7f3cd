// Reference solution of the exercise "c-seconds" (see task.md beside this file).

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
    // `strtol` skips spaces and takes a sign; a length is digits only. This also
    // rules out the empty text, whose first byte is the NUL.
    // SAFETY: the caller promises a NUL-terminated string, so it has a first byte.
    let first = unsafe { *text };
    if !u8::try_from(first).is_ok_and(|byte| byte.is_ascii_digit()) {
        return None;
    }

    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: `text` is NUL-terminated (the caller's promise), and `end` is a local
    // variable that `strtol` may write through.
    let seconds = unsafe { strtol(text, &mut end, 10) };

    // SAFETY: `strtol` set `end` to a position inside `text`, at most at its NUL
    // byte, so it points to a readable byte of the same string.
    let stopped_at_end = unsafe { *end } == 0;
    if !stopped_at_end {
        return None; // something follows the number, such as "s" in "288s"
    }
    // On overflow `strtol` returns `c_long::MAX`, which does not fit either.
    u32::try_from(seconds).ok()
}
