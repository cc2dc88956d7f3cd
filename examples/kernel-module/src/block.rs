//! The machinery behind `cargo run --example null-block`: Linux's two null block
//! drivers, the C `null_blk` and its Rust port `rnull`, in one guest. The guest
//! reports the kernel's own Rust tests (KUnit), shows both devices, then times 4 KiB
//! reads on each with `guest/blkbench.rs`, round after round, interleaved.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::guest::{self, Accelerator};
use crate::kernel::KernelBuild;
use crate::process::run;
use crate::scratch::ScratchDir;
use crate::{Error, Result, example_dir};

// ANCHOR: parameters
/// `null_blk`'s parameters, on the kernel command line because the driver is built in.
/// They make it do what `rnull` does, which has no parameters: one device, blk-mq,
/// 4 KiB blocks, 4 GiB, one submission queue 256 deep and no polling queue, and each
/// request completed at once in the submitting context (no interrupt or timer
/// emulation, no delay).
pub const NULL_BLK_PARAMETERS: &str = "null_blk.nr_devices=1 null_blk.queue_mode=2 \
     null_blk.bs=4096 null_blk.gb=4 null_blk.submit_queues=1 null_blk.poll_queues=0 \
     null_blk.hw_queue_depth=256 null_blk.irqmode=0 null_blk.completion_nsec=0";
// ANCHOR_END: parameters

/// The two devices: the Rust driver's first, as the guest names them.
pub const DEVICES: [(&str, &str); 2] = [("rnullb0", "rnull (Rust)"), ("nullb0", "null_blk (C)")];

/// One timed run of `blkbench` in the guest.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub round: u32,
    /// `rnullb0` or `nullb0`.
    pub device: String,
    pub iops: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub cpu_us_per_op: f64,
}

/// The totals line KUnit writes after its last suite, `# Totals: pass:N fail:N ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KunitTotals {
    pub pass: u32,
    pub fail: u32,
    pub skip: u32,
    pub total: u32,
}

/// What one boot reported.
pub struct Report {
    /// The guest script's output without the benchmark lines, which vary.
    pub steps: String,
    pub kunit: KunitTotals,
    pub samples: Vec<Sample>,
}

/// Builds `blkbench` for the guest, boots it with both drivers and reads the results.
/// `rounds` of `ops` reads per device; 0 rounds shows the devices and measures nothing.
pub fn measure(
    kernel: &KernelBuild,
    accelerator: Accelerator,
    rounds: u32,
    ops: u32,
) -> Result<Report> {
    let scratch = ScratchDir::new(
        std::env::temp_dir().join(format!("rust-in-2026-null-block-{}", std::process::id())),
    )?;
    let blkbench = build_blkbench(kernel, scratch.path())?;
    let files = format!(
        "file /init {} 0755 0 0\nfile /blkbench {} 0755 0 0\n",
        example_dir().join("guest/null-block-init").display(),
        blkbench.display()
    );
    let initramfs = guest::pack(kernel, &files, scratch.path())?;
    // The boot takes seconds (a guest that hangs under KVM is given up on sooner), and
    // each read well under 100 µs even under emulation.
    let boot = match accelerator {
        Accelerator::Kvm => 30,
        Accelerator::Tcg => 120,
    };
    let limit = Duration::from_secs(boot + u64::from(rounds) * u64::from(ops) / 5_000);
    let log = guest::boot_with(
        kernel,
        &initramfs,
        accelerator,
        limit,
        // `tsc=reliable`: the guest keeps its fine-grained clock even when a busy host
        // makes the emulated TSC look unstable; otherwise the kernel may fall back to a
        // clock of milliseconds, and every read would time as zero.
        &format!("{NULL_BLK_PARAMETERS} tsc=reliable rounds={rounds} ops={ops}"),
    )?;
    let script = guest::script_output(&log).ok_or_else(|| unexpected("/init's output", &log))?;
    let kunit = kunit_totals(script).ok_or_else(|| unexpected("KUnit totals", script))?;
    let samples =
        samples(script).map_err(|line| unexpected(&format!("a result in {line:?}"), script))?;
    if samples.len() != 2 * rounds as usize {
        return Err(unexpected(&format!("{} results", 2 * rounds), script));
    }
    let steps = script
        .lines()
        .filter(|line| !line.starts_with("round "))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Report {
        steps,
        kunit,
        samples,
    })
}

fn unexpected(what: &str, output: &str) -> Error {
    Error::Unexpected {
        what: what.to_owned(),
        output: output.to_owned(),
    }
}

/// Compiles `guest/blkbench.rs` with the pinned rustc as a static binary: the
/// initramfs has busybox but no C library for a dynamically linked program.
fn build_blkbench(kernel: &KernelBuild, dir: &Path) -> Result<PathBuf> {
    let binary = dir.join("blkbench");
    run(Command::new(kernel.tools.rustc())
        .args(["--edition", "2024", "-C", "opt-level=3"])
        .args(["-C", "target-feature=+crt-static", "-o"])
        .arg(&binary)
        .arg(example_dir().join("guest/blkbench.rs")))?;
    Ok(binary)
}

/// Reads `# Totals: pass:P fail:F skip:S total:T` from the KTAP lines in the log.
pub fn kunit_totals(log: &str) -> Option<KunitTotals> {
    let line = log
        .lines()
        .find_map(|line| line.split_once("# Totals: "))?
        .1;
    let field = |name: &str| -> Option<u32> {
        line.split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix(':'))?
            .parse()
            .ok()
    };
    Some(KunitTotals {
        pass: field("pass")?,
        fail: field("fail")?,
        skip: field("skip")?,
        total: field("total")?,
    })
}

