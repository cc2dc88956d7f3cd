//! `blkbench DEVICE OPS`: reads OPS blocks of 4 KiB at random places of a block device,
//! one at a time, and prints one line of results. It runs inside the guest of
//! `cargo run --example null-block`, which compiles it as a static binary (the
//! initramfs has no C library) with the standard library only.
//!
//! `O_DIRECT` skips the page cache, so every read goes through the block layer to the
//! driver: what is measured is the driver and the block layer, not memory copies.

use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::time::{Duration, Instant};

/// `O_DIRECT` on x86-64 Linux (`include/uapi/asm-generic/fcntl.h`, 040000 octal).
const O_DIRECT: i32 = 0o40000;
const BLOCK: usize = 4096;
/// Reads stay in the device's first GiB (both devices are larger).
const SPAN_BLOCKS: u64 = (1 << 30) / BLOCK as u64;

fn main() {
    if let Err(error) = run() {
        eprintln!("blkbench: error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [device, ops] = args.as_slice() else {
        return Err("usage: blkbench DEVICE OPS".into());
    };
    let ops: usize = match ops.parse() {
        Ok(0) | Err(_) => return Err(format!("OPS must be a number above 0, not {ops:?}")),
        Ok(ops) => ops,
    };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(O_DIRECT)
        .open(device)
        .map_err(|error| format!("opening {device}: {error}"))?;

    // O_DIRECT needs a buffer aligned to the logical block size: take 4 KiB that
    // start on a 4 KiB boundary inside a buffer twice that size.
    let mut buffer = vec![0u8; 2 * BLOCK];
    let start = buffer.as_ptr().align_offset(BLOCK);
    let block = &mut buffer[start..start + BLOCK];

    // ANCHOR: timed
    let mut latencies = Vec::with_capacity(ops);
    let mut offsets = Offsets(0x2545_f491_4f6c_dd1d);
    let cpu_before = cpu_time()?;
    let started = Instant::now();
    for _ in 0..ops {
        let offset = offsets.next_block() * BLOCK as u64;
        let one = Instant::now();
        file.read_exact_at(block, offset)
            .map_err(|error| format!("reading {device}: {error}"))?;
        latencies.push(one.elapsed());
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time()? - cpu_before;
    // ANCHOR_END: timed

    latencies.sort_unstable();
    let percentile = |p: usize| latencies[(latencies.len() - 1) * p / 100].as_secs_f64() * 1e6;
    println!(
        "blkbench device={device} ops={ops} seconds={:.3} iops={:.0} p50_us={:.1} p99_us={:.1} cpu_us_per_op={:.2}",
        elapsed.as_secs_f64(),
        ops as f64 / elapsed.as_secs_f64(),
        percentile(50),
        percentile(99),
        cpu.as_secs_f64() * 1e6 / ops as f64,
    );
    Ok(())
}

/// A fixed sequence of block numbers that looks random (xorshift64), the same in
/// every run and for both devices.
struct Offsets(u64);

impl Offsets {
    fn next_block(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % SPAN_BLOCKS
    }
}

/// The CPU time this process has used, user and system, from `/proc/self/stat`
/// (fields 14 and 15, in clock ticks of 1/100 s on Linux).
fn cpu_time() -> Result<Duration, String> {
    let stat = std::fs::read_to_string("/proc/self/stat")
        .map_err(|error| format!("reading /proc/self/stat: {error}"))?;
    // The command name, field 2, is in parentheses and may hold spaces: count fields
    // from after its closing parenthesis, where field 3 starts.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or("unexpected /proc/self/stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| -> Result<u64, String> {
        fields
            .get(index - 3)
            .and_then(|field| field.parse().ok())
            .ok_or_else(|| format!("no field {index} in /proc/self/stat"))
    };
    Ok(Duration::from_millis((ticks(14)? + ticks(15)?) * 10))
}
