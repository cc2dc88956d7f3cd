//! What the WebAssembly test files share.

use wasm_bindgen::{JsCast, JsValue};

/// The message of the JavaScript `Error` an export returned.
pub fn js_message(error: wasm_bindgen::JsError) -> String {
    let value: JsValue = error.into();
    value
        .dyn_into::<js_sys::Error>()
        .expect("a JavaScript Error")
        .message()
        .into()
}
