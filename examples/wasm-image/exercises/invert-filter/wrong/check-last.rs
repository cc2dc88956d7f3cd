// Wrong attempt: inverts the colours first, and checks the buffer with `Image::new` at the
// end, where the borrow checker no longer complains.
// Why it is wrong: task.md says "check it before you change a byte" and a bad buffer is
// "left untouched"; a wrongly sized buffer is inverted and then refused.

use wasm_image::{FilterError, Image};

/// Turns the RGBA picture in `pixels`, `width`×`height`, into its negative.
pub fn invert(pixels: &mut [u8], width: u32, height: u32) -> Result<(), FilterError> {
    for pixel in pixels.chunks_exact_mut(4) {
        for colour in &mut pixel[..3] {
            *colour = 255 - *colour;
        }
    }
    // The buffer must fit `width`×`height`, or the caller gets the error.
    Image::new(pixels, width, height)?;
    Ok(())
}
