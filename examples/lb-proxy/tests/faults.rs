//! The proxy under faults and hostile input: bad command lines, a listen address it
//! cannot have, an upstream killed under load, an upstream that accepts connections but
//! never answers, and requests pipelined on one connection. Traffic stays on 127.0.0.1
//! and every test is bounded in requests and time.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{addresses, example, start_proxy};
use lb_proxy::client;
use lb_proxy::failover;
use lb_proxy::proxy::HEALTH_EVERY;
use lb_proxy::upstream::Upstream;

/// Runs the example with `args` and returns its exit code and standard error. A run
/// that does not end within 20 s is killed and fails the test: it must never hang.
fn run_example(args: &[&str]) -> (Option<i32>, String) {
    let mut child = example()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let started = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`lb-proxy {}` did not exit within 20 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("its output");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_and_bad_arguments_get_usage_not_a_panic() {
    let output = example().arg("--help").output().expect("the example runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Usage: lb-proxy"));

    for args in [
        &["--bogus"][..],
        &[
            "proxy",
            "--listen",
            "127.0.0.1:1",
            "--upstream",
            "127.0.0.1:2",
            "--threads",
            "0",
        ],
        &["proxy", "--upstream", "127.0.0.1:2"],
        &["--requests", "many"],
    ] {
        let (code, stderr) = run_example(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_listen_address_it_cannot_have_is_a_one_line_error_at_once() {
    // Build the example first: "at once" is about the run, not about Cargo.
    example();
    let busy = TcpListener::bind("127.0.0.1:0").expect("a port");
    let busy = busy.local_addr().expect("its address").to_string();
    for (listen, expected) in [
        (busy.as_str(), "Address already in use"),
        ("not-an-address", "is not an address like 127.0.0.1:8080"),
        // An address no interface of this machine has.
        ("192.0.2.1:8080", "Cannot assign requested address"),
    ] {
        let started = Instant::now();
        let (code, stderr) =
            run_example(&["proxy", "--listen", listen, "--upstream", "127.0.0.1:9"]);
        assert_eq!(code, Some(1), "{listen}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{listen}: one line:\n{stderr}");
        assert!(stderr.contains(expected), "{listen}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{listen}: it took {:?}",
            started.elapsed()
        );
    }
}

// ANCHOR: failover_under_load
#[test]
fn no_request_fails_when_an_upstream_dies_under_load() {
    let (a, mut b) = (Upstream::start("A").unwrap(), Upstream::start("B").unwrap());
    let proxy = start_proxy(&addresses(&[&a, &b]));
    // 16 clients for 3 s, B killed after 1 s: requests in flight on B, connections
    // to B kept alive in the proxy's pool, and new requests sent to B before the next
    // health check all have to end up on A.
    let report = failover::under_load(proxy.address, 16, Duration::from_secs(3), 4_000, || {
        b.stop();
    });
    eprintln!(
        "{} requests, {} failed, failing for {:?} after the kill",
        report.requests,
        report.failures.len(),
        report.failing_for
    );
    assert!(report.requests > 500, "only {} requests", report.requests);
    assert!(report.failures.is_empty(), "failed: {:?}", report.failures);
}
// ANCHOR_END: failover_under_load

#[test]
fn an_upstream_that_accepts_but_never_answers_is_taken_out() {
    let a = Upstream::start("A").unwrap();
    // A stuck server: the kernel completes TCP handshakes for a listening socket even
    // when the program never calls accept, so a TCP health check would pass.
    let stuck = TcpListener::bind("127.0.0.1:0").expect("a port");
    let proxy = start_proxy(&[a.address, stuck.local_addr().expect("its address")]);
    // The HTTP health check times out on it within a few periods.
    std::thread::sleep(4 * HEALTH_EVERY);
    // A request sent to the stuck upstream would wait for the proxy's 5 s read
    // timeout and then be retried on A, so "answered by A" alone would not show that
    // the stuck one is out. An answer must come well before that.
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    for _ in 0..20 {
        let response = client::send_raw_within(proxy.address, request, Duration::from_secs(2))
            .expect("an answer within 2 s: the stuck upstream is out of the rotation");
        assert_eq!(response.status, 200);
        assert!(response.body.starts_with("A\n"), "{}", response.body);
    }
}

#[test]
fn pipelined_requests_each_get_an_answer_in_order() {
    let a = Upstream::start("A").unwrap();
    let proxy = start_proxy(&[a.address]);
    let mut stream = TcpStream::connect(proxy.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    // Three requests in one write, before reading any answer.
    let request = |path: &str, close: bool| {
        let connection = if close { "close" } else { "keep-alive" };
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: {connection}\r\n\r\n")
    };
    let requests = request("/one", false) + &request("/two", false) + &request("/three", true);
    stream.write_all(requests.as_bytes()).expect("send");
    let mut answers = String::new();
    stream
        .read_to_string(&mut answers)
        .expect("read until the proxy closes");
    assert_eq!(answers.matches("HTTP/1.1 200").count(), 3, "{answers}");
}
