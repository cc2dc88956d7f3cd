//! `cargo xtask bench-report NAME`: runs an example's criterion benchmarks and writes
//! the table the book shows, with the machine and the date, to
//! `examples/NAME/results/bench.md`. Two are measured where they run instead:
//! `wasm-image` in a browser, `null-block` (the kernel chapter's block drivers) in a
//! guest, and `bevy-particles` natively and in the chapter's page.
//!
//! Benchmark numbers are never typed into a page: they are measured here, committed
//! with their context, and included with `{{#include}}`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use walkdir::WalkDir;

use crate::base::{
    cargo, command_version, cpu_description, repo_root, run_command, step, target_dir,
};

struct Measurement {
    /// The group and, if any, the parameter (for example "physics tick, 10000").
    benchmark: String,
    function: String,
    median_ns: f64,
    /// Elements processed per iteration, when the benchmark declares a throughput.
    elements: Option<f64>,
}

pub fn report(example: &str) -> Result<()> {
    if example == "wasm-image" {
        browser_report()?;
        // The same filters in C, AssemblyScript and Go (results/languages.md).
        return crate::languages::report();
    }
    if example == "null-block" {
        return null_block_report();
    }
    if example == "bevy-particles" {
        return game_report();
    }
    let root = repo_root();
    if !root.join("examples").join(example).join("benches").is_dir() {
        bail!("examples/{example}/benches does not exist");
    }
    let target = target_dir();
    let started = SystemTime::now();
    step(
        &format!("cargo bench -p {example} (minutes: criterion samples each case)"),
        || run_command(&mut cargo(&["bench", "--package", example, "--locked"])),
    )?;

    let mut results = read_estimates(&target.join("criterion"), started)?;
    if results.is_empty() {
        bail!("criterion wrote no estimates under {}", target.display());
    }
    results.sort_by(|a, b| {
        (&a.benchmark, a.median_ns)
            .partial_cmp(&(&b.benchmark, b.median_ns))
            .expect("medians are numbers")
    });

    let out = root.join("examples").join(example).join("results/bench.md");
    std::fs::create_dir_all(out.parent().unwrap())?;
    std::fs::write(&out, render(example, &results)?)?;
    println!("wrote {}", out.strip_prefix(&root)?.display());
    Ok(())
}

/// The WebAssembly filters are timed where they run, in a browser: the book's browser
/// test has an ignored benchmark that drives the chapter's demo in headless Chromium
/// and times the same filters natively (in release mode) for reference.
fn browser_report() -> Result<()> {
    step(
        "benchmark the WebAssembly demo in headless Chromium (a minute or two)",
        || {
            // The test writes the table; the footer's context comes from here, so that
            // it reads like every other benchmark table in the book.
            let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
            let context = format!(
                "{}; {}; headless {}",
                cpu_description(),
                command_version("rustc", &["--version"]),
                command_version("chromium", &["--version"]),
            );
            run_command(
                browser_benchmark("wasm_benchmark")?
                    .env("BENCH_DATE", date)
                    .env("BENCH_CONTEXT", context),
            )
        },
    )
}

/// `cargo test` of one of the ignored benchmarks in `tests/browser`, in release mode,
/// with the built book handed over.
fn browser_benchmark(test: &str) -> Result<Command> {
    let mut command = cargo(&[
        "test",
        "--release",
        "--locked",
        "--package",
        "rust-in-2026",
        "--test",
        "browser",
        "--",
        "--ignored",
        "--exact",
        test,
        "--nocapture",
    ]);
    crate::book::hand_to_browser_test(&mut command)?;
    Ok(command)
}

