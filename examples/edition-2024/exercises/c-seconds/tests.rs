//! The tests that define "done" for the exercise "c-seconds".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{parse_seconds, parse_seconds_raw};

#[test]
fn digits_are_a_length() {
    assert_eq!(parse_seconds(c"288"), Some(288));
    assert_eq!(parse_seconds(c"0"), Some(0));
    assert_eq!(parse_seconds(c"4294967295"), Some(u32::MAX));
}

#[test]
fn no_number_is_not_zero() {
    assert_eq!(parse_seconds(c""), None, "an empty text");
    assert_eq!(parse_seconds(c"Rêverie"), None, "a title");
}

#[test]
fn something_after_the_number_is_refused() {
    assert_eq!(parse_seconds(c"288s"), None, "a unit");
    assert_eq!(parse_seconds(c"4:48"), None, "minutes and seconds");
    assert_eq!(parse_seconds(c"288 "), None, "a trailing space");
}

#[test]
fn signs_and_spaces_are_refused() {
    assert_eq!(parse_seconds(c" 288"), None, "a leading space");
    assert_eq!(parse_seconds(c"+288"), None, "a plus sign");
    assert_eq!(parse_seconds(c"-288"), None, "a minus sign");
}

#[test]
fn numbers_too_large_are_refused() {
    assert_eq!(parse_seconds(c"4294967296"), None, "u32::MAX + 1");
    assert_eq!(
        parse_seconds(c"99999999999999999999999"),
        None,
        "overflows C's long"
    );
}

#[test]
fn the_raw_function_agrees() {
    let text = c"288s";
    // SAFETY: a C string literal is NUL-terminated and lives for the whole program.
    let raw = unsafe { parse_seconds_raw(text.as_ptr()) };
    assert_eq!(raw, parse_seconds(text));
    assert_eq!(raw, None, "a unit");
}
