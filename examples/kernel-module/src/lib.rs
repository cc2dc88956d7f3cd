//! The machinery behind `cargo run --example kernel-module`: build Linux 6.12 with
//! Rust support (once, then cached), build the out-of-tree Rust modules in
//! `module/` against it, and boot it in QEMU with an initramfs that loads them.
//!
//! The module itself, the part worth reading first, is `module/rust_playlist.rs`.

pub mod block;
pub mod guest;
pub mod interrupt;
pub mod kernel;
pub mod modules;
mod process;
pub mod scratch;

use std::path::PathBuf;

/// What can go wrong, in words that say what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} is missing: {hint}")]
    Missing { what: String, hint: String },
    #[error("`{command}` failed ({status}); its last output:\n{output}")]
    Command {
        command: String,
        status: String,
        output: String,
    },
    #[error(
        "the kernel configuration lost `{0}` (is rustc, bindgen, libclang or rust-src missing?)"
    )]
    ConfigDropped(String),
    #[error("the guest did not finish within {seconds} s; its output so far:\n{output}")]
    Timeout { seconds: u64, output: String },
    #[error("the guest's output has no {what}; it was:\n{output}")]
    Unexpected { what: String, output: String },
    #[error("interrupted by a signal: stopped `{stopped}` and removed the scratch folders")]
    Interrupted { stopped: String },
    // The cause is `source`: printing the chain (`{:#}`) adds it after the context.
    #[error("{context}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The exit status of an example that failed with `error`: 130 (128 + SIGINT, how
/// shells report a program stopped by a signal) if a signal stopped it, 1 otherwise.
pub fn exit_status(error: &anyhow::Error) -> u8 {
    let interrupted = error
        .chain()
        .any(|cause| matches!(cause.downcast_ref(), Some(Error::Interrupted { .. })));
    if interrupted { 130 } else { 1 }
}

/// Adds a description to an I/O error.
pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// The example's folder: `module/` and `guest/` are read from here.
pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where expensive results are kept between runs, outside the repository:
/// `$RUST_IN_2026_CACHE`, else `$XDG_CACHE_HOME/rust-in-2026`, else `~/.cache/rust-in-2026`.
/// `cargo xtask setup` installs its tools here too, through this very function.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUST_IN_2026_CACHE") {
        return dir.into();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("rust-in-2026")
}

/// What installs a missing program or file.
pub(crate) const SETUP_HINT: &str =
    "run `cargo xtask setup` (Debian 12) or install it with your package manager";

/// This crate's manifest: its `[package.metadata.book] needs` lists the Debian
/// packages the example needs, the one list that `cargo xtask setup`, Appendix B and
/// this check all read.
const MANIFEST: &str = include_str!("../Cargo.toml");

/// `(Debian package, program or file that shows it is installed)` for each need.
fn needs() -> Vec<(String, String)> {
    let manifest: toml::Table = toml::from_str(MANIFEST).unwrap_or_default();
    let needs = manifest
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("book"))
        .and_then(|book| book.get("needs"))
        .and_then(|needs| needs.as_array())
        .cloned()
        .unwrap_or_default();
    needs
        .iter()
        .filter_map(|need| {
            let field = |key: &str| need.get(key)?.as_str().map(str::to_owned);
            Some((field("debian")?, field("provides")?))
        })
        .collect()
}

/// Checks the programs and files a run needs, before spending minutes on a build.
/// Returns the first missing one, with what installs it.
pub fn missing_prerequisite() -> Option<Error> {
    let setup = SETUP_HINT;
    if process::find_program("rustc").is_none() {
        return Some(Error::Missing {
            what: "rustc".into(),
            hint: "install Rust with rustup (https://rustup.rs)".into(),
        });
    }
    if process::find_program("gcc").is_none() {
        return Some(Error::Missing {
            what: "gcc".into(),
            hint: "install a C compiler (Debian: the `gcc` package)".into(),
        });
    }
    for (package, provides) in needs() {
        let present = if provides.starts_with('/') {
            std::path::Path::new(&provides).exists()
        } else {
            process::find_program(&provides).is_some()
        };
        if !present {
            return Some(Error::Missing {
                what: provides,
                hint: format!("install the Debian package `{package}` ({setup})"),
            });
        }
    }
    match kernel::bindgen() {
        Ok(Some(_)) => None,
        Ok(None) => Some(Error::Missing {
            what: "bindgen".into(),
            hint: setup.into(),
        }),
        Err(error) => Some(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_the_code_uses_are_among_the_needs() {
        let provided: Vec<String> = needs().into_iter().map(|(_, file)| file).collect();
        for file in [kernel::SOURCE_TARBALL, guest::BUSYBOX, "qemu-system-x86_64"] {
            assert!(
                provided.iter().any(|have| have == file),
                "{file} is not in needs"
            );
        }
    }
}
