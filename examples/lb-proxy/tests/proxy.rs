//! The proxy against real upstream servers on 127.0.0.1: load spreading, header
//! rewriting, failover when an upstream dies, bad requests and a dead pool. Each test
//! starts its own upstreams and proxy on free ports, and stops them at the end.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lb_proxy::client::{self, free_address, wait_until_listening};
use lb_proxy::upstream::Upstream;

/// How often the proxy checks its upstreams in `proxy` mode.
const HEALTH_CHECK_EVERY: Duration = Duration::from_millis(200);

/// The proxy as a child process, stopped with SIGINT (Ctrl-C) when dropped.
struct Proxy {
    child: Child,
    address: SocketAddr,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// The example, run through Cargo (which builds it if needed and then replaces itself
/// with it, so the child's process ID is the proxy's).
fn example_command() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.args([
        "run",
        "--quiet",
        "--package",
        "lb-proxy",
        "--example",
        "lb-proxy",
        "--",
    ]);
    command
}

fn start_proxy(upstreams: &[&Upstream]) -> Proxy {
    // Build first, once: while Cargo compiles, another test's upstream could take the
    // port picked below, and the proxy would then fail to bind it.
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let built = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "--package",
                "lb-proxy",
                "--example",
                "lb-proxy",
            ])
            .status()
            .expect("cargo runs");
        assert!(built.success(), "the example builds");
    });
    let address = free_address().expect("a free port");
    let mut command = example_command();
    command.args(["proxy", "--listen", &address.to_string()]);
    for upstream in upstreams {
        command.args(["--upstream", &upstream.address.to_string()]);
    }
    let child = command
        .stdout(Stdio::null())
        .spawn()
        .expect("the proxy starts");
    let proxy = Proxy { child, address };
    wait_until_listening(address, Duration::from_secs(60)).expect("the proxy listens");
    proxy
}

fn answered_by(proxy: &Proxy) -> Result<String, String> {
    let response = client::get(proxy.address, "/").map_err(|error| error.to_string())?;
    if response.status != 200 {
        return Err(format!("HTTP {}", response.status));
    }
    Ok(response.body.lines().next().unwrap_or_default().to_owned())
}

#[test]
fn requests_are_spread_round_robin_and_headers_rewritten() {
    let (a, b) = (Upstream::start("A").unwrap(), Upstream::start("B").unwrap());
    let proxy = start_proxy(&[&a, &b]);
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
    let proxy = start_proxy(&[&a, &b]);
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
    let proxy = start_proxy(&[&a]);
    let response = client::send_raw(proxy.address, b"THIS IS NOT HTTP\r\n\r\n").unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A"));
}

#[test]
fn a_dead_pool_gets_an_error_status_and_recovers() {
    let mut a = Upstream::start("A").unwrap();
    let address = a.address;
    let proxy = start_proxy(&[&a]);
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
