//! The WebAssembly chapter's filters in C, AssemblyScript and Go beside Rust's
//! (`examples/wasm-image/languages/`): each built with its ecosystem's usual release
//! settings, checked to give Rust's bytes, and measured in Node.js.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::base::{
    command_version, cpu_description, gzipped, repo_root, run_command, step, thousands,
};
use crate::{tools, wasm};

/// Where `examples/wasm-image/languages/` is.
fn sources() -> PathBuf {
    repo_root().join("examples/wasm-image/languages")
}

/// clang's options for the C filters: the usual release settings, SIMD on as Rust has
/// it, and no C library. The chapter's table shows them as they are used.
const CLANG: [&str; 6] = [
    "--target=wasm32",
    "-O3",
    "-msimd128",
    "-mbulk-memory",
    "-nostdlib",
    "-Wl,--no-entry",
];

/// AssemblyScript's release settings: the smallest runtime (memory is never freed),
/// full optimisation, no run-time assertions.
const ASC: [&str; 4] = ["--runtime", "stub", "-O3", "--noAssert"];

/// One language: its folder under `languages/` (and under the build folder), its
/// source file, and its JavaScript glue if it needs one.
struct Language {
    name: &'static str,
    folder: &'static str,
    source: &'static str,
    glue: Option<&'static str>,
}

/// How each language is built, as the chapter's table shows it.
fn built_with(language: &Language) -> String {
    match language.folder {
        "rust" => "`cargo build --release --target wasm32-unknown-unknown` with `simd128`, \
                   `wasm-bindgen --target web`, `wasm-opt -O3`"
            .to_owned(),
        "c" => format!("`clang-16 {}`", CLANG.join(" ")),
        "assemblyscript" => format!("`asc {}`", ASC.join(" ")),
        _ => "`GOOS=js GOARCH=wasm go build`".to_owned(),
    }
}

const LANGUAGES: [Language; 4] = [
    Language {
        name: "Rust",
        folder: "rust",
        source: "examples/wasm-image/src/filters.rs",
        glue: Some("wasm_image.js"),
    },
    Language {
        name: "C",
        folder: "c",
        source: "examples/wasm-image/languages/c/filters.c",
        glue: None,
    },
    Language {
        name: "AssemblyScript",
        folder: "assemblyscript",
        source: "examples/wasm-image/languages/assemblyscript/filters.ts",
        glue: None,
    },
    Language {
        name: "Go",
        folder: "go",
        source: "examples/wasm-image/languages/go/filters.go",
        glue: Some("wasm_exec.js"),
    },
];

/// Builds every language's module into `target/wasm-languages/LANGUAGE/`, with the
/// glue it needs; returns that folder.
fn build() -> Result<PathBuf> {
    let out = repo_root().join("target/wasm-languages");
    for language in &LANGUAGES {
        fs::create_dir_all(out.join(language.folder))?;
    }
    wasm::build_demo()?;
    let demo = repo_root().join("src/webassembly/pkg");
    for file in ["wasm_image.js", "wasm_image_bg.wasm"] {
        fs::copy(demo.join(file), out.join("rust").join(file))?;
    }
    step("build the module with the SHA-256 export (sha2)", || {
        wasm::build_digest_module(&out.join("rust-sha256"))
    })?;
    step("build the filters in C (clang-16, wasm-ld-16)", || {
        run_command(
            Command::new("clang-16")
                .args(CLANG)
                .args(["-Wall", "-Wextra", "-Werror"])
                .arg("-o")
                .arg(out.join("c/filters.wasm"))
                .arg(sources().join("c/filters.c")),
        )
    })?;
    step("build the filters in AssemblyScript (asc)", || {
        run_command(
            Command::new(tools::asc()?)
                .arg(sources().join("assemblyscript/filters.ts"))
                .args(ASC)
                .arg("--outFile")
                .arg(out.join("assemblyscript/filters.wasm")),
        )
    })?;
    step("build the filters in Go (GOOS=js GOARCH=wasm)", || {
        // In the module's folder, where its go.mod is.
        run_command(
            Command::new("go")
                .args(["build", "-o"])
                .arg(out.join("go/filters.wasm"))
                .current_dir(sources().join("go"))
                .env("GOOS", "js")
                .env("GOARCH", "wasm"),
        )?;
        // Go's loader for JavaScript hosts, from the Go installation that built it.
        let goroot = Command::new("go").args(["env", "GOROOT"]).output()?;
        let goroot = PathBuf::from(String::from_utf8(goroot.stdout)?.trim());
        fs::copy(
            goroot.join("misc/wasm/wasm_exec.js"),
            out.join("go/wasm_exec.js"),
        )?;
        Ok(())
    })?;
    Ok(out)
}

