//! The proxy benchmark: `cargo run --release --example lb-proxy -- bench`.
//!
//! Three targets, each loaded with `wrk` in interleaved rounds on 127.0.0.1: the
//! upstream on its own, nginx configured as a reverse proxy to it, and this Pingora
//! proxy. Writes `examples/lb-proxy/results/bench.md`.

use std::fmt::Write as _;
use std::io::Read as _;
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use lb_proxy::client::free_address;
use lb_proxy::upstream::Upstream;

use crate::paced;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::signal::unix::{SignalKind, signal};

const ROUNDS: usize = 3;
const SECONDS_PER_RUN: u32 = 5;
const CONNECTIONS: u32 = 32;

/// The benchmark was stopped by a signal. By the time `main` gets this, every process
/// the benchmark started has exited and its scratch folder is removed.
#[derive(Debug, thiserror::Error)]
#[error("stopped by {0}: the servers the benchmark started have exited")]
pub struct Stopped(Signal);

impl Stopped {
    /// Shells report a process ended by signal N as exit code 128 + N: 130 for SIGINT,
    /// 143 for SIGTERM. A program that stops cleanly on a signal says the same.
    pub fn exit_code(&self) -> u8 {
        u8::try_from(128 + self.0 as i32).unwrap_or(1)
    }
}

/// The processes the benchmark starts, and the signal that stopped it, if any.
///
/// Each child runs in a process group of its own: nginx's master process and its
/// workers, the proxy, wrk. No signal to the benchmark reaches them: `kill` names one
/// process, and Ctrl-C goes to the terminal's foreground group, which they have left.
/// So on SIGINT or SIGTERM the benchmark stops every group itself, and waits for each.
/// Without this, SIGTERM ended the benchmark at once, and nginx and the proxy kept
/// running, adopted by PID 1, still listening.
struct Children {
    state: Mutex<ChildrenState>,
}

#[derive(Default)]
struct ChildrenState {
    /// The process groups of the children not yet waited for. A process keeps its id
    /// until it is waited for, so a signal sent to one of these cannot reach another
    /// program that was given the same id later.
    groups: Vec<Pid>,
    stopped_by: Option<Signal>,
}

impl Children {
    /// From now on SIGINT and SIGTERM stop the children, instead of ending the
    /// benchmark at once and leaving them behind.
    fn watch_signals() -> Result<Arc<Self>> {
        let children = Arc::new(Self {
            state: Mutex::default(),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        // The handlers are installed when `signal` returns, before any child starts.
        let (mut interrupt, mut terminate) = runtime
            .block_on(async {
                let interrupt = signal(SignalKind::interrupt())?;
                std::io::Result::Ok((interrupt, signal(SignalKind::terminate())?))
            })
            .context("installing the signal handlers")?;
        let watching = Arc::clone(&children);
        thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                runtime.block_on(async {
                    loop {
                        let signal = tokio::select! {
                            _ = interrupt.recv() => Signal::SIGINT,
                            _ = terminate.recv() => Signal::SIGTERM,
                        };
                        watching.stop_all(signal);
                    }
                });
            })
            .context("starting the thread that waits for signals")?;
        Ok(children)
    }

    fn lock(&self) -> MutexGuard<'_, ChildrenState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops every child. The benchmark notices at its next step: wrk's output ends, a
    /// server stops answering, and [`Children::check`] fails.
    fn stop_all(&self, signal: Signal) {
        let mut state = self.lock();
        state.stopped_by.get_or_insert(signal);
        for group in &state.groups {
            // An error means the group is gone already.
            let _ = killpg(*group, Signal::SIGINT);
        }
    }

    /// Fails once a signal has arrived.
    fn check(&self) -> Result<(), Stopped> {
        self.lock()
            .stopped_by
            .map_or(Ok(()), |signal| Err(Stopped(signal)))
    }

