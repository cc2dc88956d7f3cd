//! The WebAssembly chapter's live demo: builds the filters for `wasm32`, runs
//! `wasm-bindgen` to produce the JavaScript glue, and puts both where mdBook copies
//! them into the rendered chapter (`src/webassembly/pkg/`, not committed).

use std::process::Command;

use anyhow::Result;

use crate::{cargo, repo_root, run_command, step, tools};

pub fn build_demo() -> Result<()> {
    let wasm_bindgen = tools::binary("wasm-bindgen-cli")?;
    step(
        "build the WebAssembly demo (cargo build + wasm-bindgen)",
        || {
            // Built into a folder of its own: the book's build must not depend on
            // where CARGO_TARGET_DIR points.
            let target_dir = repo_root().join("target/book-wasm");
            run_command(
                cargo(&[
                    "build",
                    "--package",
                    "wasm-image",
                    "--lib",
                    "--release",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CARGO_TARGET_DIR", &target_dir),
            )?;
            let module = target_dir.join("wasm32-unknown-unknown/release/wasm_image.wasm");
            let out = repo_root().join("src/webassembly/pkg");
            // `--target web`: an ES module the page imports directly, no bundler.
            run_command(
                Command::new(wasm_bindgen)
                    .arg(&module)
                    .args(["--target", "web", "--no-typescript", "--out-dir"])
                    .arg(&out),
            )
        },
    )
}
