//! The JavaScript-facing functions, run as WebAssembly in a JavaScript engine:
//! `cargo test -p wasm-image --target wasm32-unknown-unknown` (Node.js), and with
//! `WASM_BINDGEN_USE_BROWSER=1` in headless Chromium. CI runs both and checks that
//! the tests really ran.
#![cfg(target_arch = "wasm32")]

mod common;

use common::js_message;

use wasm_bindgen_test::wasm_bindgen_test;
use wasm_image::wasm;

// ANCHOR: bad_input
#[wasm_bindgen_test]
fn a_buffer_of_the_wrong_length_becomes_a_javascript_error() {
    let mut pixels = vec![0u8; 10];
    let error = wasm::grayscale(&mut pixels, 2, 2).unwrap_err();
    assert_eq!(
        js_message(error),
        "a 2×2 RGBA image has 16 bytes, but the buffer has 10"
    );
    assert_eq!(pixels, [0; 10], "nothing was written");
}

#[wasm_bindgen_test]
fn zero_and_huge_sizes_become_javascript_errors() {
    let message = js_message(wasm::sobel(&mut [], 0, 10).unwrap_err());
    assert!(message.contains("at least one pixel"), "{message}");
    let message = js_message(wasm::box_blur(&mut [], 100_000, 100_000).unwrap_err());
    assert!(message.contains("larger than"), "{message}");
}
// ANCHOR_END: bad_input

/// The checksum the native example printed for `filter`, in its captured output
/// (`expected/run.txt`, which CI reruns natively and compares).
fn native_checksum(filter: &str) -> u64 {
    let output = include_str!("../expected/run.txt");
    let line = output
        .lines()
        .find(|line| line.trim_start().starts_with(&format!("{filter}:")))
        .expect("the filter is in the captured output");
    let hex = line
        .split("checksum ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("a checksum on the line");
    u64::from_str_radix(hex, 16).expect("a hexadecimal checksum")
}

#[wasm_bindgen_test]
fn filters_give_the_same_pixels_as_native_code() {
    let mut pixels = wasm_image::filters::test_picture(640, 480);
    wasm::grayscale(&mut pixels, 640, 480).unwrap();
    let checksum = wasm_image::filters::checksum(&pixels);
    assert_eq!(checksum, native_checksum("grayscale"));
}

#[wasm_bindgen_test]
fn a_picture_filters_in_place_like_the_copying_functions() {
    let mut copied = wasm_image::filters::test_picture(64, 48);
    let mut picture = wasm::Picture::new(64, 48).unwrap();
    let pixels = picture.pixels_ptr();
    // SAFETY: `pixels` points at the picture's 64 × 48 × 4 bytes, from `as_mut_ptr`,
    // so writing through it is allowed; nothing else touches them while this slice lives.
    unsafe { std::slice::from_raw_parts_mut(pixels, copied.len()) }.copy_from_slice(&copied);
    wasm::sobel(&mut copied, 64, 48).unwrap();
    picture.sobel().unwrap();
    let pixels = picture.pixels_ptr();
    // SAFETY: as above, and the filter has finished with the pixels.
    let filtered = unsafe { std::slice::from_raw_parts(pixels, copied.len()) };
    assert_eq!(filtered, copied.as_slice());
}

#[wasm_bindgen_test]
fn a_picture_of_an_impossible_size_is_a_javascript_error() {
    let message = js_message(wasm::Picture::new(0, 1).err().expect("an error"));
    assert!(message.contains("at least one pixel"), "{message}");
}
