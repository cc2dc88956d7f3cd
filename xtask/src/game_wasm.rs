//! The game engines chapter's live demo: `bevy-particles` compiled to WebAssembly,
//! with the same steps as the WebAssembly chapter's demo (cargo, wasm-bindgen,
//! wasm-opt), written where mdBook copies it into the rendered chapter
//! (`src/game-engines/pkg/`, not committed).
//!
//! The engine is large (tens of megabytes of code), so two things differ from the
//! filters' build: `wasm-opt` runs at `-O1`, which takes a minute or two where `-Oz`
//! takes several, and its output is cached by the hash of its input, so a build that
//! changed nothing does not optimise again. `cargo xtask wasm-size bevy-particles`
//! measures every level and writes what the chapter shows.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use book_model::pins::BINARYEN;

use crate::base::{cargo, repo_root, step};
use crate::tools;

const PACKAGE: &str = "bevy-particles";
/// The `wasm-opt` level of the page's module: `-O1` keeps most of `-Oz`'s saving
/// after compression for a fraction of its time (the table in the chapter).
const PAGE_LEVEL: &str = "-O1";

pub fn build_demo() -> Result<()> {
    step(
        "build the Bevy demo for the web (cargo build, wasm-bindgen, wasm-opt -O1; \
         minutes the first time)",
        || {
            let out = repo_root().join("src/game-engines/pkg");
            let glued = bindgen(&build_module()?, &out)?;
            optimise_cached(PAGE_LEVEL, &glued).map(|_| ())
        },
    )
}

