//! The filters. Each works on an `Image`, which can only be made from a buffer whose
//! length matches its width and height, so no filter can read past the end.

use thiserror::Error;

/// The largest width or height accepted: 16384 pixels, like common browser canvas
/// limits. A 16384×16384 RGBA image is already 1 GiB.
pub const MAX_SIDE: u32 = 16_384;

// ANCHOR: validation
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FilterError {
    #[error("an image needs at least one pixel, got {width}×{height}")]
    Empty { width: u32, height: u32 },
    #[error("{width}×{height} is larger than the {MAX_SIDE}×{MAX_SIDE} limit")]
    TooLarge { width: u32, height: u32 },
    #[error("a {width}×{height} RGBA image has {expected} bytes, but the buffer has {actual}")]
    WrongLength {
        width: u32,
        height: u32,
        expected: usize,
        actual: usize,
    },
}

/// An RGBA image borrowed from a buffer: 4 bytes per pixel, row by row.
pub struct Image<'a> {
    pixels: &'a mut [u8],
    width: usize,
    height: usize,
}

impl<'a> Image<'a> {
    pub fn new(pixels: &'a mut [u8], width: u32, height: u32) -> Result<Self, FilterError> {
        let expected = byte_len(width, height)?;
        if pixels.len() != expected {
            return Err(FilterError::WrongLength {
                width,
                height,
                expected,
                actual: pixels.len(),
            });
        }
        Ok(Self {
            pixels,
            width: width as usize,
            height: height as usize,
        })
    }
}

/// The length of an RGBA buffer for `width`×`height`, once both sides are checked.
pub fn byte_len(width: u32, height: u32) -> Result<usize, FilterError> {
    if width == 0 || height == 0 {
        return Err(FilterError::Empty { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(FilterError::TooLarge { width, height });
    }
    // Cannot overflow: both sides are at most 2^14, so the product is at most 2^30.
    Ok(width as usize * height as usize * 4)
}
// ANCHOR_END: validation

// ANCHOR: grayscale
/// Replaces each pixel's colour by its brightness, leaving alpha alone. The weights
/// are ITU-R BT.601's (0.299, 0.587, 0.114), scaled to integers out of 256.
pub fn grayscale(image: &mut Image) {
    // `as_chunks_mut` views the bytes as `[u8; 4]` arrays, one per pixel; a valid
    // image's length is a multiple of 4, so the remainder it also returns is empty.
    let (pixels, _) = image.pixels.as_chunks_mut::<4>();
    for [red, green, blue, _alpha] in pixels {
        let [r, g, b] = [*red, *green, *blue].map(u32::from);
        let luma = ((77 * r + 150 * g + 29 * b) >> 8) as u8;
        [*red, *green, *blue] = [luma; 3];
    }
}
// ANCHOR_END: grayscale

// ANCHOR: box_blur
/// A 3×3 box blur of the colour channels; border pixels and alpha are kept.
pub fn box_blur(image: &mut Image) {
    let (width, height) = (image.width, image.height);
    if width < 3 || height < 3 {
        return;
    }
    let stride = width * 4;
    let source = image.pixels.to_vec();
    let rows = || source.chunks_exact(stride);
    // Each output row (all but the first and last) with the source rows around it.
    let outputs = image.pixels.chunks_exact_mut(stride).skip(1);
    let neighbourhoods = rows().zip(rows().skip(1)).zip(rows().skip(2));
    let mut column_sums = vec![0u16; stride];
    for (out, ((above, row), below)) in outputs.zip(neighbourhoods) {
        // Two passes instead of nine reads per value: add each byte to the bytes above
        // and below it, then add the sums 4 bytes (one pixel) left and right. Iterators
        // instead of indexes leave no bounds checks in the loops, so the compiler can
        // use SIMD instructions, natively and in WebAssembly.
        for (((sum, &a), &r), &b) in column_sums.iter_mut().zip(above).zip(row).zip(below) {
            *sum = u16::from(a) + u16::from(r) + u16::from(b);
        }
        let sums = column_sums
            .iter()
            .zip(&column_sums[4..])
            .zip(&column_sums[8..]);
        for (value, ((left, centre), right)) in out[4..stride - 4].iter_mut().zip(sums) {
            *value = divide_by_9(left + centre + right);
        }
        // The passes blurred alpha too; put it back.
        let (pixels, originals) = (out.as_chunks_mut::<4>().0, row.as_chunks::<4>().0);
        for (pixel, original) in pixels.iter_mut().zip(originals) {
            pixel[3] = original[3];
        }
    }
}

/// `sum / 9` for the sum of nine bytes (at most 2,295), as a multiplication by
/// 7,282/65,536, a little more than 1/9: exact for every such sum. Compilers make the
/// same trade for `/ 9` on their own, natively with a 16-bit vector instruction that
/// keeps the high half of each product. WebAssembly's SIMD has no such instruction, so
/// there `/ 9` became a division per value, one lane at a time. Written out in 32 bits,
/// the multiplication stays in vector registers on every target.
fn divide_by_9(sum: u16) -> u8 {
    ((u32::from(sum) * 7282) >> 16) as u8
}
// ANCHOR_END: box_blur

/// Sobel edge detection: bright where brightness changes fast. The result is a
/// grayscale image; border pixels become black.
pub fn sobel(image: &mut Image) {
    let (width, height) = (image.width, image.height);
    grayscale(image);
    let luma: Vec<i32> = image
        .pixels
        .as_chunks::<4>()
        .0
        .iter()
        .map(|&[luma, ..]| i32::from(luma))
        .collect();
    for y in 0..height {
        for x in 0..width {
            let edge = if x == 0 || y == 0 || x == width - 1 || y == height - 1 {
                0
            } else {
                let at = |dx: usize, dy: usize| luma[(y + dy - 1) * width + (x + dx - 1)];
                let gx = at(2, 0) + 2 * at(2, 1) + at(2, 2) - at(0, 0) - 2 * at(0, 1) - at(0, 2);
                let gy = at(0, 2) + 2 * at(1, 2) + at(2, 2) - at(0, 0) - 2 * at(1, 0) - at(2, 0);
                // |gx| + |gy| approximates the gradient's length without a square root.
                (gx.abs() + gy.abs()).min(255) as u8
            };
            let pixel = (y * width + x) * 4;
            image.pixels[pixel..pixel + 3].fill(edge);
        }
    }
}

/// A reproducible test picture: colour gradients with a bright disc in the middle.
pub fn test_picture(width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width as f32, height as f32);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (x as f32 / w, y as f32 / h);
            let inside = (fx - 0.5).powi(2) + (fy - 0.5).powi(2) < 0.06;
            let [r, g, b] = if inside {
                [250, 240, 200]
            } else {
                [fx * 255.0, fy * 255.0, 128.0].map(|v| v as u8)
            };
            pixels.extend_from_slice(&[r, g, b, 255]);
        }
    }
    pixels
}

