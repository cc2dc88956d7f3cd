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
    if latencies.is_empty() {
        bail!("{rate} requests/s for {duration:?} sends no request");
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
        // A server may end a keep-alive connection after a number of requests (nginx's
        // `keepalive_requests`) and says so with `Connection: close`: open the next one.
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
    // The kernel counts CPU time in clock ticks, 100 per second on Linux's common
    // architectures (`getconf CLK_TCK`), and memory in pages of 4 KiB on x86-64.
    const TICKS_PER_SECOND: u64 = 100;
    const PAGE_BYTES: u64 = 4096;
    let (mut ticks, mut pages) = (0, 0);
    for (_, fields) in processes_in_group(group)? {
        // stat(5) numbers utime 14, stime 15 and rss 24; `fields` starts at 3 (state).
        let number = |field: usize| -> u64 {
            fields
                .get(field - 3)
                .and_then(|value| value.parse().ok())
                .unwrap_or(0)
        };
        ticks += number(14) + number(15);
        pages += number(24);
    }
    Ok(Usage {
        cpu: Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND),
        rss_bytes: pages * PAGE_BYTES,
    })
}
// ANCHOR_END: usage

/// Every process in the process group `group`, with the fields of its
/// `/proc/PID/stat` after the command name.
pub fn processes_in_group(group: u32) -> Result<Vec<(u32, Vec<String>)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Some(pid) = entry?
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue; // not a process
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue; // it has just exited
        };
        // The command name, in parentheses, may hold spaces: the fields follow it.
        let Some((_, after_name)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<String> = after_name.split_whitespace().map(str::to_owned).collect();
        // Field 5 of stat(5), the process group, is the third after the name.
        if fields.get(2).and_then(|pgrp| pgrp.parse::<u32>().ok()) == Some(group) {
            found.push((pid, fields));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    /// A server on a free port that answers every request on a connection with
    /// `status` and a 2-byte body, and ends each connection after `per_connection`
    /// answers with `Connection: close`, as nginx does after `keepalive_requests`.
    fn server(status: &'static str, per_connection: usize) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = listener.local_addr().expect("its address");
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                thread::spawn(move || {
                    let mut writer = stream.try_clone().expect("a second handle");
                    let mut reader = BufReader::new(stream);
                    for answered in 1..=per_connection {
                        // A request is its lines up to the empty one.
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                        }
                        let close = if answered == per_connection {
                            "Connection: close\r\n"
                        } else {
                            ""
                        };
                        let response =
                            format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\n{close}\r\nok");
                        if writer.write_all(response.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        address
    }

    #[test]
    fn a_connection_the_server_closes_is_opened_again_and_every_request_answered() {
        let address = server("200 OK", 3);
        // 2 connections, one request every 10 ms each, for 200 ms: 20 requests each,
        // so each connection is closed by the server six times on the way.
        let load = run(address, 200, Duration::from_millis(200), 2).expect("the load runs");
        assert_eq!(load.requests, 40);
        assert!(load.p50_ms <= load.p99_ms);
    }

    #[test]
    fn an_error_status_stops_the_load_with_the_status_line() {
        let address = server("503 Service Unavailable", 100);
        let error = run(address, 100, Duration::from_millis(50), 1)
            .err()
            .expect("an error");
        assert!(format!("{error:#}").contains("503"), "{error:#}");
    }

    #[test]
    fn the_cpu_time_of_this_process_group_includes_work_done_here() {
        let stat = std::fs::read_to_string("/proc/self/stat").expect("this process's stat");
        let group = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(2))
            .and_then(|pgrp| pgrp.parse().ok())
            .expect("a process group");
        let before = usage_of_group(group).expect("usage");
        let started = Instant::now();
        let mut spin = 0u64;
        while started.elapsed() < Duration::from_millis(200) {
            spin = std::hint::black_box(spin.wrapping_add(1));
        }
        let after = usage_of_group(group).expect("usage");
        assert!(
            after.cpu - before.cpu >= Duration::from_millis(100),
            "{:?}",
            after.cpu - before.cpu
        );
        assert!(after.rss_bytes > 0);
    }
}
