//! `cargo run --example wasm-image`: the filters natively, on a generated test
//! picture. Writes one PNG per filter (to `target/wasm-image/`, or the folder given as
//! the first argument) and prints a checksum of each result.
//!
//! Shown in the chapter "Rust and WebAssembly" (`src/webassembly/index.md`).

use std::fs::{self, File, FileType};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
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
    // Every name is checked before the first filter runs, so that a name taken by
    // something other than a file stops the run before it writes anything.
    for (name, _) in runs {
        let path = out_dir.join(format!("{name}.png"));
        replaceable(&path).with_context(|| format!("writing {}", path.display()))?;
    }
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
/// looks finished, and only ever as a regular file.
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

    // The bytes go to a new file beside the target, under a random name that
    // tempfile picks, opened with `create_new` (`O_CREAT | O_EXCL`): the call fails
    // rather than open a file or follow a symbolic link that someone put there, which a
    // fixed name such as `sobel.png.part` would do. Until `persist`, dropping `partial`
    // (an error below) deletes it.
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut partial = tempfile::Builder::new()
        .prefix(".wasm-image-")
        .suffix(".part")
        .make_in(dir, |name| {
            let mut options = File::options();
            options.write(true).create_new(true);
            // The mode `File::create` uses (read and write for all, less the umask),
            // rather than the owner-only mode of a temporary file.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
            options.open(name)
        })?;
    // Through the `File` itself: tempfile's own `Write` adds the temporary name to
    // every error, a name that is gone by the time the error is read.
    partial.as_file_mut().write_all(&encoded)?;
    // Errors such as a full disk may only show when the data reaches the disk.
    partial.as_file().sync_all()?;
    // Looked at again just before the rename, which would replace whatever is there.
    replaceable(path)?;
    // On failure the error gives the file back; dropping it there deletes it.
    partial.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Succeeds if a picture may be written at `path`: nothing is there yet, or a regular
/// file. Renaming a new file over a device, a FIFO or a symbolic link would replace
/// that node with a picture, and over a folder it fails only after all the work.
fn replaceable(path: &Path) -> Result<()> {
    // `symlink_metadata` describes a symbolic link itself, not what it points to.
    let kind = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata.file_type(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error.into()),
    };
    let what = match kind {
        _ if kind.is_file() => return Ok(()),
        _ if kind.is_dir() => "a folder",
        _ if kind.is_symlink() => "a symbolic link",
        _ => special(kind),
    };
    bail!("{what}, not a regular file: refusing to replace it")
}

/// What kind of special file this is (FIFOs and sockets are Unix's).
#[cfg(unix)]
fn special(kind: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    match kind {
        _ if kind.is_fifo() => "a FIFO",
        _ if kind.is_socket() => "a socket",
        _ => "a device",
    }
}

#[cfg(not(unix))]
fn special(_: FileType) -> &'static str {
    "a special file"
}