/// The null block drivers are timed inside the kernel chapter's guest: the example
/// writes the table, and the footer here says on what machine and when.
fn null_block_report() -> Result<()> {
    let out = repo_root().join("examples/kernel-module/results/null-block.md");
    std::fs::create_dir_all(out.parent().context("a results folder")?)?;
    step(
        "rnull against null_blk in the kernel chapter's guest (a minute or two)",
        || {
            let table = out.display().to_string();
            run_command(&mut cargo(&[
                "run",
                "--release",
                "--locked",
                "--example",
                "null-block",
                "--",
                "--rounds",
                "7",
                "--table",
                &table,
            ]))
        },
    )?;
    let date = humantime::format_rfc3339_seconds(SystemTime::now());
    let mut text = std::fs::read_to_string(&out)?;
    writeln!(
        text,
        "
*{date}; host: {}; {}; {}.*",
        cpu_description(),
        command_version("qemu-system-x86_64", &["--version"]),
        command_version("rustc", &["--version"]),
    )?;
    std::fs::write(&out, text)?;
    println!("wrote {}", out.strip_prefix(repo_root())?.display());
    Ok(())
}

/// The game engines chapter's frame times: offscreen with criterion (lavapipe where
/// there is no GPU), then in the chapter's page in headless Chromium (WebGL2, drawn by
/// SwiftShader on the CPU), at the same particle counts.
fn game_report() -> Result<()> {
    const COUNTS: [u64; 3] = [300, 3_000, 10_000];
    let target = target_dir();
    let started = SystemTime::now();
    step(
        "frame time offscreen (cargo bench -p bevy-particles; minutes)",
        || {
            run_command(&mut cargo(&[
                "bench",
                "--package",
                "bevy-particles",
                "--bench",
                "frame_time",
                "--locked",
            ]))
        },
    )?;
    let native = read_estimates(&target.join("criterion"), started)?;
    let page_json = target.join("game-bench.json");
    let counts = COUNTS.map(|count| count.to_string()).join(",");
    step(
        "frame time in the page (headless Chromium; a minute)",
        || {
            run_command(
                browser_benchmark("game_benchmark")?
                    .env("GAME_BENCH_OUT", &page_json)
                    .env("GAME_BENCH_COUNTS", &counts),
            )
        },
    )?;
    let page: Value = serde_json::from_str(&std::fs::read_to_string(&page_json)?)?;
    let mut md = String::from(
        "| Particles | Native, offscreen: median frame time | Page: frames per second | \
         Page: mean time between frames | Page: the engine's code per frame (median) |\n\
         |---:|---:|---:|---:|---:|\n",
    );
    for count in COUNTS {
        let offscreen = native
            .iter()
            .find(|row| row.benchmark == format!("frame offscreen, {count}"))
            .with_context(|| format!("criterion measured no frame for {count} particles"))?;
        let in_page = page
            .as_array()
            .and_then(|rows| rows.iter().find(|row| row["particles"] == count))
            .with_context(|| format!("the page measured nothing for {count} particles"))?;
        let number = |key: &str| in_page[key].as_f64().unwrap_or(f64::NAN);
        writeln!(
            md,
            "| {count} | {} | {:.1} | {:.1} ms | {:.1} ms |",
            human_time(offscreen.median_ns),
            number("frames_per_second"),
            number("frame_interval_ms"),
            number("engine_ms"),
        )?;
    }
    writeln!(
        md,
        "\n*Measured on {} with `cargo xtask bench-report bevy-particles`: {}; {}; \
         offscreen on {}; headless {}.*",
        humantime::format_rfc3339_seconds(SystemTime::now()),
        cpu_description(),
        command_version("rustc", &["--version"]),
        vulkan_device(),
        command_version("chromium", &["--version"]),
    )?;
    let out = repo_root().join("examples/bevy-particles/results/bench.md");
    std::fs::create_dir_all(out.parent().context("a results folder")?)?;
    std::fs::write(&out, md)?;
    println!("wrote {}", out.strip_prefix(repo_root())?.display());
    Ok(())
}

/// The Vulkan device the offscreen frames were drawn on, as the example reports it
/// (a debug build, which the tests have built already: a release build of the example
/// would compile the engine once more).
fn vulkan_device() -> String {
    let output = cargo(&[
        "run",
        "--quiet",
        "--example",
        "bevy-particles",
        "--",
        "--adapter",
    ])
    .current_dir(repo_root())
    .output();
    output
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|| "an unknown Vulkan device".to_owned())
}

