// Wrong attempt: checks the first digit and where `strtol` stopped, but converts the
// result with `as u32`.
// Why it is wrong: task.md says `None` for "a number too large" (more than `u32::MAX`); `as`
// keeps the low 32 bits, so "4294967296" is `Some(0)` and a number past `c_long::MAX` is
// `Some(u32::MAX)`.

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
    // SAFETY: the caller promises a NUL-terminated `text`: its first byte is readable.
    if !(unsafe { *text } as u8).is_ascii_digit() {
        return None;
    }
    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: the caller promises a NUL-terminated `text`; `end` is a writable local.
    let seconds = unsafe { strtol(text, &mut end, 10) };
    // SAFETY: `strtol` pointed `end` into `text`, at most at its NUL, and `text` is valid.
    if unsafe { *end } != 0 {
        return None;
    }
    Some(seconds as u32)
}
