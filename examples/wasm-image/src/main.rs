//! `cargo run --example wasm-image`: the filters natively, on a generated test
//! picture. Writes one PNG per filter (to `target/wasm-image/`, or the folder given as
//! the first argument) and prints a checksum of each result.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use wasm_image::filters::{self, Image};

const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;

fn main() -> Result<()> {
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
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
            fnv1a(&pixels)
        );
    }
    Ok(())
}

fn write_png(path: &Path, pixels: &[u8]) -> Result<()> {
    let mut encoder = png::Encoder::new(BufWriter::new(File::create(path)?), WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(pixels)?;
    Ok(())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
