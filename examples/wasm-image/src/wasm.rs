//! The WebAssembly layer: thin wrappers that wasm-bindgen exports to JavaScript. A
//! bad buffer becomes a JavaScript `Error` with the message from `FilterError`; it
//! never traps the module or touches memory outside the buffer.
//!
//! Two ways to pass pixels: the functions take a JavaScript array and copy it into
//! the module's memory and back on every call; a `Picture` keeps its pixels in the
//! module's memory, so filters run in place with no copies.

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

// ANCHOR: picture
/// A picture that lives in the module's own linear memory. JavaScript writes the
/// pixels once, through a view of that memory, and each filter then runs in place.
#[wasm_bindgen]
pub struct Picture {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
}

#[wasm_bindgen]
impl Picture {
    /// `new Picture(width, height)` from JavaScript: a transparent black picture.
    #[wasm_bindgen(constructor)]
    pub fn new(width: u32, height: u32) -> Result<Picture, JsError> {
        // Checked before allocating, so a huge size is an error, not a failed allocation.
        let pixels = vec![0; filters::byte_len(width, height)?];
        Ok(Picture {
            pixels,
            width,
            height,
        })
    }

    /// Where the pixels start in the module's memory; JavaScript writes them through
    /// a view made from it (hence `mut`). The view goes stale when that memory grows,
    /// so make it right before using it.
    pub fn pixels_ptr(&mut self) -> *mut u8 {
        self.pixels.as_mut_ptr()
    }
    // ANCHOR_END: picture

    pub fn grayscale(&mut self) {
        self.apply(filters::grayscale);
    }

    pub fn box_blur(&mut self) {
        self.apply(filters::box_blur);
    }

    pub fn sobel(&mut self) {
        self.apply(filters::sobel);
    }
}

impl Picture {
    fn apply(&mut self, filter: fn(&mut Image)) {
        // The length was checked when the picture was made, so this always succeeds.
        if let Ok(mut image) = Image::new(&mut self.pixels, self.width, self.height) {
            filter(&mut image);
        }
    }
}
