//! The tests that define "done" for the exercise "parse-duration".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{DurationError, parse_duration, to_result};
use safe_ffi::Playlist;

#[test]
fn durations_parse_to_seconds() {
    assert_eq!(parse_duration("3:05"), Ok(185));
    assert_eq!(parse_duration("0:00"), Ok(0));
    assert_eq!(parse_duration("120:59"), Ok(7259));
}

#[test]
fn text_that_is_not_a_duration_is_malformed() {
    for text in [
        "",
        "soon",
        "3",
        "3:5",
        "3:60",
        "3:05 ",
        ":05",
        "-1:00",
        "3:05\0junk",
    ] {
        assert_eq!(
            parse_duration(text),
            Err(DurationError::Malformed),
            "{text:?}"
        );
    }
}

#[test]
fn durations_longer_than_a_u32_are_too_long() {
    // u32::MAX seconds is 71582788 minutes and 15 seconds.
    assert_eq!(parse_duration("71582788:15"), Ok(u32::MAX));
    assert_eq!(parse_duration("71582788:16"), Err(DurationError::TooLong));
    assert_eq!(
        parse_duration("99999999999999999999:00"),
        Err(DurationError::TooLong)
    );
}

#[test]
fn every_code_the_header_names_has_its_variant() {
    assert_eq!(to_result(0), Ok(()));
    assert_eq!(to_result(-22), Err(DurationError::Malformed), "-EINVAL");
    assert_eq!(to_result(-34), Err(DurationError::TooLong), "-ERANGE");
}

#[test]
fn any_other_code_is_kept_as_it_came() {
    // Codes the header does not promise: -ENOMEM, -EIO, and a positive one.
    for code in [-12, -5, 7] {
        assert_eq!(to_result(code), Err(DurationError::Unknown(code)), "{code}");
    }
}

#[test]
fn a_parsed_duration_goes_into_a_playlist() -> anyhow::Result<()> {
    let mut playlist = Playlist::new(1)?;
    // Both error types convert into `anyhow::Error`, so `?` works on each.
    playlist.add("Clair de Lune", parse_duration("5:00")?)?;
    assert_eq!(playlist.len(), 1);
    Ok(())
}

#[test]
fn errors_say_what_went_wrong() {
    assert_eq!(
        DurationError::Malformed.to_string(),
        "a duration is minutes, a colon and two digits of seconds, like 3:05"
    );
    assert_eq!(
        DurationError::Unknown(-5).to_string(),
        "unexpected error code -5 from the C library"
    );
}