/// Reads every `new/estimates.json` criterion wrote since `since`.
fn read_estimates(criterion: &Path, since: SystemTime) -> Result<Vec<Measurement>> {
    let mut results = Vec::new();
    for entry in WalkDir::new(criterion) {
        let entry = entry?;
        let path = entry.path();
        let in_new = path.parent().is_some_and(|dir| dir.ends_with("new"));
        if !(in_new
            && path
                .file_name()
                .is_some_and(|name| name == "estimates.json"))
        {
            continue;
        }
        if entry.metadata()?.modified()? < since {
            continue; // left over from an earlier run
        }
        let read = |file: &Path| -> Result<Value> {
            Ok(serde_json::from_str(&std::fs::read_to_string(file)?)?)
        };
        let estimates = read(path)?;
        let benchmark = read(&path.with_file_name("benchmark.json"))?;
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let mut name = text(&benchmark["group_id"]);
        if let Some(parameter) = benchmark["value_str"].as_str() {
            name = format!("{name}, {parameter}");
        }
        results.push(Measurement {
            benchmark: name,
            function: text(&benchmark["function_id"]),
            elements: benchmark["throughput"]["Elements"].as_f64(),
            median_ns: estimates["median"]["point_estimate"]
                .as_f64()
                .context("estimates.json without a median")?,
        });
    }
    Ok(results)
}

fn render(example: &str, results: &[Measurement]) -> Result<String> {
    let mut md = String::new();
    let with_throughput = results.iter().any(|row| row.elements.is_some());
    write!(
        md,
        "| Benchmark | Implementation | Median time | Relative to fastest |"
    )?;
    writeln!(md, "{}", if with_throughput { " Per second |" } else { "" })?;
    writeln!(
        md,
        "|---|---|---:|---:|{}",
        if with_throughput { "---:|" } else { "" }
    )?;
    for row in results {
        let fastest = results
            .iter()
            .filter(|other| other.benchmark == row.benchmark)
            .map(|other| other.median_ns)
            .fold(f64::INFINITY, f64::min);
        write!(
            md,
            "| {} | `{}` | {} | {:.2}× |",
            row.benchmark,
            row.function,
            human_time(row.median_ns),
            row.median_ns / fastest
        )?;
        match row.elements {
            Some(elements) => writeln!(md, " {} |", human_rate(elements / (row.median_ns / 1e9)))?,
            None if with_throughput => writeln!(md, " |")?,
            None => writeln!(md)?,
        }
    }
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    writeln!(
        md,
        "\n*Measured on {date} with `cargo xtask bench-report {example}`: {}; {}; {}.*",
        cpu_description(),
        command_version("rustc", &["--version"]),
        command_version("cc", &["--version"]),
    )?;
    Ok(md)
}

fn human_time(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.1} ns"),
    }
}

fn human_rate(per_second: f64) -> String {
    match per_second {
        rate if rate >= 1e9 => format!("{:.2} G", rate / 1e9),
        rate if rate >= 1e6 => format!("{:.1} M", rate / 1e6),
        rate if rate >= 1e3 => format!("{:.1} k", rate / 1e3),
        rate => format!("{rate:.0}"),
    }
}

