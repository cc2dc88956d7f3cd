//! A load at a fixed rate, for measuring what a proxy costs below saturation: GET
//! requests on keep-alive connections, each sent at its scheduled time, and a
//! latency measured from that time, not from when the request finally went out (a
//! server that stalls makes every request scheduled behind it late, and that counts).
//! Also what a process group spent: CPU time and memory, read from /proc.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// What one paced run measured.
pub struct Load {
    pub requests: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Sends `rate` requests per second to `address` for `duration`, spread over
/// `connections` keep-alive connections, and waits for every answer.
pub fn run(address: SocketAddr, rate: u32, duration: Duration, connections: u32) -> Result<Load> {
    let interval = Duration::from_secs_f64(f64::from(connections) / f64::from(rate));
    let per_connection = (duration.as_secs_f64() / interval.as_secs_f64()) as u32;
    let start = Instant::now() + Duration::from_millis(50);
    let workers: Vec<_> = (0..connections)
        .map(|index| {
            // Connections take turns, so requests leave evenly rather than in bursts.
            let offset = interval.mul_f64(f64::from(index) / f64::from(connections));
            thread::spawn(move || connection(address, start + offset, interval, per_connection))
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        let measured = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a load thread panicked"))??;
        latencies.extend(measured);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share) as usize];
    Ok(Load {
        requests: latencies.len(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    })
}

/// One connection's requests: `count` of them, the first at `first`, then one every
/// `interval`. Returns each latency in milliseconds.
fn connection(
    address: SocketAddr,
    first: Instant,
    interval: Duration,
    count: u32,
) -> Result<Vec<f64>> {
    let connect = || -> Result<(TcpStream, BufReader<TcpStream>)> {
        let stream =
            TcpStream::connect(address).with_context(|| format!("connecting to {address}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok((stream.try_clone()?, BufReader::new(stream)))
    };
    let (mut writer, mut reader) = connect()?;
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let mut latencies = Vec::with_capacity(count as usize);
    for n in 0..count {
        let scheduled = first + interval * n;
        if let Some(wait) = scheduled.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
        writer.write_all(request.as_bytes())?;
        let keep_alive = read_response(&mut reader)?;
        latencies.push(scheduled.elapsed().as_secs_f64() * 1000.0);
        // A server ends a connection after so many requests (nginx after 1,000 by
        // default) and says so with `Connection: close`: open the next one.
        if !keep_alive {
            (writer, reader) = connect()?;
        }
    }
    Ok(latencies)
}

/// Reads one response with a Content-Length body; anything but 200 is an error.
/// Returns whether the connection stays open.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<bool> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !line.starts_with("HTTP/1.1 200") {
        bail!("expected 200, got {:?}", line.trim_end());
    }
    let mut length = None;
    let mut keep_alive = true;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            bail!("the connection closed inside a response");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<u64>()?);
        } else if name.eq_ignore_ascii_case("connection") {
            keep_alive = !value.trim().eq_ignore_ascii_case("close");
        }
    }
    let length = length.context("a response without Content-Length")?;
    std::io::copy(&mut reader.by_ref().take(length), &mut std::io::sink())?;
    Ok(keep_alive)
}

// ANCHOR: usage
/// CPU time (user and system) and resident memory of every process in the process
/// group `group`: nginx's master and its worker, or the proxy alone.
pub struct Usage {
    pub cpu: Duration,
    pub rss_bytes: u64,
}

pub fn usage_of_group(group: u32) -> Result<Usage> {
    // The kernel counts CPU time in clock ticks; Linux has used 100 per second on
    // every common architecture for years (`getconf CLK_TCK`).
    const TICKS_PER_SECOND: u64 = 100;
    let mut ticks = 0;
    let mut rss_bytes = 0;
    for entry in std::fs::read_dir("/proc")? {
        let path = entry?.path();
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else {
            continue; // not a process, or it has just exited
        };
        // The command name, in parentheses, may hold spaces: fields start after it.
        let Some((_, after_name)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // After the name: state, ppid, pgrp, ... utime is field 14 of stat(5), stime 15,
        // rss (in pages) 24; here they are 11, 12 and 21, counting from 0 after the name.
        if fields.get(2).and_then(|pgrp| pgrp.parse::<u32>().ok()) != Some(group) {
            continue;
        }
        let number =
            |index: usize| -> u64 { fields.get(index).and_then(|v| v.parse().ok()).unwrap_or(0) };
        ticks += number(11) + number(12);
        rss_bytes += number(21) * 4096;
    }
    Ok(Usage {
        cpu: Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND),
        rss_bytes,
    })
}
// ANCHOR_END: usage
