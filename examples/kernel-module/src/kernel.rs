//! Building Linux 6.12 with Rust support, once.
//!
//! The result is what an out-of-tree module build needs (the "external module tree":
//! headers, scripts, the configuration and the compiled `kernel` crate's metadata),
//! plus the kernel image and the kernel's initramfs tool. It is cached under a key
//! made of everything that changes it: the kernel package version, the configuration,
//! and the exact rustc, bindgen and gcc.

use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{self, run, run_with_progress};
use crate::scratch::ScratchDir;
use crate::{Error, Result, cache_dir, example_dir, io};

/// Debian's `linux-source-6.12` package installs the kernel source here.
pub const SOURCE_TARBALL: &str = "/usr/src/linux-source-6.12.tar.xz";
const SOURCE_PACKAGE: &str = "linux-source-6.12";

/// A finished, cached kernel build.
pub struct KernelBuild {
    dir: PathBuf,
    pub tools: Toolchain,
}

impl KernelBuild {
    pub fn bz_image(&self) -> PathBuf {
        self.dir.join("bzImage")
    }

    /// What `make -C ... M=module/` builds against.
    pub fn extmod_tree(&self) -> PathBuf {
        self.dir.join("extmod")
    }

    /// `drivers/block/rnull.rs` of the source this kernel was built from.
    pub fn rnull_source(&self) -> PathBuf {
        self.dir.join("rnull.rs")
    }

    /// The kernel's own tool for writing an initramfs from a text list.
    pub fn gen_init_cpio(&self) -> PathBuf {
        self.dir.join("gen_init_cpio")
    }
}

/// The compilers the kernel is built with. A module must be compiled by exactly the
/// rustc that compiled the kernel, or rustc refuses the `kernel` crate's metadata.
#[derive(Clone)]
pub struct Toolchain {
    rustc: PathBuf,
    bindgen: PathBuf,
}

impl Toolchain {
    /// The pinned toolchain's Clippy, for `make CLIPPY=1`: it must be the same
    /// compiler version as the `rustc` that built the kernel.
    pub fn clippy_driver(&self) -> PathBuf {
        self.rustc.with_file_name("clippy-driver")
    }

    /// The pinned rustc, which built the kernel.
    pub fn rustc(&self) -> &Path {
        &self.rustc
    }

    /// The pinned toolchain's rustfmt.
    pub fn rustfmt(&self) -> PathBuf {
        self.rustc.with_file_name("rustfmt")
    }
}

impl Toolchain {
    /// Variables for `make`: which rustc (for the kernel and its host-side proc
    /// macros) and which bindgen to use.
    pub fn make_variables(&self) -> Vec<String> {
        vec![
            format!("RUSTC={}", self.rustc.display()),
            format!("HOSTRUSTC={}", self.rustc.display()),
            format!("BINDGEN={}", self.bindgen.display()),
        ]
    }
}

/// `bindgen` from `PATH`, or the one `cargo xtask setup` installed into the cache.
/// `Ok(None)` when it is in neither; an error when the cache cannot be read, which is a
/// different problem with a different fix.
pub fn bindgen() -> Result<Option<PathBuf>> {
    if let Some(path) = process::find_program("bindgen") {
        return Ok(Some(path));
    }
    let tools_dir = cache_dir().join("tools");
    let tools = match fs::read_dir(&tools_dir) {
        Ok(tools) => tools,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io(format!("reading {}", tools_dir.display()))(error)),
    };
    Ok(tools
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("bindgen-cli-")
        })
        .map(|entry| entry.path().join("bin/bindgen"))
        .find(|path| path.is_file()))
}

/// The rustc that `rust-toolchain.toml` pins, found by asking rustup from the
/// repository's root (the kernel is built in a folder where that file does not apply).
fn pinned_rustc() -> Result<PathBuf> {
    let repo = example_dir().join("../..");
    let sysroot = run(Command::new("rustc")
        .args(["--print", "sysroot"])
        .current_dir(repo))?;
    Ok(PathBuf::from(sysroot.trim()).join("bin/rustc"))
}

/// Builds the kernel if the cache does not have this exact build yet.
pub fn ensure_built() -> Result<KernelBuild> {
    if let Some(missing) = crate::missing_prerequisite() {
        return Err(missing);
    }
    let tools = Toolchain {
        rustc: pinned_rustc()?,
        bindgen: bindgen()?.ok_or_else(|| Error::Missing {
            what: "bindgen".into(),
            hint: "run `cargo xtask setup`".into(),
        })?,
    };
    let (name, key) = cache_key(&tools)?;
    let kernels = cache_dir().join("kernel");
    let dir = kernels.join(&name);
    let build = KernelBuild {
        dir: dir.clone(),
        tools: tools.clone(),
    };
    if dir.join("ready").exists() {
        return Ok(build);
    }

    // Two runs at once (a test and the example) must not both build: take a lock,
    // then look again.
    fs::create_dir_all(&kernels).map_err(io("creating the kernel cache"))?;
    let lock = File::create(kernels.join(".lock")).map_err(io("creating the cache lock"))?;
    lock.lock().map_err(io("locking the kernel cache"))?;
    if dir.join("ready").exists() {
        return Ok(build);
    }
    println!(
        "Building Linux 6.12 with Rust support into {}",
        dir.display()
    );
    println!("(once per kernel version and toolchain; several minutes on two cores)");
    build_kernel(&dir, &tools, &key)?;
    Ok(build)
}

