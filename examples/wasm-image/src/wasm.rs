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

// ANCHOR: sha256
/// The SHA-256 digest of `bytes`, with the RustCrypto project's `sha2` crate: the
/// chapter times it against the browser's own `crypto.subtle.digest`. Only in a module
/// built with the `sha256` feature.
#[cfg(feature = "sha256")]
#[wasm_bindgen]
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).to_vec()
}
// ANCHOR_END: sha256

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
        let len = filters::byte_len(width, height)?;
        // A module's memory is at most 4 GiB, and `vec![0; len]` traps the whole module
        // when it cannot have more (Rust aborts on a failed allocation).
        let pixels = zeroed_bytes(len).ok_or_else(|| {
            JsError::new(&format!(
                "not enough memory for a {width}×{height} picture ({len} bytes)"
            ))
        })?;
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

    // ANCHOR: picture_filters
    pub fn grayscale(&mut self) -> Result<(), JsError> {
        self.apply(filters::grayscale)
    }

    pub fn box_blur(&mut self) -> Result<(), JsError> {
        self.apply(filters::box_blur)
    }

    pub fn sobel(&mut self) -> Result<(), JsError> {
        self.apply(filters::sobel)
    }
    // ANCHOR_END: picture_filters
}

/// `len` zero bytes, or `None` when the allocator cannot provide them. Like
/// `vec![0; len]`, it asks for memory that is zero already (new WebAssembly memory
/// is), so a large picture costs no writes; unlike it, a failure is not fatal.
/// (`Vec::try_reserve_exact` followed by `resize` is the safe alternative, but it
/// writes every byte: seconds for a gigabyte in a debug build.)
fn zeroed_bytes(len: usize) -> Option<Vec<u8>> {
    let layout = std::alloc::Layout::array::<u8>(len).ok()?;
    if layout.size() == 0 {
        return Some(Vec::new());
    }
    // SAFETY: `layout` has a non-zero size, as `alloc_zeroed` requires.
    let pointer = unsafe { std::alloc::alloc_zeroed(layout) };
    if pointer.is_null() {
        return None;
    }
    // SAFETY: `pointer` comes from the global allocator with the layout of `len` bytes
    // at alignment 1, which is what a `Vec<u8>` of capacity `len` uses; all `len`
    // bytes are initialised (to zero); and the `Vec` becomes their only owner.
    Some(unsafe { Vec::from_raw_parts(pointer, len, len) })
}

// ANCHOR: apply
impl Picture {
    fn apply(&mut self, filter: fn(&mut Image)) -> Result<(), JsError> {
        // `new` checked the size, so this fails only if that check and this one ever
        // disagree; then JavaScript hears about it instead of nothing happening.
        filter(&mut Image::new(&mut self.pixels, self.width, self.height)?);
        Ok(())
    }
}
// ANCHOR_END: apply