/// A 64-bit FNV-1a hash of the bytes: the example prints it for each filtered picture,
/// and the tests compare pictures filtered elsewhere (in WebAssembly) against it.
pub fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_of_the_wrong_size_are_rejected() {
        let mut pixels = vec![0; 15];
        assert!(matches!(
            Image::new(&mut pixels, 2, 2),
            Err(FilterError::WrongLength { expected: 16, .. })
        ));
        assert_eq!(
            Image::new(&mut [], 0, 5).err(),
            Some(FilterError::Empty {
                width: 0,
                height: 5
            })
        );
        assert!(matches!(
            Image::new(&mut [], MAX_SIDE + 1, 1),
            Err(FilterError::TooLarge { .. })
        ));
        assert!(matches!(
            Image::new(&mut [], u32::MAX, u32::MAX),
            Err(FilterError::TooLarge { .. })
        ));
    }

    #[test]
    fn grayscale_keeps_alpha_and_equalises_channels() {
        let mut pixels = vec![255, 0, 0, 7, 0, 0, 255, 9];
        grayscale(&mut Image::new(&mut pixels, 2, 1).unwrap());
        assert_eq!(pixels, [76, 76, 76, 7, 28, 28, 28, 9]);
    }

    #[test]
    fn blur_averages_the_neighbourhood() {
        let mut pixels: Vec<u8> = (0..9).flat_map(|i| [i * 9, 0, 0, 255]).collect();
        box_blur(&mut Image::new(&mut pixels, 3, 3).unwrap());
        // The centre becomes the mean of 0, 9, …, 72 = 36; the border is unchanged.
        assert_eq!(&pixels[16..20], &[36, 0, 0, 255]);
        assert_eq!(&pixels[0..4], &[0, 0, 0, 255]);
    }

    #[test]
    fn dividing_by_9_with_a_multiplication_is_exact_for_every_blur_sum() {
        for sum in 0..=9 * 255 {
            assert_eq!(u16::from(divide_by_9(sum)), sum / 9, "{sum}");
        }
    }

    #[test]
    fn sobel_finds_a_vertical_edge_and_nothing_in_flat_areas() {
        // Left half black, right half white, 4×3.
        let mut pixels: Vec<u8> = (0..12)
            .flat_map(|i| if i % 4 < 2 { [0, 0, 0, 255] } else { [255; 4] })
            .collect();
        sobel(&mut Image::new(&mut pixels, 4, 3).unwrap());
        let row1: Vec<u8> = pixels[16..32].chunks(4).map(|p| p[0]).collect();
        assert_eq!(row1, [0, 255, 255, 0]);
    }
}