/// `cargo rustc --crate-type cdylib`: the library as a WebAssembly module, without
/// making every native build of the crate link a shared library too. The engine takes
/// minutes to build, so its target folder is in the cache outside the repository,
/// where every clone on this machine finds it.
fn build_module() -> Result<PathBuf> {
    let target_dir = crate::base::cache_dir().join("wasm-target");
    crate::base::run_quietly(
        cargo(&[
            "rustc",
            "--quiet",
            "--locked",
            "--package",
            PACKAGE,
            "--lib",
            "--crate-type",
            "cdylib",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    Ok(target_dir.join("wasm32-unknown-unknown/release/bevy_particles.wasm"))
}

/// `wasm-bindgen --target web` into `out`; returns the module it wrote.
fn bindgen(module: &Path, out: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(out)?;
    crate::base::run_quietly(
        Command::new(tools::binary("wasm-bindgen-cli")?)
            .arg(module)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out),
    )?;
    Ok(out.join("bevy_particles_bg.wasm"))
}

/// Optimises `module` in place at `level`, or copies the result of an earlier run on
/// the same bytes from the cache (outside the repository, keyed by binaryen's
/// version, the level and the module's hash). Returns how long the optimiser took,
/// now or when it ran.
fn optimise_cached(level: &str, module: &Path) -> Result<Duration> {
    let bytes = std::fs::read(module).with_context(|| format!("reading {}", module.display()))?;
    let mut hasher = DefaultHasher::new();
    (BINARYEN, level, &bytes).hash(&mut hasher);
    let folder = crate::base::cache_dir().join("wasm-opt");
    let prefix = format!("{}-", level.trim_start_matches('-'));
    let cached = folder.join(format!("{prefix}{:016x}.wasm", hasher.finish()));
    let timing = cached.with_extension("seconds");
    if !cached.is_file() {
        std::fs::create_dir_all(&folder)?;
        // One module per level is kept: the cache would otherwise grow by tens of
        // megabytes with every change to the game.
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with(&prefix) {
                std::fs::remove_file(&path)?;
            }
        }
        // Written under a temporary name and renamed, so an interrupted run never
        // leaves a half-written module in the cache.
        let partial = cached.with_extension("partial");
        let started = Instant::now();
        crate::tools::optimise_wasm(level, module, &partial)?;
        std::fs::write(&timing, started.elapsed().as_secs_f64().to_string())?;
        std::fs::rename(&partial, &cached)?;
    }
    std::fs::copy(&cached, module)?;
    let seconds = std::fs::read_to_string(&timing).unwrap_or_default();
    Ok(Duration::from_secs_f64(
        seconds.trim().parse().unwrap_or(0.0),
    ))
}

/// `cargo xtask wasm-size bevy-particles`: the module's size after each step and at
/// each `wasm-opt` level, and which crates its code comes from, written to
/// `examples/bevy-particles/results/wasm-size.md` (minutes: `-Oz` is slow).
pub fn write_sizes() -> Result<()> {
    let scratch = repo_root().join("target/book-wasm/game-sizes");
    let built = build_module()?;
    let glued = bindgen(&built, &scratch)?;
    let mut rows = vec![
        (
            "cargo build --release (wasm32-unknown-unknown)".to_owned(),
            size(&built)?,
        ),
        ("after wasm-bindgen".to_owned(), size(&glued)?),
    ];
    let glued_gzip = crate::base::gzipped(&glued)?;
    let mut levels = Vec::new();
    for level in ["-O1", "-Oz"] {
        let optimised = scratch.join(format!("opt{level}.wasm"));
        std::fs::copy(&glued, &optimised)?;
        let took = step(
            &format!("wasm-opt {level} (minutes, unless cached)"),
            || optimise_cached(level, &optimised),
        )?;
        rows.push((format!("after wasm-opt {level}"), size(&optimised)?));
        levels.push((level, crate::base::gzipped(&optimised)?, took.as_secs()));
    }
    let mut md = String::from("| Step | Bytes | Gzipped (-9) |\n|---|---:|---:|\n");
    for (index, (name, bytes)) in rows.iter().enumerate() {
        let gzip = match index {
            0 => String::from("–"),
            1 => crate::base::thousands(glued_gzip),
            _ => crate::base::thousands(levels[index - 2].1),
        };
        writeln!(
            md,
            "| {name} | {} | {gzip} |",
            crate::base::thousands(*bytes)
        )?;
    }
    writeln!(md)?;
    for (level, _, seconds) in &levels {
        writeln!(md, "`wasm-opt {level}` took {seconds} s on this machine.")?;
    }
    writeln!(
        md,
        "\n| Crate | Code bytes (after wasm-bindgen) | Share | Comes with |\n|---|---:|---:|---|"
    )?;
    let by_crate = code_bytes_by_crate(&std::fs::read(&glued)?)?;
    let total: u64 = by_crate.values().sum();
    let mut ranked: Vec<_> = by_crate.into_iter().collect();
    ranked.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    for (krate, bytes) in ranked.iter().take(15) {
        writeln!(
            md,
            "| `{krate}` | {} | {:.1}% | {} |",
            crate::base::thousands(*bytes),
            100.0 * *bytes as f64 / total as f64,
            feature_of(krate, true)
        )?;
    }
    let rest: u64 = ranked.iter().skip(15).map(|(_, bytes)| bytes).sum();
    writeln!(
        md,
        "| {} other crates | {} | {:.1}% | |",
        ranked.len().saturating_sub(15),
        crate::base::thousands(rest),
        100.0 * rest as f64 / total as f64
    )?;
    // The same bytes by what brings them in: the answer to "which feature costs most".
    let mut by_feature: BTreeMap<&str, u64> = BTreeMap::new();
    for (krate, bytes) in &ranked {
        *by_feature.entry(feature_of(krate, true)).or_insert(0) += bytes;
    }
    let mut features: Vec<_> = by_feature.into_iter().collect();
    features.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    writeln!(md, "\n| Comes with | Code bytes | Share |\n|---|---:|---:|")?;
    for (feature, bytes) in features {
        writeln!(
            md,
            "| {feature} | {} | {:.1}% |",
            crate::base::thousands(bytes),
            100.0 * bytes as f64 / total as f64
        )?;
    }
    writeln!(
        md,
        "\n*{}; {}; {}; binaryen {BINARYEN}.*",
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()),
        crate::base::cpu_description(),
        crate::base::command_version("rustc", &["--version"]),
    )?;
    let out = repo_root().join("examples/bevy-particles/results/wasm-size.md");
    std::fs::create_dir_all(out.parent().context("a results folder")?)?;
    std::fs::write(&out, &md)?;
    print!("{md}");
    println!("wrote {}", out.strip_prefix(repo_root())?.display());
    Ok(())
}

/// The size of each function's code, summed by the crate its name starts with (from
/// the module's `name` section, which wasm-bindgen keeps and wasm-opt removes).
/// Generic code is counted for the first crate named that is not the standard
/// library's: `core::ptr::drop_in_place<bevy_ecs::World>` counts for `bevy_ecs`.
fn code_bytes_by_crate(module: &[u8]) -> Result<BTreeMap<String, u64>> {
    use wasmparser::{Name, Parser, Payload};
    let mut imported = 0;
    let mut bodies = Vec::new();
    let mut names = BTreeMap::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len() as u64),
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for subsection in reader {
                        if let Name::Function(map) = subsection? {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, naming.name.to_owned());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if names.is_empty() {
        bail!("the module has no name section to attribute its code with");
    }
    let crate_name = crate_name_pattern()?;
    let mut by_crate = BTreeMap::new();
    for (index, bytes) in bodies.into_iter().enumerate() {
        let name = names
            .get(&(imported + index as u32))
            .map(String::as_str)
            .unwrap_or("");
        *by_crate.entry(crate_of(&crate_name, name)).or_insert(0) += bytes;
    }
    Ok(by_crate)
}

