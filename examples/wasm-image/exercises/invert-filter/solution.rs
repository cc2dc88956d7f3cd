// Reference solution of the exercise "invert-filter" (see task.md beside this file).

use wasm_image::{FilterError, Image};

/// Turns the RGBA picture in `pixels`, `width`×`height`, into its negative.
pub fn invert(pixels: &mut [u8], width: u32, height: u32) -> Result<(), FilterError> {
    // The same check every export makes, and the same error JavaScript would see. The
    // `Image` is dropped at the end of this statement, which ends its borrow of
    // `pixels`. (A filter inside `src/filters.rs` would take the `Image` itself; its
    // fields are private to that module.)
    Image::new(pixels, width, height)?;
    // The length is now a multiple of 4, so `as_chunks_mut` leaves no remainder.
    let (pixels, _) = pixels.as_chunks_mut::<4>();
    for [red, green, blue, _alpha] in pixels {
        for channel in [red, green, blue] {
            // Cannot underflow: a `u8` is at most 255.
            *channel = 255 - *channel;
        }
        // The fourth byte, alpha, is how opaque the pixel is, not a colour: keep it.
    }
    Ok(())
}
