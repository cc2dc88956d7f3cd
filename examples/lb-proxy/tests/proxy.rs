//! The proxy against real upstream servers on 127.0.0.1: load spreading, header
//! rewriting, failover when an upstream dies, bad requests, requests without a Host
//! header and a dead pool. Each test starts its own upstreams and proxy on free ports,
//! and stops them at the end.

mod common;

use std::time::{Duration, Instant};

use common::{addresses, answered_by, start_proxy};
use lb_proxy::client;
use lb_proxy::proxy::HEALTH_EVERY as HEALTH_CHECK_EVERY;
use lb_proxy::upstream::Upstream;

#[test]
fn requests_are_spread_round_robin_and_headers_rewritten() {
    let (a, b) = (Upstream::start("A").unwrap(), Upstream::start("B").unwrap());
    let proxy = start_proxy(&addresses(&[&a, &b]));
    let mut counts = std::collections::BTreeMap::<String, u32>::new();
    for _ in 0..20 {
        *counts.entry(answered_by(&proxy).unwrap()).or_default() += 1;
    }
    assert_eq!(counts, [("A".to_owned(), 10), ("B".to_owned(), 10)].into());

    let response = client::get(proxy.address, "/").unwrap();
    assert_eq!(
        response.header("x-proxy"),
        Some("pingora"),
        "response header added"
    );
    assert!(
        response.body.contains("x-forwarded-by: rust-in-2026"),
        "request header added"
    );
}

// ANCHOR: failover
#[test]
fn no_request_fails_once_a_dead_upstream_is_marked_down() {
    let (a, mut b) = (Upstream::start("A").unwrap(), Upstream::start("B").unwrap());
    let proxy = start_proxy(&addresses(&[&a, &b]));
    for _ in 0..10 {
        answered_by(&proxy).unwrap();
    }

    b.stop(); // B crashes: its listener and every open connection close
    let killed = Instant::now();
    let (mut before, mut after, mut failed_after) = (0, 0, Vec::new());
    while killed.elapsed() < Duration::from_secs(2) {
        let result = answered_by(&proxy);
        if killed.elapsed() < 3 * HEALTH_CHECK_EVERY {
            before += u32::from(result.is_err());
        } else {
            after += 1;
            if result.as_deref() != Ok("A") {
                failed_after.push(result);
            }
        }
    }
    assert!(after > 50, "only {after} requests after the health check");
    assert!(
        failed_after.is_empty(),
        "failed after B was marked down: {failed_after:?}"
    );
    // Connection failures are retried on the next upstream, so even the requests
    // sent before the health check noticed should succeed.
    assert_eq!(
        before, 0,
        "requests failed before the health check marked B down"
    );
}
// ANCHOR_END: failover

#[test]
fn a_malformed_request_gets_400_and_the_proxy_keeps_serving() {
    let a = Upstream::start("A").unwrap();
    let proxy = start_proxy(&addresses(&[&a]));
    let response = client::send_raw(proxy.address, b"THIS IS NOT HTTP\r\n\r\n").unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A"));
}

#[test]
fn a_request_without_exactly_one_host_header_gets_400() {
    let a = Upstream::start("A").unwrap();
    let proxy = start_proxy(&addresses(&[&a]));
    // HTTP/1.1 requires one Host header (RFC 9112, section 3.2); HTTP/1.0 does not.
    for (request, status) in [
        (&b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"[..], 400),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
            400,
        ),
        (b"GET / HTTP/1.0\r\n\r\n", 200),
    ] {
        let response = client::send_raw(proxy.address, request).unwrap();
        assert_eq!(
            response.status,
            status,
            "{}",
            String::from_utf8_lossy(request)
        );
    }
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A"));
}

#[test]
fn a_dead_pool_gets_an_error_status_and_recovers() {
    let mut a = Upstream::start("A").unwrap();
    let address = a.address;
    let proxy = start_proxy(&addresses(&[&a]));
    a.stop();
    std::thread::sleep(3 * HEALTH_CHECK_EVERY);
    let response = client::get(proxy.address, "/").unwrap();
    assert!(
        matches!(response.status, 502 | 503),
        "got HTTP {}",
        response.status
    );

    // The upstream comes back on the same address; the health check notices.
    let _a_again = Upstream::start_on("A again", address).unwrap();
    std::thread::sleep(3 * HEALTH_CHECK_EVERY);
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A again"));
}
