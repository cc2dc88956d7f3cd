//! Rust 2024 asks you to say `unsafe` wherever a promise is made that the compiler
//! cannot check. Each item here is the accepted form; `compile-fail/` holds the forms
//! Rust 2024 rejects.

use std::ffi::{CStr, c_char};
use std::sync::atomic::{AtomicU32, Ordering};

// ANCHOR: unsafe_extern
// An `extern` block declares functions defined elsewhere (here: the C library).
// Writing the signatures is itself a promise, so the block must say `unsafe`.
// Each item is then either `safe` (fine to call with any argument) or `unsafe`.
unsafe extern "C" {
    /// C's `sqrt`: defined for every `f64` (negative numbers give NaN).
    pub safe fn sqrt(value: f64) -> f64;
    /// C's `strlen`: only sound for a pointer to a NUL-terminated string.
    pub unsafe fn strlen(text: *const c_char) -> usize;
}
// ANCHOR_END: unsafe_extern

// ANCHOR: unsafe_op
/// Counts the bytes of a C string.
///
/// # Safety
/// `text` must point to a NUL-terminated string that stays valid during the call.
pub unsafe fn c_title_length(text: *const c_char) -> usize {
    // Inside an `unsafe fn`, Rust 2024 still wants an `unsafe` block around each
    // unsafe operation (`unsafe_op_in_unsafe_fn` warns otherwise), so that every one
    // is visible and carries its own justification.
    // SAFETY: the caller promises a valid NUL-terminated string (see `# Safety`).
    unsafe { strlen(text) }
}
// ANCHOR_END: unsafe_op

// ANCHOR: unsafe_attribute
/// Exported under the exact symbol name `book_track_count`, so C code can call it.
/// Two items exporting the same symbol would be undefined behaviour, which the
/// compiler cannot rule out: since Rust 2024 the attribute says `unsafe(...)`.
#[unsafe(no_mangle)]
pub extern "C" fn book_track_count() -> u32 {
    3
}
// ANCHOR_END: unsafe_attribute

// ANCHOR: static_mut
/// A global play counter. Rust 2024 denies taking references to a `static mut`
/// (`static_mut_refs`), because nothing stops two of them from aliasing. An atomic
/// static is shared safely and needs no `unsafe` at all.
static PLAYS: AtomicU32 = AtomicU32::new(0);

pub fn count_play() -> u32 {
    PLAYS.fetch_add(1, Ordering::Relaxed) + 1
}
// ANCHOR_END: static_mut

/// Calls the C functions above on a title, for the example's output.
pub fn demo() -> (f64, usize) {
    let title: &CStr = c"Clair de Lune";
    // SAFETY: a C string literal is NUL-terminated and lives for the whole program.
    let length = unsafe { c_title_length(title.as_ptr()) };
    (sqrt(2.0), length)
}
