// Wrong attempt: asks `strtol` where it stopped and accepts the number when that is the
// terminating NUL, without looking at the first character.
// Why it is wrong: task.md says `None` for "an empty text, a sign, a space"; `strtol` skips
// leading spaces and takes a `+`, so " 42" and "+42" parse, and for "" it returns 0 with
// `end` on the NUL, so the empty text is `Some(0)`.

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
    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: the caller promises a NUL-terminated `text`; `end` is a local variable,
    // valid for `strtol` to write a pointer to.
    let seconds = unsafe { strtol(text, &mut end, 10) };
    // SAFETY: `strtol` set `end` to a character of `text`, at most its terminating NUL,
    // and `text` is still valid (caller's promise).
    let stopped_at = unsafe { *end };
    if stopped_at != 0 {
        return None;
    }
    u32::try_from(seconds).ok()
}
