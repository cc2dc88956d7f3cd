//! The proxy benchmark: `cargo run --release --example lb-proxy -- bench`.
//!
//! Three targets, each loaded with `wrk` in interleaved rounds on 127.0.0.1: the
//! upstream on its own, nginx configured as a reverse proxy to it, and this Pingora
//! proxy. Writes `examples/lb-proxy/results/bench.md`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use lb_proxy::client::{free_address, wait_until_listening};
use lb_proxy::upstream::Upstream;

const ROUNDS: usize = 3;
const SECONDS_PER_RUN: u32 = 5;
const CONNECTIONS: u32 = 32;

/// Kills the process when dropped, so nothing outlives the benchmark.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

struct Measurement {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

pub fn run() -> Result<()> {
    for program in ["wrk", "nginx"] {
        if Command::new(program).arg("-v").output().is_err() {
            bail!("{program} is not installed (Debian: apt-get install {program})");
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run with --release for meaningful numbers");
    }
    let upstream = Upstream::start("upstream")?;
    let scratch = std::env::temp_dir().join(format!("lb-proxy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;

    // ANCHOR: nginx
    let nginx_address = free_address()?;
    let _nginx = Running(start_nginx(&scratch, nginx_address, upstream.address)?);
    // ANCHOR_END: nginx
    let pingora_address = free_address()?;
    let _pingora = Running(
        Command::new(std::env::current_exe()?)
            .args(["proxy", "--listen", &pingora_address.to_string()])
            .args([
                "--upstream",
                &upstream.address.to_string(),
                "--threads",
                "1",
            ])
            .stdout(Stdio::null())
            .spawn()
            .context("starting the Pingora proxy")?,
    );
    for address in [nginx_address, pingora_address] {
        wait_until_listening(address, Duration::from_secs(10))?;
    }

    let targets = [
        ("upstream, direct", upstream.address),
        ("nginx as reverse proxy", nginx_address),
        ("Pingora proxy (this example)", pingora_address),
    ];
    let mut results: Vec<Vec<Measurement>> = targets.iter().map(|_| Vec::new()).collect();
    for round in 1..=ROUNDS {
        for (index, (name, address)) in targets.iter().enumerate() {
            println!("round {round}/{ROUNDS}: {name}");
            results[index].push(wrk(*address)?);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    write_report(&targets.map(|(name, _)| name), &results)
}

/// nginx as a reverse proxy with the settings a production setup would use: upstream
/// keepalive, no access log. One worker process, like the Pingora proxy's one thread:
/// the same CPU budget on a machine whose two cores also run wrk and the upstream.
fn start_nginx(scratch: &Path, listen: SocketAddr, upstream: SocketAddr) -> Result<Child> {
    let config = format!(
        "daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    upstream backend {{ server {upstream}; keepalive 64; }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-By nginx;
        }}
    }}
}}
",
        dir = scratch.display()
    );
    let path = scratch.join("nginx.conf");
    std::fs::write(&path, config)?;
    Command::new("nginx")
        .arg("-p")
        .arg(scratch)
        .arg("-c")
        .arg(&path)
        .stderr(Stdio::null())
        .spawn()
        .context("starting nginx")
}

fn wrk(address: SocketAddr) -> Result<Measurement> {
    let output = Command::new("wrk")
        .args(["--threads", "2", "--latency"])
        .args(["--connections", &CONNECTIONS.to_string()])
        .args(["--duration", &format!("{SECONDS_PER_RUN}s")])
        .arg(format!("http://{address}/"))
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let value_after = |label: &str| -> Option<String> {
        text.lines()
            .find(|line| line.trim_start().starts_with(label))
            .and_then(|line| line.split_whitespace().nth(1).map(str::to_owned))
    };
    let requests_per_second = value_after("Requests/sec:")
        .and_then(|value| value.parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    if text.contains("Non-2xx or 3xx responses") || text.contains("Socket errors") {
        bail!("wrk saw failed requests:\n{text}");
    }
    Ok(Measurement {
        requests_per_second,
        p50_ms: milliseconds(&value_after("50%").context("no p50")?)?,
        p99_ms: milliseconds(&value_after("99%").context("no p99")?)?,
    })
}

/// wrk prints latencies as `812.00us`, `1.23ms` or `1.05s`.
fn milliseconds(value: &str) -> Result<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        bail!("unexpected latency {value:?}")
    };
    Ok(number.parse::<f64>()? * factor)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    values[values.len() / 2]
}

