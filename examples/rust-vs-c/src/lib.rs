//! One CPU-bound kernel, a 3×3 box blur, written in idiomatic safe Rust and in C.
//!
//! `cargo run --example rust-vs-c` checks that all versions agree;
//! `cargo xtask bench-report rust-vs-c` measures them with criterion.

pub mod c;

use thiserror::Error;

/// An 8-bit grayscale image, stored row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrayImage {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("an image needs at least one pixel, got {width}×{height}")]
    Empty { width: usize, height: usize },
    #[error("a {width}×{height} image has {expected} pixels, but {actual} were given")]
    WrongLength {
        width: usize,
        height: usize,
        expected: usize,
        actual: usize,
    },
}

impl GrayImage {
    /// Checks that `pixels` holds exactly `width × height` values.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Result<Self, ImageError> {
        if width == 0 || height == 0 {
            return Err(ImageError::Empty { width, height });
        }
        // `saturating_mul` turns an impossible size into an error instead of a wrap-around.
        let expected = width.saturating_mul(height);
        if pixels.len() != expected {
            return Err(ImageError::WrongLength {
                width,
                height,
                expected,
                actual: pixels.len(),
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// A reproducible test pattern: a gradient with pseudo-random noise.
    pub fn test_pattern(width: usize, height: usize) -> Result<Self, ImageError> {
        let mut state: u32 = 0x9E37_79B9;
        let pixels = (0..width * height)
            .map(|i| {
                // xorshift32: cheap, deterministic noise.
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let gradient = (i % width * 255 / width) as u32;
                ((gradient + (state & 0x3F)) / 2) as u8
            })
            .collect();
        Self::new(width, height, pixels)
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// FNV-1a over the pixels: a short fingerprint to compare results by.
    pub fn checksum(&self) -> u64 {
        self.pixels
            .iter()
            .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            })
    }
}

// ANCHOR: box_blur
/// The 3×3 box blur in safe Rust: each inner pixel becomes the average of its
/// neighbourhood; border pixels are copied.
pub fn box_blur(image: &GrayImage) -> GrayImage {
    let width = image.width;
    let mut pixels = image.pixels.clone(); // the border keeps its values
    if image.width >= 3 && image.height >= 3 {
        // Every output row with its three input rows: above, level with and below it.
        let rows = image.pixels.chunks_exact(width);
        let neighbours = rows.clone().zip(rows.clone().skip(1)).zip(rows.skip(2));
        let inner_rows = pixels.chunks_exact_mut(width).skip(1);
        for (out_row, ((above, row), below)) in inner_rows.zip(neighbours) {
            // `windows(3)` yields each pixel's three horizontal neighbours. Slices
            // know their length, so the compiler removes the bounds checks.
            let columns = above.windows(3).zip(row.windows(3)).zip(below.windows(3));
            for (out, ((a, b), c)) in out_row[1..width - 1].iter_mut().zip(columns) {
                let sum: u16 = a.iter().chain(b).chain(c).map(|&p| u16::from(p)).sum();
                *out = (sum / 9) as u8;
            }
        }
    }
    GrayImage {
        width,
        height: image.height,
        pixels,
    }
}
// ANCHOR_END: box_blur

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_images_whose_pixel_count_does_not_match() {
        assert_eq!(
            GrayImage::new(3, 2, vec![0; 5]),
            Err(ImageError::WrongLength {
                width: 3,
                height: 2,
                expected: 6,
                actual: 5
            })
        );
        assert_eq!(
            GrayImage::new(0, 2, vec![]),
            Err(ImageError::Empty {
                width: 0,
                height: 2
            })
        );
        let huge = GrayImage::new(usize::MAX, 2, vec![0; 4]);
        assert!(matches!(huge, Err(ImageError::WrongLength { .. })));
    }

    #[test]
    fn averages_the_neighbourhood_and_keeps_the_border() {
        #[rustfmt::skip]
        let image = GrayImage::new(4, 3, vec![
            9, 9, 9, 9,
            0, 0, 9, 9,
            0, 0, 0, 9,
        ]).unwrap();
        let blurred = box_blur(&image);
        // (9+9+9 + 0+0+9 + 0+0+0) / 9 = 4 and (9+9+9 + 0+9+9 + 0+0+9) / 9 = 6.
        assert_eq!(blurred.pixels(), &[9, 9, 9, 9, 0, 4, 6, 9, 0, 0, 0, 9]);
    }

    #[test]
    fn rust_and_c_agree_on_every_pixel() {
        for (width, height) in [(1, 1), (2, 5), (3, 3), (64, 17), (257, 129)] {
            let image = GrayImage::test_pattern(width, height).unwrap();
            let rust = box_blur(&image);
            assert_eq!(c::box_blur_o2(&image), rust, "{width}×{height} at -O2");
            assert_eq!(c::box_blur_o3(&image), rust, "{width}×{height} at -O3");
        }
    }
}
