// SPDX-License-Identifier: GPL-2.0

//! A module whose init fails, to show the error path: `insmod` reports the error,
//! the module is not loaded, and what init had allocated is freed.

// ANCHOR: fail
use kernel::prelude::*;

module! {
    type: RustFail,
    name: "rust_fail",
    author: "Rust in 2026",
    description: "A module that refuses to load",
    license: "GPL",
}

struct RustFail;

impl kernel::Module for RustFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let buffer = KVec::<u8>::with_capacity(4096, GFP_KERNEL)?;
        pr_info!(
            "allocated {} bytes, then found the settings invalid\n",
            buffer.capacity()
        );
        // Returning an error makes the load fail with EINVAL ("Invalid argument").
        // `buffer` is dropped on the way out, so the failed load leaks nothing.
        Err(EINVAL)
    }
}
// ANCHOR_END: fail