/// `cargo xtask build-cost bevy-particles`: which parts of the engine cost the most
/// build time. One cold debug build of the example with `--timings`, each crate's
/// compile time summed by what brings the crate in (the same grouping as the wasm
/// size report). Writes `examples/bevy-particles/results/build-time.md`.
pub fn feature_build_cost() -> Result<()> {
    let scratch =
        crate::scratch::RemoveOnDrop::new(std::env::temp_dir().join("build-cost-bevy-features"))?;
    let started = std::time::Instant::now();
    step(
        "cold debug build of bevy-particles with --timings (minutes)",
        || {
            // As `cargo run --example` builds it: no `--package` (see `build_cost`).
            let mut command = cargo(&["build", "--locked", "--quiet", "--timings"]);
            command
                .args(["--example", "bevy-particles"])
                .env("CARGO_TARGET_DIR", scratch.path());
            run_command(&mut command)
        },
    )?;
    let wall = started.elapsed().as_secs_f64();
    let report = scratch.path().join("cargo-timings/cargo-timing.html");
    let html = std::fs::read_to_string(&report)
        .with_context(|| format!("reading {}", report.display()))?;
    let data = regex::Regex::new(r"(?s)const UNIT_DATA = (\[.*?\]);")?
        .captures(&html)
        .context("no UNIT_DATA in cargo's timing report")?;
    let units: Vec<Value> = serde_json::from_str(&data[1])?;
    let mut by_feature: std::collections::BTreeMap<&str, f64> = Default::default();
    for unit in &units {
        let name = unit["name"].as_str().unwrap_or_default();
        let seconds = unit["duration"].as_f64().unwrap_or(0.0);
        *by_feature
            .entry(crate::game_wasm::feature_of(name, false))
            .or_insert(0.0) += seconds;
    }
    let total: f64 = by_feature.values().sum();
    let mut rows: Vec<_> = by_feature.into_iter().collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut md = String::from("| Comes with | Compile time | Share |\n|---|---:|---:|\n");
    for (feature, seconds) in rows {
        writeln!(
            md,
            "| {feature} | {seconds:.0} s | {:.1}% |",
            100.0 * seconds / total
        )?;
    }
    writeln!(
        md,
        "\n*{} units compiled in {total:.0} s of compile time (summed over crates; 2 at a \
         time), {wall:.0} s on the clock. Measured on {} with `cargo xtask build-cost \
         bevy-particles`: a debug build of the example into an empty target folder, the \
         crates already downloaded; {}; {}.*",
        units.len(),
        &humantime::format_rfc3339_seconds(SystemTime::now()).to_string()[..10],
        cpu_description(),
        command_version("rustc", &["--version"]),
    )?;
    let out = repo_root().join("examples/bevy-particles/results/build-time.md");
    std::fs::write(&out, &md)?;
    print!("{md}");
    println!("wrote {}", out.strip_prefix(repo_root())?.display());
    Ok(())
}

/// `cargo xtask build-cost`: how long `cargo run --example NAME` takes to build each
/// example from nothing, and the disk its target folder then uses, on this machine.
/// Writes `examples/build-cost.md`, which Appendix B includes. Slow (minutes): every
/// example is built alone into an empty scratch target folder.
pub fn build_cost() -> Result<()> {
    let root = repo_root();
    let crates: Vec<String> = book_model::crates::Workspace::read(&root)?
        .examples()
        .map(|krate| krate.name.clone())
        .collect();
    let mut md = String::from("| Example | Cold build | Target folder |\n|---|---:|---:|\n");
    for name in &crates {
        let scratch = crate::scratch::RemoveOnDrop::new(
            std::env::temp_dir().join(format!("build-cost-{name}")),
        )?;
        let started = std::time::Instant::now();
        // Exactly what `cargo run --example NAME` builds: without `--package`, so the
        // dependencies get the features of the whole workspace (every member is a
        // default member), as they do for a reader.
        let mut command = cargo(&["build", "--locked", "--quiet", "--example", name]);
        command.env("CARGO_TARGET_DIR", scratch.path());
        crate::base::run_command(&mut command)?;
        let seconds = started.elapsed().as_secs_f64();
        let bytes = walkdir::WalkDir::new(scratch.path())
            .into_iter()
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| entry.metadata().ok())
            .filter(|metadata| metadata.is_file())
            .map(|metadata| metadata.len())
            .sum::<u64>();
        writeln!(
            md,
            "| `{name}` | {seconds:.0} s | {:.0} MiB |",
            bytes as f64 / (1024.0 * 1024.0)
        )?;
        println!("{name}: {seconds:.0} s, {} MiB", bytes / (1024 * 1024));
    }
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    writeln!(
        md,
        "\n*Measured on {} with `cargo xtask build-cost`: each example built alone, as \
         `cargo run --example NAME` builds it (debug), into an empty target folder, with \
         the crates already downloaded; {}; {}.*",
        &date[..10],
        cpu_description(),
        command_version("rustc", &["--version"]),
    )?;
    let path = root.join("examples/build-cost.md");
    std::fs::write(&path, &md)?;
    println!("wrote {}", path.display());
    Ok(())
}
