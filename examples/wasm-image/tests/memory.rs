//! A picture that does not fit in the module's memory: a JavaScript error, not a trap.
//! It grows the module's memory to nearly 4 GiB, which takes seconds in some engines,
//! so CI runs it in Chromium only (the engine of the chapter's demo):
//! `WASM_BINDGEN_USE_BROWSER=1 cargo test -p wasm-image --target wasm32-unknown-unknown --test memory`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::js_message;

use wasm_bindgen_test::wasm_bindgen_test;
use wasm_image::wasm;

#[wasm_bindgen_test]
fn a_picture_that_does_not_fit_in_memory_is_a_javascript_error() {
    // A module's memory is at most 4 GiB and each of these pictures takes 1 GiB, so
    // one of the first four cannot be had.
    let mut alive = Vec::new();
    let error = loop {
        match wasm::Picture::new(16_384, 16_384) {
            Ok(picture) => alive.push(picture),
            Err(error) => break error,
        }
        assert!(
            alive.len() < 4,
            "four 1 GiB pictures fitted in a 4 GiB memory"
        );
    };
    let message = js_message(error);
    assert!(
        message.starts_with("not enough memory for a 16384×16384 picture"),
        "{message}"
    );
    // The module still works once the memory is given back.
    drop(alive);
    assert!(wasm::Picture::new(64, 48).is_ok());
}
