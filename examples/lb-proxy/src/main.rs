//! `cargo run --example lb-proxy` starts two demo upstreams and the Pingora proxy in
//! front of them, on 127.0.0.1, and prints how to try it with curl.
//!
//! - `-- --requests N` sends N requests through it, prints what came back, and exits.
//! - `-- proxy --listen ADDR --upstream ADDR...` runs only the proxy (the tests do).
//! - `-- bench` measures the upstream, nginx as a proxy and this proxy with wrk, and
//!   writes `results/bench.md` (run it with `--release`).

mod bench;

// ANCHOR: allocator
/// Every request allocates and frees buffers and header maps. glibc's malloc showed up
/// as about a tenth of the proxy's CPU time in a profile; mimalloc is faster at this.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
// ANCHOR_END: allocator

use std::time::Duration;

use anyhow::{Context, Result, bail};
use lb_proxy::client;
use lb_proxy::upstream::Upstream;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => demo(None),
        Some("--requests") => {
            let count = args
                .get(1)
                .and_then(|n| n.parse().ok())
                .context("--requests takes a number")?;
            demo(Some(count))
        }
        Some("proxy") => run_proxy_only(&args[1..]),
        Some("bench") => bench::run(),
        Some(other) => {
            bail!("unknown argument {other:?}; see the comment at the top of src/main.rs")
        }
    }
}

// ANCHOR: demo
fn demo(requests: Option<usize>) -> Result<()> {
    let upstreams = [
        Upstream::start("upstream A")?,
        Upstream::start("upstream B")?,
    ];
    let addresses: Vec<String> = upstreams.iter().map(|u| u.address.to_string()).collect();
    let listen = client::free_address()?;
    let proxy_addresses = addresses.clone();
    std::thread::spawn(move || {
        lb_proxy::proxy::run(
            &listen.to_string(),
            &proxy_addresses,
            1,
            Duration::from_millis(500),
        )
    });
    client::wait_until_listening(listen, Duration::from_secs(10))
        .context("the proxy did not start")?;

    let Some(count) = requests else {
        println!(
            "Proxy on http://{listen}, balancing over {}",
            addresses.join(" and ")
        );
        println!("Try: curl -i http://{listen}/   (Ctrl-C stops everything)");
        loop {
            std::thread::park();
        }
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
    // Pingora runs until the process ends; the upstreams stop with it.
    std::process::exit(0)
}
// ANCHOR_END: demo

fn run_proxy_only(args: &[String]) -> Result<()> {
    let mut listen = None;
    let mut upstreams = Vec::new();
    let mut threads = 1;
    let mut words = args.iter();
    while let Some(flag) = words.next() {
        let value = words
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--listen" => listen = Some(value.clone()),
            "--upstream" => upstreams.push(value.clone()),
            "--threads" => threads = value.parse().context("--threads takes a number")?,
            _ => bail!("unknown option {flag}"),
        }
    }
    let listen = listen.context("--listen ADDRESS is required")?;
    if upstreams.is_empty() {
        bail!("at least one --upstream ADDRESS is required");
    }
    lb_proxy::proxy::run(&listen, &upstreams, threads, Duration::from_millis(200))
}