/// `node compare.mjs MODE OUT ARGS...` in `languages/`.
fn compare(mode: &str, out: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("node");
    command
        .arg(sources().join("compare.mjs"))
        .arg(mode)
        .arg(out)
        .args(args);
    command
}

/// CI: every language's filters give Rust's bytes on the same picture.
pub fn check() -> Result<()> {
    let out = build()?;
    step("every language gives Rust's bytes (Node.js)", || {
        run_command(&mut compare("check", &out, &[]))
    })
}

#[derive(Deserialize)]
struct Timing {
    language: String,
    filter: String,
    median_ms: f64,
}

/// The table of `examples/wasm-image/results/languages.md`: time per filter in
/// Node.js, module sizes, glue and lines of source, for every language.
pub fn report() -> Result<()> {
    let out = build()?;
    let printed = step(
        "time the filters in every language (Node.js, 2048×2048)",
        || {
            let output = compare("bench", &out, &["15"])
                .output()
                .context("running node")?;
            if !output.status.success() {
                bail!("{}", String::from_utf8_lossy(&output.stderr));
            }
            Ok(String::from_utf8(output.stdout)?)
        },
    )?;
    let timings: Vec<Timing> = printed
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let time = |language: &str, filter: &str| -> Result<String> {
        timings
            .iter()
            .find(|t| t.language == language && t.filter == filter)
            .map(|t| format!("{:.1} ms", t.median_ms))
            .with_context(|| format!("no timing for {language} {filter}"))
    };
    let mut md = String::from(
        "| Language | `grayscale` | `box_blur` | `sobel` | Module | After `wasm-opt -O3` | \
         Gzipped | JavaScript glue | Lines |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for language in &LANGUAGES {
        let folder = out.join(language.folder);
        let module = if language.folder == "rust" {
            folder.join("wasm_image_bg.wasm")
        } else {
            folder.join("filters.wasm")
        };
        let optimised = folder.join("optimised.wasm");
        // The features every current engine has, named: AssemblyScript's module does
        // not list the ones it uses, as rustc's and clang's do.
        crate::base::run_quietly(
            Command::new(tools::wasm_opt()?)
                .args([
                    "-O3",
                    "--enable-bulk-memory",
                    "--enable-simd",
                    "--enable-sign-ext",
                ])
                .args([
                    "--enable-mutable-globals",
                    "--enable-nontrapping-float-to-int",
                ])
                .arg(&module)
                .arg("-o")
                .arg(&optimised),
        )?;
        let glue = match language.glue {
            Some(file) => thousands(fs::metadata(folder.join(file))?.len()),
            None => "none".to_owned(),
        };
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {glue} | {} |",
            language.name,
            time(language.name, "grayscale")?,
            time(language.name, "box_blur")?,
            time(language.name, "sobel")?,
            thousands(fs::metadata(&module)?.len()),
            thousands(fs::metadata(&optimised)?.len()),
            thousands(gzipped(&optimised)?),
            lines_of_code(&repo_root().join(language.source))?,
        )?;
    }
    md.push_str("\n| SHA-256 of 64 MiB | Median |\n|---|---:|\n");
    for timing in timings.iter().filter(|t| t.filter == "sha256") {
        writeln!(md, "| {} | {:.1} ms |", timing.language, timing.median_ms)?;
    }
    md.push_str("\n| Language | Built with |\n|---|---|\n");
    for language in &LANGUAGES {
        writeln!(md, "| {} | {} |", language.name, built_with(language))?;
    }
    writeln!(
        md,
        "\n*Median of 15 runs after one warm-up, 2048×2048 pixels, in Node.js; Go's times \
         include copying the picture in and out, which its WebAssembly needs. Sizes in bytes; \
         Rust's module is the page's demo, with its `Picture` type and error messages. Lines: \
         non-blank lines that are not only a comment (Rust's file also validates sizes). \
         Measured on {} with `cargo xtask bench-report wasm-image`: {}; {}; Node.js {}; {}; \
         AssemblyScript {}; {}; OpenSSL {} under Node.js's `crypto.subtle`.*",
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()),
        cpu_description(),
        command_version("rustc", &["--version"]),
        command_version("node", &["--version"]),
        command_version("clang-16", &["--version"]),
        book_model::pins::ASSEMBLYSCRIPT,
        command_version("go", &["version"]),
        command_version("node", &["-p", "process.versions.openssl"]),
    )?;
    let path = repo_root().join("examples/wasm-image/results/languages.md");
    fs::write(&path, md)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Non-blank lines that are not only a comment (`//`), before a Rust file's tests.
fn lines_of_code(path: &Path) -> Result<usize> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    Ok(code
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count())
}