/// Every `round N blkbench device=/dev/X key=value...` line; the bad line on error.
pub fn samples(log: &str) -> Result<Vec<Sample>, String> {
    log.lines()
        .filter(|line| line.starts_with("round "))
        .map(|line| parse_sample(line).ok_or_else(|| line.to_owned()))
        .collect()
}

fn parse_sample(line: &str) -> Option<Sample> {
    let mut words = line.split_whitespace();
    let round = words.nth(1)?.parse().ok()?;
    let value = |key: &str| -> Option<&str> {
        line.split_whitespace()
            .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
    };
    let number = |key: &str| -> Option<f64> { value(key)?.parse().ok() };
    Some(Sample {
        round,
        device: value("device")?.trim_start_matches("/dev/").to_owned(),
        iops: number("iops")?,
        p50_us: number("p50_us")?,
        p99_us: number("p99_us")?,
        cpu_us_per_op: number("cpu_us_per_op")?,
    })
}

/// A metric for both drivers: each one's median over the rounds, and the ratio
/// Rust / C taken round by round, as its median and its range.
#[derive(Debug, PartialEq)]
pub struct Comparison {
    pub rust: f64,
    pub c: f64,
    pub ratio_median: f64,
    pub ratio_min: f64,
    pub ratio_max: f64,
}

/// How to read one number out of a sample.
pub type Metric = fn(&Sample) -> f64;

pub fn compare(samples: &[Sample], metric: Metric) -> Option<Comparison> {
    let of = |device: &str| -> Vec<(u32, f64)> {
        samples
            .iter()
            .filter(|sample| sample.device == device)
            .map(|sample| (sample.round, metric(sample)))
            .collect()
    };
    let (rust, c) = (of(DEVICES[0].0), of(DEVICES[1].0));
    let mut ratios: Vec<f64> = rust
        .iter()
        .filter_map(|(round, r)| {
            let (_, c) = c.iter().find(|(other, _)| other == round)?;
            Some(r / c)
        })
        .collect();
    if ratios.is_empty() {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    Some(Comparison {
        rust: median(rust.iter().map(|(_, value)| *value).collect()),
        c: median(c.iter().map(|(_, value)| *value).collect()),
        ratio_median: median(ratios.clone()),
        ratio_min: ratios[0],
        ratio_max: ratios[ratios.len() - 1],
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

/// The Markdown table the chapter shows: one row per metric.
pub fn table(samples: &[Sample]) -> Option<String> {
    let metrics: [(&str, Metric); 4] = [
        ("4 KiB random reads per second, higher is better", |s| {
            s.iops
        }),
        ("median latency (µs), lower is better", |s| s.p50_us),
        ("99th percentile latency (µs), lower is better", |s| {
            s.p99_us
        }),
        ("CPU time per read (µs), lower is better", |s| {
            s.cpu_us_per_op
        }),
    ];
    let mut table = String::from(
        "| Metric | rnull (Rust) | null_blk (C) | Rust / C, median (range) |\n|---|---:|---:|---:|\n",
    );
    for (name, metric) in metrics {
        let row = compare(samples, metric)?;
        table.push_str(&format!(
            "| {name} | {:.1} | {:.1} | {:.2} ({:.2}–{:.2}) |\n",
            row.rust, row.c, row.ratio_median, row.ratio_min, row.ratio_max
        ));
    }
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "== kunit\n[    1.0]     # rust_doctests_kernel: pass:190 fail:0 skip:0 total:190\n[    1.0] # Totals: pass:190 fail:0 skip:0 total:190\n== bench\nround 1 blkbench device=/dev/rnullb0 ops=10 seconds=0.001 iops=1000 p50_us=1.0 p99_us=2.0 cpu_us_per_op=1.00\nround 1 blkbench device=/dev/nullb0 ops=10 seconds=0.001 iops=800 p50_us=1.2 p99_us=2.4 cpu_us_per_op=1.10\nround 2 blkbench device=/dev/nullb0 ops=10 seconds=0.001 iops=1000 p50_us=1.0 p99_us=2.0 cpu_us_per_op=1.00\nround 2 blkbench device=/dev/rnullb0 ops=10 seconds=0.001 iops=1100 p50_us=0.9 p99_us=1.8 cpu_us_per_op=0.90\n== done";

    #[test]
    fn kunit_totals_come_from_the_ktap_summary() {
        let totals = kunit_totals(LOG).expect("totals");
        assert_eq!(
            totals,
            KunitTotals {
                pass: 190,
                fail: 0,
                skip: 0,
                total: 190
            }
        );
        assert_eq!(kunit_totals("no KTAP here"), None);
    }

    #[test]
    fn ratios_are_taken_round_by_round() {
        let samples = samples(LOG).expect("four samples");
        assert_eq!(samples.len(), 4);
        let iops = compare(&samples, |s| s.iops).expect("a comparison");
        assert_eq!(iops.rust, 1050.0);
        assert_eq!(iops.c, 900.0);
        assert_eq!((iops.ratio_min, iops.ratio_max), (1.1, 1.25));
        assert!(
            table(&samples)
                .expect("a table")
                .contains("| 1050.0 | 900.0 |")
        );
    }

    #[test]
    fn a_malformed_result_line_is_reported() {
        assert_eq!(
            samples("round 1 blkbench device=/dev/nullb0 iops=fast"),
            Err("round 1 blkbench device=/dev/nullb0 iops=fast".to_owned())
        );
    }
}
