//! Safe wrappers around the C box blur compiled by `build.rs`.

use crate::GrayImage;

// ANCHOR: extern
/// The C functions, as `build.rs` compiled them. Calling them is `unsafe`: Rust cannot
/// check that the pointers are valid for `width * height` bytes.
mod ffi {
    unsafe extern "C" {
        pub fn box_blur_o2(src: *const u8, dst: *mut u8, width: usize, height: usize);
        pub fn box_blur_o3(src: *const u8, dst: *mut u8, width: usize, height: usize);
    }
}
// ANCHOR_END: extern

/// The C version compiled with `-O2`.
pub fn box_blur_o2(image: &GrayImage) -> GrayImage {
    // SAFETY: `box_blur_o2` reads and writes exactly `width * height` bytes, which is
    // the length of both buffers (`GrayImage::new` checks it), and the buffers do not
    // overlap because `dst` is a fresh copy.
    run(image, |src, dst, w, h| unsafe {
        ffi::box_blur_o2(src, dst, w, h)
    })
}

/// The C version compiled with `-O3`.
pub fn box_blur_o3(image: &GrayImage) -> GrayImage {
    // SAFETY: as for `box_blur_o2`: same source, only the optimisation level differs.
    run(image, |src, dst, w, h| unsafe {
        ffi::box_blur_o3(src, dst, w, h)
    })
}

fn run(image: &GrayImage, blur: impl Fn(*const u8, *mut u8, usize, usize)) -> GrayImage {
    let mut out = image.pixels().to_vec();
    blur(
        image.pixels().as_ptr(),
        out.as_mut_ptr(),
        image.width(),
        image.height(),
    );
    GrayImage::new(image.width(), image.height(), out).expect("same size as the input")
}
