//! The C version of the use-after-free, compiled by `build.rs` with the `cc` crate.

// ANCHOR: extern
// An `extern` block declares functions that another language defines. Rust cannot
// check their bodies, so since the 2024 edition the block itself says `unsafe`.
unsafe extern "C" {
    /// Builds a one-track playlist, keeps a pointer to the first title, frees the
    /// playlist and returns the first letter of the freed title.
    pub fn first_letter_after_free() -> std::ffi::c_char;
}
// ANCHOR_END: extern