/// A crate's name starts a path: at the start of the name, or after `<`, `&`, a space
/// or a comma, never after `::` (`core::ops` is not a crate `ops`). Since Rust 1.97
/// symbols use the v0 mangling scheme, whose demangled names carry each crate's
/// disambiguator in brackets: `bevy_ecs[1a2b3c4d5e6f7a8b]::world::World`.
fn crate_name_pattern() -> Result<regex::Regex> {
    Ok(regex::Regex::new(
        r"(?:^|[^A-Za-z0-9_:])([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::",
    )?)
}

/// The crate a function's code is counted for: the first crate its name mentions
/// that is not the standard library's, else the standard library's.
fn crate_of(pattern: &regex::Regex, name: &str) -> String {
    pattern
        .captures_iter(name)
        .map(|found| found[1].to_owned())
        .find(|krate| !matches!(krate.as_str(), "core" | "alloc" | "std"))
        .or_else(|| pattern.captures(name).map(|found| found[1].to_owned()))
        .unwrap_or_else(|| String::from("(no crate: runtime and glue)"))
}

/// Which of the example's Bevy features, or which part of Bevy, brings a crate in
/// (`web`: in the WebAssembly build, where rendering goes through WebGL2).
pub(crate) fn feature_of(krate: &str, web: bool) -> &'static str {
    match krate.replace('-', "_").as_str() {
        "wgpu" | "wgpu_core" | "wgpu_hal" | "wgpu_types" | "naga" | "glow" | "bevy_render"
        | "bevy_shader" | "bevy_mesh" | "bevy_image" | "bevy_material" | "bevy_camera"
        | "encase" | "ash" | "gpu_alloc" | "gpu_descriptor" | "spirv" | "khronos_egl" | "image"
        | "moxcms" | "pxfm" => {
            if web {
                "`bevy_render`, `webgl2`: the renderer, wgpu and naga"
            } else {
                "`bevy_render`: the renderer, wgpu and naga"
            }
        }
        "bevy_core_pipeline" => "`bevy_core_pipeline`",
        "bevy_sprite" | "bevy_sprite_render" | "bevy_text" => "`bevy_sprite`, `bevy_sprite_render`",
        "winit" | "bevy_winit" | "accesskit" | "accesskit_winit" | "bevy_a11y" => "`bevy_winit`",
        "x11_dl" | "x11rb" | "x11rb_protocol" | "xkbcommon_dl" | "xcursor" => "`x11`",
        "png" | "fdeflate" | "zune_inflate" | "zune_core" => "`png`",
        "bevy_window" => "`bevy_window`",
        "bevy_reflect" | "bevy_reflect_derive" | "erased_serde" | "serde" | "serde_derive" => {
            "reflection (always on)"
        }
        "tracing" | "tracing_core" | "tracing_subscriber" | "tracing_wasm" | "tracing_log"
        | "regex" | "regex_automata" | "regex_syntax" | "bevy_log" => "logging (always on)",
        "ecs_sim" | "bevy_particles" => "this book's code",
        "clap" | "clap_builder" | "clap_derive" | "clap_lex" | "ctrlc" | "anyhow" | "nix" => {
            "the example's command line"
        }
        "syn" | "quote" | "proc_macro2" | "unicode_ident" => "macros (syn, quote)",
        "std" | "core" | "alloc" | "dlmalloc" | "hashbrown" => "the standard library",
        "wasm_bindgen" | "js_sys" | "web_sys" => "`web`: JavaScript bindings",
        _ => "Bevy's core (always on)",
    }
}

fn size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_counted_for_the_crate_its_name_starts_with() -> Result<()> {
        let pattern = crate_name_pattern()?;
        for (name, krate) in [
            // Legacy mangling, as Rust 1.96 and earlier named symbols.
            ("bevy_ecs::world::World::spawn", "bevy_ecs"),
            (
                "core::ptr::drop_in_place<bevy_ecs::world::World>",
                "bevy_ecs",
            ),
            // v0 mangling, the default since Rust 1.97.
            (
                "<winit[116cc723120cced1]::platform_impl::web::Engine>::user_agent",
                "winit",
            ),
            (
                "core[7b4e0d1c2a3f5e6d]::ptr::drop_in_place::<bevy_ecs[1a2b3c4d5e6f7a8b]::world::World>",
                "bevy_ecs",
            ),
            ("alloc[0f1e2d3c4b5a6978]::raw_vec::finish_grow", "alloc"),
            ("__wbindgen_malloc", "(no crate: runtime and glue)"),
        ] {
            assert_eq!(crate_of(&pattern, name), krate, "{name}");
        }
        Ok(())
    }
}
