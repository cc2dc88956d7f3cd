//! The WebAssembly demo as the tests see it (a "page object"): every selector the
//! tests use, and the states `src/webassembly/demo.js` reports in the status line's
//! `data-state`. demo.js is the other side of this contract; the wording the reader
//! sees can change freely.

/// The demo's root element.
pub const ROOT: &str = "#wasm-demo";
pub const STATUS: &str = "#wasm-demo .demo-status";
pub const CANVAS: &str = "#wasm-demo canvas";
pub const PICTURE: &str = "#wasm-demo .demo-picture";
pub const FILTER: &str = "#wasm-demo .demo-filter";
pub const RUN: &str = "#wasm-demo .demo-run";
pub const BENCHMARK: &str = "#wasm-demo .demo-bench";

/// The values of `data-state` on the status line.
pub mod state {
    /// The module loaded; nothing has been done yet.
    pub const READY: &str = "ready";
    /// A picture was loaded onto the canvas.
    pub const LOADED: &str = "loaded";
    /// A filter ran; `data-filter` names it, `data-identical` says whether the
    /// JavaScript and WebAssembly pixels agreed.
    pub const FILTERED: &str = "filtered";
}