    /// Starts `command` in a process group of its own. The lock keeps a signal from
    /// arriving between the start and the registration; once one has arrived, nothing
    /// new starts.
    fn spawn(&self, command: &mut Command, what: &str) -> Result<Running<'_>> {
        let mut state = self.lock();
        if let Some(signal) = state.stopped_by {
            return Err(Stopped(signal).into());
        }
        let child = command
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {what}"))?;
        state.groups.push(Pid::from_raw(child.id().cast_signed()));
        Ok(Running {
            child,
            children: self,
        })
    }

    /// Waits until something accepts connections on `address`, or a signal arrives.
    fn wait_until_listening(&self, address: SocketAddr, what: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            self.check()?;
            match TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
                Ok(_) => return Ok(()),
                Err(error) if started.elapsed() > Duration::from_secs(10) => {
                    return Err(error).with_context(|| format!("{what} did not start"));
                }
                Err(_) => thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

/// A running child: when dropped, its process group is stopped (SIGINT, which nginx,
/// the proxy and wrk all take as "stop now") and the child is waited for.
struct Running<'a> {
    child: Child,
    children: &'a Children,
}

impl Running<'_> {
    /// The child's standard output, read until the child closes it by exiting.
    /// Its process group: the child and everything it started (nginx's workers).
    fn group(&self) -> u32 {
        self.child.id()
    }

    fn output(mut self) -> Result<String> {
        let mut text = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            stdout.read_to_string(&mut text)?;
        }
        Ok(text)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let group = Pid::from_raw(self.child.id().cast_signed());
        {
            let mut state = self.children.lock();
            state.groups.retain(|registered| *registered != group);
            let _ = killpg(group, Signal::SIGINT);
        }
        // nginx's master process exits after its workers; the proxy within about a
        // second. A child that takes longer is killed, with its whole group.
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) {
            if Instant::now() > deadline {
                let _ = killpg(group, Signal::SIGKILL);
                let _ = self.child.wait();
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// nginx's configuration, pid file and logs, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Measurement {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

pub fn run() -> Result<()> {
    let children = Children::watch_signals()?;
    let measured = measure(&children);
    // Here every child has been waited for and the scratch folder removed, however
    // `measure` ended. A signal explains the error it ended with, if any.
    children.check()?;
    measured
}

fn measure(children: &Children) -> Result<()> {
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
    // Dropped last, after the servers that use it have exited.
    let scratch = Scratch(scratch);

    // ANCHOR: nginx
    let nginx_address = free_address()?;
    let nginx = children.spawn(
        &mut nginx_command(&scratch.0, nginx_address, upstream.address)?,
        "nginx",
    )?;
    // ANCHOR_END: nginx
    let pingora_address = free_address()?;
    let pingora = children.spawn(
        Command::new(std::env::current_exe()?)
            .args(["proxy", "--listen", &pingora_address.to_string()])
            .args([
                "--upstream",
                &upstream.address.to_string(),
                "--threads",
                "1",
            ])
            .stdout(Stdio::null()),
        "the Pingora proxy",
    )?;
    children.wait_until_listening(nginx_address, "nginx")?;
    children.wait_until_listening(pingora_address, "the Pingora proxy")?;

    let targets = [
        ("upstream, direct", upstream.address),
        ("nginx as reverse proxy", nginx_address),
        ("Pingora proxy (this example)", pingora_address),
    ];
    let mut results: Vec<Vec<Measurement>> = targets.iter().map(|_| Vec::new()).collect();
    for round in 1..=ROUNDS {
        for (index, (name, address)) in targets.iter().enumerate() {
            println!("round {round}/{ROUNDS}: {name}");
            results[index].push(wrk(children, *address)?);
        }
    }
    write_report(&targets.map(|(name, _)| name), &results)?;
    measure_cpu(
        children,
        &[
            ("nginx", nginx_address, nginx.group()),
            (
                "Pingora proxy (this example)",
                pingora_address,
                pingora.group(),
            ),
        ],
    )
}

/// Request rates below saturation, and how long each is held.
const RATES: [u32; 3] = [2_000, 5_000, 10_000];
const PACED_SECONDS: u64 = 5;
const PACED_CONNECTIONS: u32 = 16;

/// Cloudflare's claim is about CPU and memory per request at a given load, so this
/// measures that: each proxy pinned to CPU 1, this program (the load and the upstream)
/// to CPU 0, a paced load at each rate, and the CPU time the proxy's processes spent.
/// Writes `results/cpu.md`.
fn measure_cpu(children: &Children, proxies: &[(&str, SocketAddr, u32)]) -> Result<()> {
    pin(std::process::id(), "0")?;
    for (_, _, group) in proxies {
        for (pid, _) in paced::processes_in_group(*group)? {
            pin(pid, "1")?;
        }
    }
    let mut md = String::from(
        "| Proxy | Requests/s | CPU per request | Memory (RSS) | p50 latency | p99 latency |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for rate in RATES {
        for (name, address, group) in proxies {
            children.check()?;
            println!("{rate} requests/s: {name}");
            let before = paced::usage_of_group(*group)?;
            let load = paced::run(
                *address,
                rate,
                Duration::from_secs(PACED_SECONDS),
                PACED_CONNECTIONS,
            )?;
            let after = paced::usage_of_group(*group)?;
            let cpu_us = (after.cpu - before.cpu).as_secs_f64() * 1e6 / load.requests as f64;
            writeln!(
                md,
                "| {name} | {rate} | {cpu_us:.0} µs | {:.1} MiB | {:.2} ms | {:.2} ms |",
                after.rss_bytes as f64 / (1024.0 * 1024.0),
                load.p50_ms,
                load.p99_ms,
            )?;
        }
    }
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    writeln!(
        md,
        "\n*Measured on {date} with `cargo run --release --example lb-proxy -- bench`: \
         {PACED_SECONDS} s at each rate over {PACED_CONNECTIONS} keep-alive connections, \
         latency from each request's scheduled time; CPU per request is the user and \
         system time of the proxy's processes (nginx: master and 1 worker; Pingora: its \
         process, with 1 worker thread) divided by the requests answered, from /proc in 10 ms ticks; the proxies \
         pinned to CPU 1, the load and the upstream to CPU 0 (taskset).*"
    )?;
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results/cpu.md");
    std::fs::write(&out, &md)?;
    println!("\n{md}\nwrote {}", out.display());
    Ok(())
}

/// Restricts every thread of `pid` to the CPUs in `cpus` (`taskset -a -p -c`).
fn pin(pid: u32, cpus: &str) -> Result<()> {
    let status = Command::new("taskset")
        .args(["-a", "-p", "-c", cpus, &pid.to_string()])
        .stdout(Stdio::null())
        .status()
        .context("running taskset (util-linux)")?;
    if !status.success() {
        bail!("taskset could not pin process {pid} to CPU {cpus}");
    }
    Ok(())
}

/// nginx as a reverse proxy with the settings a production setup would use: upstream
/// keepalive, no access log. One worker process, like the Pingora proxy's one thread:
/// the same CPU budget on a machine whose two cores also run wrk and the upstream.
fn nginx_command(scratch: &Path, listen: SocketAddr, upstream: SocketAddr) -> Result<Command> {
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
    let mut command = Command::new("nginx");
    command
        .arg("-p")
        .arg(scratch)
        .arg("-c")
        .arg(&path)
        .stderr(Stdio::null());
    Ok(command)
}

fn wrk(children: &Children, address: SocketAddr) -> Result<Measurement> {
    let text = children
        .spawn(
            Command::new("wrk")
                .args(["--threads", "2", "--latency"])
                .args(["--connections", &CONNECTIONS.to_string()])
                .args(["--duration", &format!("{SECONDS_PER_RUN}s")])
                .arg(format!("http://{address}/"))
                .stdout(Stdio::piped()),
            "wrk",
        )?
        .output()
        .context("running wrk")?;
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
    let children = Children::watch_signals()?;
    let measured = measure_failover(&children);
    children.check()?;
    measured
}

fn measure_failover(children: &Children) -> Result<()> {
    const CLIENTS: usize = 16;
    const SECONDS: u64 = 3;
    let mut md = String::from("| Round | Requests | Failed | Failing for, after the kill |\n");
    md.push_str("|---:|---:|---:|---:|\n");
    for round in 1..=ROUNDS {
        let upstream_a = Upstream::start("upstream A")?;
        let mut upstream_b = Upstream::start("upstream B")?;
        // The proxy in its own process, as in production and in the tests.
        let listen = free_address()?;
        let _proxy = children.spawn(
            Command::new(std::env::current_exe()?)
                .args(["proxy", "--listen", &listen.to_string()])
                .args(["--upstream", &upstream_a.address.to_string()])
                .args(["--upstream", &upstream_b.address.to_string()])
                .stdout(Stdio::null()),
            "the Pingora proxy",
        )?;
        children.wait_until_listening(listen, "the Pingora proxy")?;
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