fn write_report(names: &[&str], results: &[Vec<Measurement>]) -> Result<()> {
    let nginx_rps = median(results[1].iter().map(|m| m.requests_per_second).collect());
    let mut md = String::new();
    writeln!(
        md,
        "| Target | Requests/s | p50 latency | p99 latency | Throughput vs nginx |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|")?;
    for (name, runs) in names.iter().zip(results) {
        let rps = median(runs.iter().map(|m| m.requests_per_second).collect());
        writeln!(
            md,
            "| {name} | {rps:.0} | {:.2} ms | {:.2} ms | {:.2}× |",
            median(runs.iter().map(|m| m.p50_ms).collect()),
            median(runs.iter().map(|m| m.p99_ms).collect()),
            rps / nginx_rps,
        )?;
    }
    let nginx_version = Command::new("nginx").arg("-v").output().map_or_else(
        |_| "nginx: unknown version".to_owned(),
        |out| {
            String::from_utf8_lossy(&out.stderr)
                .trim()
                .replace("nginx version: ", "")
        },
    );
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    writeln!(
        md,
        "\n*Measured on {date} with `cargo run --release --example lb-proxy -- bench`: \
         medians of {ROUNDS} interleaved rounds of {SECONDS_PER_RUN} s, `wrk --threads 2 \
         --connections {CONNECTIONS}`, 1 KiB responses, everything on the same {} cores; \
         {nginx_version} with 1 worker process, the Pingora proxy with 1 thread.*",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    )?;
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/bench.md");
    std::fs::create_dir_all(out.parent().expect("has a folder"))?;
    std::fs::write(&out, &md)?;
    println!("\n{md}\nwrote {}", out.display());
    Ok(())
}

/// The failover measurement: `cargo run --release --example lb-proxy -- failover`.
/// In each round, 16 clients send requests through the proxy for 3 s and upstream B is
/// killed after 1 s. Writes `examples/lb-proxy/results/failover.md`.
pub fn failover() -> Result<()> {
    const CLIENTS: usize = 16;
    const SECONDS: u64 = 3;
    let mut md = String::from("| Round | Requests | Failed | Failing for, after the kill |\n");
    md.push_str("|---:|---:|---:|---:|\n");
    for round in 1..=ROUNDS {
        let upstream_a = Upstream::start("upstream A")?;
        let mut upstream_b = Upstream::start("upstream B")?;
        // The proxy in its own process, as in production and in the tests.
        let listen = free_address()?;
        let _proxy = Running(
            Command::new(std::env::current_exe()?)
                .args(["proxy", "--listen", &listen.to_string()])
                .args(["--upstream", &upstream_a.address.to_string()])
                .args(["--upstream", &upstream_b.address.to_string()])
                .stdout(Stdio::null())
                .spawn()
                .context("starting the Pingora proxy")?,
        );
        wait_until_listening(listen, Duration::from_secs(10)).context("the proxy did not start")?;
        let report = lb_proxy::failover::under_load(
            listen,
            CLIENTS,
            Duration::from_secs(SECONDS),
            usize::MAX,
            || upstream_b.stop(),
        );
        let failing_for = report
            .failing_for
            .map_or_else(|| "-".to_owned(), |time| format!("{} ms", time.as_millis()));
        writeln!(
            md,
            "| {round} | {} | {} | {failing_for} |",
            report.requests,
            report.failures.len()
        )?;
    }
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    writeln!(
        md,
        "\n*Measured on {date} with `cargo run --release --example lb-proxy -- failover`: \
         {CLIENTS} clients sending GET requests back to back for {SECONDS} s, one \
         connection per request, upstream B killed after 1 s, health checks every {} ms, \
         everything on the same {} cores.*",
        lb_proxy::proxy::HEALTH_EVERY.as_millis(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    )?;
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/failover.md");
    std::fs::write(&out, &md).with_context(|| format!("writing {}", out.display()))?;
    println!("{md}\nwrote {}", out.display());
    Ok(())
}
