//! The proxy under faults and hostile input: bad command lines, a listen address it
//! cannot have, an upstream killed under load, an upstream that accepts connections but
//! never answers, an upstream that dies in the middle of a response, and requests
//! pipelined on one connection. Traffic stays on 127.0.0.1
//! and every test is bounded in requests and time.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{addresses, example, start_proxy, start_proxy_with_stderr};
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

/// The file both upstreams of the next test serve: 100,000 bytes, byte `i` equal to
/// `i % 251`. A copy that starts again after the first N bytes, for any N that is not
/// a multiple of 251, differs from the original from there on.
fn the_file() -> Vec<u8> {
    (0..=250u8).cycle().take(100_000).collect()
}

/// An upstream on a bare socket, so the test decides every byte it sends. `GET
/// /file?dies-after=N` gets the whole file, or, from a dying upstream, the response
/// head and the first N bytes, then a closed connection. Anything else, such as the
/// health check's `GET /`, gets a short `200`. Its responses say which upstream sent
/// them in `X-Upstream`.
struct FileUpstream {
    address: SocketAddr,
    /// How many `GET /file` requests it started to answer.
    files_started: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FileUpstream {
    fn start(dies: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let address = listener.local_addr().expect("its address");
        let files_started = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        std::thread::spawn({
            let (files_started, stop) = (files_started.clone(), stop.clone());
            move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let files_started = files_started.clone();
                    std::thread::spawn(move || answer(stream, &files_started, dies));
                }
            }
        });
        Self {
            address,
            files_started,
            stop,
        }
    }

    fn files_started(&self) -> usize {
        self.files_started.load(Ordering::Relaxed)
    }
}

impl Drop for FileUpstream {
    fn drop(&mut self) {
        // Wake the accepting thread so that it sees the flag and ends.
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.address);
    }
}

/// One connection of a [`FileUpstream`]: reads a request head, answers, closes.
fn answer(mut stream: TcpStream, files_started: &AtomicUsize, dies: bool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buffer = [0; 1024];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let name = if dies { "dying" } else { "whole" };
    let request = String::from_utf8_lossy(&request);
    let Some(cut) = request
        .strip_prefix("GET /file?dies-after=")
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(cut, _)| cut.parse::<usize>().ok())
    else {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nX-Upstream: {name}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        );
        return;
    };
    files_started.fetch_add(1, Ordering::Relaxed);
    let file = the_file();
    let head = format!(
        "HTTP/1.1 200 OK\r\nX-Upstream: {name}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        file.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if dies {
        let _ = stream.write_all(&file[..cut.min(file.len())]);
        // Time for the proxy to pass the head and those bytes on; then the stream is
        // dropped, which closes the connection in the middle of the body.
        std::thread::sleep(Duration::from_millis(200));
    } else {
        let _ = stream.write_all(&file);
    }
}

/// Sends `GET path` through the proxy and reads until the proxy ends the response, by
/// closing or by resetting the connection. Returns the response head, lowercased, and
/// the body bytes that arrived.
fn get_until_closed(proxy: SocketAddr, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(proxy).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut received = Vec::new();
    let mut buffer = [0; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            // A reset ends the response too; the client has what came before it.
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(error) => panic!("the response did not end within 10 s: {error}"),
        }
    }
    let end = received
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {received:?}"));
    let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
    (head, received[end + 4..].to_vec())
}

// ANCHOR: died_mid_response
#[test]
fn a_response_cut_short_is_not_completed_by_another_upstream() {
    let (dying, whole) = (FileUpstream::start(true), FileUpstream::start(false));
    let mut proxy = start_proxy_with_stderr(&[dying.address, whole.address], Stdio::piped());
    let file = the_file();
    let mut cut_short = 0;
    // 1,000 bytes stay in the proxy's write buffer (1,460 bytes) until the upstream
    // dies; 10,000 reach the client before it does. Round robin over two upstreams:
    // one request of each pair starts on the dying upstream.
    for dies_after in [1_000, 1_000, 10_000, 10_000] {
        let (head, body) =
            get_until_closed(proxy.address, &format!("/file?dies-after={dies_after}"));
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-length: 100000"), "{head}");
        // Every byte the client got is the file's byte at that offset. A retry on the
        // other upstream would append that upstream's copy from its first byte: a
        // 100,000-byte body, wrong from byte N on, that looks complete.
        let wrong_from = body
            .iter()
            .zip(&file)
            .position(|(got, expected)| got != expected);
        assert_eq!(
            wrong_from,
            None,
            "{} bytes, wrong from byte {wrong_from:?}: a second response was spliced in",
            body.len()
        );
        if head.contains("x-upstream: dying") {
            // Shorter than its Content-Length: the client can tell it is incomplete.
            assert_eq!(body.len(), dies_after);
            cut_short += 1;
        } else {
            assert_eq!(body.len(), file.len());
        }
    }
    assert_eq!(
        cut_short, 2,
        "one request of each pair went to the dying upstream"
    );
    assert_eq!(dying.files_started(), cut_short);
    // The whole upstream answered its own two requests and no others: nothing was
    // sent to it again.
    assert_eq!(whole.files_started(), 2);

    // The proxy said so: one line on standard error for each response it cut short.
    let mut stderr = proxy.child.stderr.take().expect("piped");
    drop(proxy);
    let mut log = String::new();
    stderr
        .read_to_string(&mut log)
        .expect("the proxy's standard error");
    eprint!("{log}");
    assert_eq!(log.matches("GET /file").count(), cut_short, "{log}");
}
// ANCHOR_END: died_mid_response
