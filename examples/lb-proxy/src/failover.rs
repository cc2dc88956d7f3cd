//! An upstream killed while clients keep sending requests: how many fail, and for how
//! long. The failover test asserts on it; `cargo run --release --example lb-proxy --
//! failover` prints the same measurement for the chapter.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::client;

/// What the clients saw.
#[derive(Debug, Default)]
pub struct Report {
    pub requests: usize,
    /// Requests that got no `200` answer, with what they got instead.
    pub failures: Vec<String>,
    /// From the kill to the last failure, if any failed after it.
    pub failing_for: Option<Duration>,
}

/// Runs `clients` threads that send GET requests through `proxy` back to back for
/// `duration`, and calls `kill` a third of the way in. Each client sends at most
/// `max_per_client` requests, so the test stays bounded on a fast machine.
pub fn under_load(
    proxy: SocketAddr,
    clients: usize,
    duration: Duration,
    max_per_client: usize,
    kill: impl FnOnce(),
) -> Report {
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let mut killed_at = None;
    let results: Vec<Vec<(Instant, Result<(), String>)>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| {
                    let mut results = Vec::new();
                    while !stop.load(Ordering::Relaxed) && results.len() < max_per_client {
                        let result = match client::get(proxy, "/") {
                            Ok(response) if response.status == 200 => Ok(()),
                            Ok(response) => Err(format!("HTTP {}", response.status)),
                            Err(error) => Err(error.to_string()),
                        };
                        results.push((Instant::now(), result));
                    }
                    results
                })
            })
            .collect();
        thread::sleep(duration / 3);
        kill();
        killed_at = Some(Instant::now());
        thread::sleep(duration.saturating_sub(started.elapsed()));
        stop.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    let killed_at = killed_at.unwrap_or(started);
    let mut report = Report::default();
    for (at, result) in results.into_iter().flatten() {
        report.requests += 1;
        if let Err(failure) = result {
            report.failures.push(failure);
            let after = at.saturating_duration_since(killed_at);
            report.failing_for = report.failing_for.max(Some(after));
        }
    }
    report
}
