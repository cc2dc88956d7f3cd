// Wrong attempt: checks the buffer's length against `width * height * 4` by hand and returns
// `WrongLength` when it differs.
// Why it is wrong: task.md says a bad buffer "returns the same `FilterError` that `Image::new`
// gives"; a 0×0 picture with an empty buffer passes (`Image::new` says `Empty`), and an
// oversized picture gets `WrongLength` instead of `TooLarge`.

use wasm_image::FilterError;

/// Turns the RGBA picture in `pixels`, `width`×`height`, into its negative.
pub fn invert(pixels: &mut [u8], width: u32, height: u32) -> Result<(), FilterError> {
    let expected = width as usize * height as usize * 4;
    if pixels.len() != expected {
        return Err(FilterError::WrongLength {
            width,
            height,
            expected,
            actual: pixels.len(),
        });
    }
    for pixel in pixels.chunks_exact_mut(4) {
        for colour in &mut pixel[..3] {
            *colour = 255 - *colour;
        }
    }
    Ok(())
}
