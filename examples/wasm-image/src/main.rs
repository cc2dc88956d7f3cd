//! `cargo run --example wasm-image`: the filters natively, on a generated test
//! picture. Writes one PNG per filter (to `target/wasm-image/`, or the folder given as
//! the first argument) and prints a checksum of each result.
//!
//! Shown in the chapter "Rust and WebAssembly" (`src/webassembly/index.md`).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use wasm_image::filters::{self, Image};

const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the error and its causes on one line: "writing x.png: File
            // too large (os error 27)".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the image filters natively on a generated test picture and writes one PNG
/// per filter.
#[derive(Parser)]
struct Cli {
    /// Where to write the pictures [default: target/wasm-image]
    out_dir: Option<PathBuf>,
}

fn run() -> Result<()> {
    let out_dir = Cli::parse().out_dir.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/wasm-image")
    });
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;

    let original = filters::test_picture(WIDTH, HEIGHT);
    type Filter = fn(&mut Image);
    let runs: [(&str, Filter); 3] = [
        ("grayscale", filters::grayscale),
        ("box_blur", filters::box_blur),
        ("sobel", filters::sobel),
    ];
    for (name, filter) in runs {
        let mut pixels = original.clone();
        filter(&mut Image::new(&mut pixels, WIDTH, HEIGHT)?);
        let path = out_dir.join(format!("{name}.png"));
        write_png(&path, &pixels).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "{name:>9}: {WIDTH}×{HEIGHT}, checksum {:016x}, wrote {name}.png",
            filters::checksum(&pixels)
        );
    }
    Ok(())
}

/// Writes the picture as a PNG file, or reports why not. The file appears under its
/// name only once every byte is on disk, so a full disk never leaves a short PNG that
/// looks finished.
fn write_png(path: &Path, pixels: &[u8]) -> Result<()> {
    // Encode in memory first: the encoder writes its last bytes when it is dropped,
    // where an error could only be ignored.
    let mut encoded = Vec::new();
    let mut encoder = png::Encoder::new(&mut encoded, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;

    let partial = path.with_extension("png.part");
    let written = File::create(&partial).and_then(|mut file| {
        file.write_all(&encoded)?;
        // Errors such as a full disk may only show when the data reaches the disk.
        file.sync_all()
    });
    match written.and_then(|()| fs::rename(&partial, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            // Nothing half-written stays behind; the rename's own error is the story.
            let _ = fs::remove_file(&partial);
            Err(error.into())
        }
    }
}
