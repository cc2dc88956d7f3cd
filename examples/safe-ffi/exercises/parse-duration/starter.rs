// Exercise "parse-duration": see task.md beside this file, or the chapter's page.

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

/// Parses `"m:ss"` into seconds with the C library.
pub fn parse_duration(text: &str) -> Result<u32, DurationError> {
    let text = CString::new(text).expect("TODO: what if the text holds a NUL byte?");
    let mut seconds = 0;
    // SAFETY: `text` is NUL-terminated and outlives the call; `seconds` is a valid
    // place for the C function to write a `u32`.
    let code = unsafe { ffi::playlist_parse_duration(text.as_ptr(), &mut seconds) };
    to_result(code)?;
    Ok(seconds)
}

/// What a return code of `playlist_parse_duration` means.
pub fn to_result(code: c_int) -> Result<(), DurationError> {
    // TODO: `code` says whether the call worked, and if not, why.
    let _ = code;
    Ok(())
}
