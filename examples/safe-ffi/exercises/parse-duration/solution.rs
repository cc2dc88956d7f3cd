// Reference solution of the exercise "parse-duration" (see task.md beside this file).

use std::ffi::{CString, c_char, c_int};

/// The declaration bindgen would generate from `c/playlist.h`.
mod ffi {
    use super::*;

    unsafe extern "C" {
        pub fn playlist_parse_duration(text: *const c_char, seconds: *mut u32) -> c_int;
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("a duration is minutes, a colon and two digits of seconds, like 3:05")]
    Malformed,
    #[error("the duration does not fit in {} seconds", u32::MAX)]
    TooLong,
    #[error("unexpected error code {0} from the C library")]
    Unknown(i32),
}

// The Linux values of the errno codes the header names.
const EINVAL: c_int = 22;
const ERANGE: c_int = 34;

/// Parses `"m:ss"` into seconds with the C library.
pub fn parse_duration(text: &str) -> Result<u32, DurationError> {
    // A C string ends at its first NUL byte, so "3:05\0junk" would reach C as "3:05".
    // Rejecting it here keeps the answer true to the whole Rust string.
    let text = CString::new(text).map_err(|_| DurationError::Malformed)?;
    let mut seconds = 0;
    // SAFETY: `text` is NUL-terminated and outlives the call; `seconds` is a valid
    // place for the C function to write a `u32`.
    let code = unsafe { ffi::playlist_parse_duration(text.as_ptr(), &mut seconds) };
    // The return code, not `seconds`, says whether the call worked: on error C leaves
    // `seconds` as it was.
    to_result(code)?;
    Ok(seconds)
}

/// What a return code of `playlist_parse_duration` means. Matching turns each
/// documented code into a variant the caller can match on, and keeps any other code
/// as it came, instead of guessing.
pub fn to_result(code: c_int) -> Result<(), DurationError> {
    // C returns 0 or a negative errno.
    match -code {
        0 => Ok(()),
        EINVAL => Err(DurationError::Malformed),
        ERANGE => Err(DurationError::TooLong),
        _ => Err(DurationError::Unknown(code)),
    }
}
