//! The WebAssembly layer: thin wrappers that wasm-bindgen exports to JavaScript. A
//! bad buffer becomes a JavaScript `Error` with the message from `FilterError`; it
//! never traps the module or touches memory outside the buffer.

use wasm_bindgen::prelude::*;

use crate::filters::{self, Image};

// ANCHOR: exports
/// `grayscale(pixels, width, height)` from JavaScript, where `pixels` is the
/// `Uint8ClampedArray` of an `ImageData`; the result is written back into it.
#[wasm_bindgen]
pub fn grayscale(pixels: &mut [u8], width: u32, height: u32) -> Result<(), JsError> {
    filters::grayscale(&mut Image::new(pixels, width, height)?);
    Ok(())
}
// ANCHOR_END: exports

#[wasm_bindgen]
pub fn box_blur(pixels: &mut [u8], width: u32, height: u32) -> Result<(), JsError> {
    filters::box_blur(&mut Image::new(pixels, width, height)?);
    Ok(())
}

#[wasm_bindgen]
pub fn sobel(pixels: &mut [u8], width: u32, height: u32) -> Result<(), JsError> {
    filters::sobel(&mut Image::new(pixels, width, height)?);
    Ok(())
}
