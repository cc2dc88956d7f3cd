//! `cargo run --example lb-proxy` starts two demo upstreams and the Pingora proxy in
//! front of them, on 127.0.0.1, and prints how to try it with curl.
//!
//! - `-- --requests N` sends N requests through it, prints what came back, and exits.
//! - `-- proxy --listen ADDR --upstream ADDR...` runs only the proxy (the tests do).
//! - `-- bench` measures the upstream, nginx as a proxy and this proxy with wrk, and
//!   writes `results/bench.md` (run it with `--release`).
//! - `-- failover` kills an upstream under load and writes `results/failover.md`.
//! - `-- --help` says all this, with every option.
//!
//! Shown in the chapter "Cloud infrastructure" (`src/cloud-infrastructure/index.md`).

mod bench;
mod paced;

// ANCHOR: allocator
/// Every request allocates and frees buffers and header maps. glibc's malloc showed up
/// as about a tenth of the proxy's CPU time in a profile; mimalloc is faster at this.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: allocator

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};
use lb_proxy::client;
use lb_proxy::proxy::{self, Config, MAX_THREADS, Shutdown};
use lb_proxy::upstream::Upstream;

/// A load-balancing proxy on Pingora, in front of two demo upstreams on 127.0.0.1.
/// Without arguments it runs until Ctrl-C and prints how to try it with curl.
#[derive(Parser)]
struct Cli {
    /// Send N requests through the proxy, print what came back, and exit
    #[arg(long, value_name = "N")]
    requests: Option<usize>,
    #[command(subcommand)]
    mode: Option<Mode>,
}

#[derive(Subcommand)]
enum Mode {
    /// Run only the proxy, in front of upstreams you start (the tests do)
    Proxy {
        /// Address to listen on, like 127.0.0.1:8080; port 0 picks a free port, printed
        /// at start
        #[arg(long, value_name = "ADDRESS")]
        listen: String,
        /// An upstream's address; give it once per upstream
        #[arg(long = "upstream", value_name = "ADDRESS", required = true)]
        upstreams: Vec<String>,
        /// Worker threads, 1 to 256
        #[arg(long, default_value = "1", value_parser = threads)]
        threads: NonZeroUsize,
        /// How often each upstream is checked, like 200ms or 2s; at least 100ms
        #[arg(long, default_value_t = proxy::HEALTH_EVERY.into(), value_parser = health_every)]
        health_every: humantime::Duration,
    },
    /// Measure the upstream, nginx as a proxy and this proxy with wrk; writes
    /// results/bench.md (build with --release)
    Bench,
    /// Kill an upstream while 16 clients send requests, and count what fails; writes
    /// results/failover.md (build with --release)
    Failover,
}

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn threads(value: &str) -> Result<NonZeroUsize, String> {
    value
        .parse()
        .ok()
        .filter(|threads: &NonZeroUsize| threads.get() <= MAX_THREADS)
        .ok_or_else(|| format!("the proxy runs on 1 to {MAX_THREADS} threads"))
}

/// `--health-every`: a duration such as `200ms`, not below [`proxy::MIN_HEALTH_EVERY`].
fn health_every(value: &str) -> Result<humantime::Duration, String> {
    let every = humantime::parse_duration(value).map_err(|error| error.to_string())?;
    proxy::check_health_every(every)
        .map(Into::into)
        .map_err(|error| error.to_string())
}

fn main() -> ExitCode {
    // `parse` prints the usage and exits: 0 for --help, 2 for a bad argument.
    let cli = Cli::parse();
    let result = match cli.mode {
        None => demo(cli.requests),
        Some(Mode::Proxy {
            listen,
            upstreams,
            threads,
            health_every,
        }) => serve(Config {
            listen,
            upstreams,
            threads,
            health_every: health_every.into(),
        }),
        Some(Mode::Bench) => bench::run(),
        Some(Mode::Failover) => bench::failover(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Stopped by Ctrl-C or `kill`, after stopping everything it started.
        Err(ref error) if let Some(stopped) = error.downcast_ref::<bench::Stopped>() => {
            eprintln!("lb-proxy: {stopped}");
            ExitCode::from(stopped.exit_code())
        }
        Err(error) => {
            // The error and its causes on one line.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `proxy` mode: says where it listens (with port 0, the port the system picked),
/// then runs until SIGINT or SIGTERM.
fn serve(config: Config) -> Result<()> {
    let proxy = proxy::prepare(config)?;
    println!("lb-proxy: listening on http://{}", proxy.address());
    proxy.run(Shutdown::default())?;
    Ok(())
}

// ANCHOR: demo
fn demo(requests: Option<usize>) -> Result<()> {
    let upstreams = [
        Upstream::start("upstream A")?,
        Upstream::start("upstream B")?,
    ];
    let addresses: Vec<String> = upstreams.iter().map(|u| u.address.to_string()).collect();
    let proxy = proxy::prepare(Config {
        // Port 0: the system picks a free port.
        listen: "127.0.0.1:0".to_owned(),
        upstreams: addresses.clone(),
        threads: NonZeroUsize::MIN,
        health_every: Duration::from_millis(500),
    })?;
    let listen = proxy.address();
    // The proxy runs on its own thread until `shutdown` says stop (or Ctrl-C).
    let shutdown = Shutdown::default();
    let proxy = thread::spawn({
        let shutdown = shutdown.clone();
        move || proxy.run(shutdown)
    });
    if let Err(error) = client::wait_until_listening(listen, Duration::from_secs(10)) {
        // If the proxy gave up, its own error says why.
        return match proxy.is_finished() {
            true => stopped(proxy).context("the proxy did not start"),
            false => Err(error).context("the proxy did not start"),
        };
    }

    let Some(count) = requests else {
        println!(
            "Proxy on http://{listen}, balancing over {}",
            addresses.join(" and ")
        );
        println!("Try: curl -i http://{listen}/   (Ctrl-C stops everything)");
        return stopped(proxy);
    };
    // Which upstream answered, in name order (round robin starts at whichever
    // upstream's address sorts first, so the order of answers varies between runs).
    let mut answered_by = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..count {
        let response = client::get(listen, "/").context("sending a request through the proxy")?;
        let mut body = response.body.lines();
        let upstream = body.next().unwrap_or("?").to_owned();
        println!(
            "HTTP {}, x-proxy: {}, upstream saw {}",
            response.status,
            response.header("x-proxy").unwrap_or("-"),
            body.next().unwrap_or("?"),
        );
        *answered_by.entry(upstream).or_default() += 1;
    }
    for (upstream, requests) in answered_by {
        println!("{upstream} answered {requests} requests");
    }
    // A clean stop: the proxy finishes, then the upstreams shut down as they drop.
    shutdown.stop();
    stopped(proxy)
}

/// Waits for the proxy's thread and returns how it ended.
fn stopped(proxy: thread::JoinHandle<Result<(), proxy::ProxyError>>) -> Result<()> {
    proxy
        .join()
        .map_err(|_| anyhow!("the proxy's thread panicked"))?
        .context("running the proxy")
}
// ANCHOR_END: demo
