// Wrong attempt: maps -ERANGE to `TooLong` and every other non-zero code to `Malformed`,
// never using `Unknown`.
// Why it is wrong: task.md says "any other code is kept in `Unknown`"; a code the header
// does not list (-ENOMEM, say) is reported as malformed text, and the code is lost.

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

const ERANGE: c_int = 34;

/// Parses `"m:ss"` into seconds with the C library.
pub fn parse_duration(text: &str) -> Result<u32, DurationError> {
    let text = CString::new(text).map_err(|_| DurationError::Malformed)?;
    let mut seconds = 0;
    // SAFETY: `text` is NUL-terminated and outlives the call; `seconds` is a valid
    // place for the C function to write a `u32`.
    let code = unsafe { ffi::playlist_parse_duration(text.as_ptr(), &mut seconds) };
    to_result(code)?;
    Ok(seconds)
}

/// What a return code of `playlist_parse_duration` means.
pub fn to_result(code: c_int) -> Result<(), DurationError> {
    match -code {
        0 => Ok(()),
        ERANGE => Err(DurationError::TooLong),
        // The header promises -EINVAL for everything else.
        _ => Err(DurationError::Malformed),
    }
}