/// A folder name that says what is inside and changes whenever any input changes.
fn cache_key(tools: &Toolchain) -> Result<(String, String)> {
    let package_version =
        run(Command::new("dpkg-query").args(["--show", "--showformat=${Version}", SOURCE_PACKAGE]))
            .map_err(|_| Error::Missing {
                what: SOURCE_PACKAGE.into(),
                hint: "run `cargo xtask setup`".into(),
            })?;
    let fragment = fs::read_to_string(example_dir().join("module/config.fragment"))
        .map_err(io("reading module/config.fragment"))?;
    let key = [
        package_version.clone(),
        fragment,
        run(Command::new(&tools.rustc).arg("-vV"))?,
        run(Command::new(&tools.bindgen).arg("--version"))?,
        run(Command::new("gcc").arg("--version"))?,
    ]
    .join("\n");
    let mut hasher = std::hash::DefaultHasher::new();
    key.hash(&mut hasher);
    Ok((
        format!("linux-{package_version}-{:016x}", hasher.finish()),
        key,
    ))
}

fn build_kernel(dir: &Path, tools: &Toolchain, key: &str) -> Result<()> {
    // The 2 GB build tree goes when this function returns, however it returns.
    let work = ScratchDir::new(dir.with_extension("work"))?;
    let work = work.path();
    let source = work.join("linux-source-6.12");
    let output = work.join("build");

    println!("[kernel] unpacking {SOURCE_TARBALL}");
    run(Command::new("tar")
        .arg("-xJf")
        .arg(SOURCE_TARBALL)
        .arg("-C")
        .arg(work))?;
    let make = |args: &[&str]| {
        let mut command = Command::new("make");
        command
            .arg("-C")
            .arg(&source)
            .arg(format!("O={}", output.display()))
            .args(tools.make_variables())
            .args(args);
        command
    };

    // ANCHOR: configure
    // The smallest configuration that boots, plus what this example needs: a 64-bit
    // kernel, a serial console, an initramfs, loadable modules and Rust.
    println!("[kernel] configuring: tinyconfig + module/config.fragment");
    run(&mut make(&["tinyconfig"]))?;
    let fragment = fs::read_to_string(example_dir().join("module/config.fragment"))
        .map_err(io("reading module/config.fragment"))?;
    let config_path = output.join(".config");
    let mut config = fs::read_to_string(&config_path).map_err(io("reading .config"))?;
    config.push_str(&fragment);
    fs::write(&config_path, config).map_err(io("writing .config"))?;
    run(&mut make(&["olddefconfig"]))?;
    // Kconfig silently drops CONFIG_RUST when the toolchain check fails.
    let config = fs::read_to_string(&config_path).map_err(io("reading .config"))?;
    let settings = fragment
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'));
    for line in settings {
        if !config.lines().any(|have| have == line) {
            run(&mut make(&["rustavailable"]))?; // explains what is missing, if it can
            return Err(Error::ConfigDropped(line.to_owned()));
        }
    }
    // ANCHOR_END: configure

    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    run_with_progress(
        &mut make(&[&format!("-j{jobs}")]),
        "[kernel] building",
        Duration::from_secs(15),
    )?;

    // ANCHOR: extmod
    // Keep only what module builds and the boot need; the 2 GB build tree goes.
    println!("[kernel] packaging the external module tree");
    let extmod = dir.join("extmod");
    run(&mut make(&[
        "run-command",
        &format!(
            "KBUILD_RUN_COMMAND=${{srctree}}/scripts/package/install-extmod-build {}",
            extmod.display()
        ),
    ]))?;
    // install-extmod-build copies what C modules need, nothing for Rust: add the
    // compiled crates' metadata, the `module!` proc-macro library and the
    // configuration.
    let rust_out = extmod.join("rust");
    fs::create_dir_all(&rust_out).map_err(io("creating extmod/rust"))?;
    for entry in fs::read_dir(output.join("rust")).map_err(io("listing rust/"))? {
        let path = entry.map_err(io("listing rust/"))?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".rmeta") || name == "libmacros.so" {
            fs::copy(&path, rust_out.join(&name)).map_err(io(format!("copying {name}")))?;
        }
    }
    // ANCHOR_END: extmod
    let copies = [
        (output.join(".config"), extmod.join(".config")),
        // The kernel's own rustfmt settings, which the chapter's modules follow.
        (source.join(".rustfmt.toml"), extmod.join(".rustfmt.toml")),
        // The Rust null block driver, which the chapter quotes from a copy.
        (source.join("drivers/block/rnull.rs"), dir.join("rnull.rs")),
        (output.join("arch/x86/boot/bzImage"), dir.join("bzImage")),
        (output.join("usr/gen_init_cpio"), dir.join("gen_init_cpio")),
    ];
    for (from, to) in copies {
        fs::copy(&from, &to).map_err(io(format!("copying {}", from.display())))?;
    }
    fs::write(dir.join("key.txt"), key).map_err(io("writing the cache key"))?;
    fs::write(dir.join("ready"), "").map_err(io("marking the build ready"))?;
    Ok(())
}
