//! The proxy under faults and hostile input: bad command lines, a listen address it
//! cannot have, threads the system refuses, an upstream killed under load, an upstream
//! that accepts connections but never answers, an upstream that dies in the middle of
//! a response, requests pipelined on one connection, failed requests and the log, and
//! the benchmark stopped by a signal. Traffic stays on 127.0.0.1 and every test is
//! bounded in requests and time.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{
    Proxy, addresses, answered_by, example, start_proxy, start_proxy_with, start_proxy_with_stderr,
};
use lb_proxy::client;
use lb_proxy::failover;
use lb_proxy::proxy::{HEALTH_EVERY, READ_TIMEOUT};
use lb_proxy::upstream::Upstream;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Runs the example with `args` and returns its exit code and standard error. A run
/// that does not end within 20 s is killed and fails the test: it must never hang.
fn run_example(args: &[&str]) -> (Option<i32>, String) {
    run_to_the_end(example().args(args))
}

/// Runs `command` like [`run_example`] does.
fn run_to_the_end(command: &mut Command) -> (Option<i32>, String) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let started = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{command:?}` did not exit within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("its output");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The proxy's standard error, once it has stopped: every line it wrote is there.
fn log_of(mut proxy: Proxy) -> String {
    let mut stderr = proxy.child.stderr.take().expect("piped");
    drop(proxy);
    let mut log = String::new();
    stderr
        .read_to_string(&mut log)
        .expect("the proxy's standard error");
    eprint!("{log}");
    log
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
fn threads_and_health_checks_out_of_range_are_usage_errors() {
    for (args, expected) in [
        (["--threads", "257"], "the proxy runs on 1 to 256 threads"),
        (
            ["--threads", "100000"],
            "the proxy runs on 1 to 256 threads",
        ),
        // Health checks without pause: a new connection to each upstream, all the time.
        (["--health-every", "0s"], "the least is 100ms"),
        (["--health-every", "10ms"], "the least is 100ms"),
    ] {
        let mut command = vec!["proxy", "--listen", "127.0.0.1:0"];
        command.extend(["--upstream", "127.0.0.1:9"]);
        command.extend(args);
        let (code, stderr) = run_example(&command);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn threads_the_system_refuses_are_a_one_line_error_not_a_panic() {
    // RUST_MIN_STACK sets the stack size of every new thread of the standard library
    // (and of Pingora's and tokio's, which are made with it). 2^60 bytes is more than
    // the address space, so every thread is refused, as under a limit on processes.
    let (code, stderr) = run_to_the_end(
        example()
            .args([
                "proxy",
                "--listen",
                "127.0.0.1:0",
                "--upstream",
                "127.0.0.1:9",
            ])
            .env("RUST_MIN_STACK", (1_u64 << 60).to_string()),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(
        stderr.starts_with("error: cannot start the proxy's threads"),
        "{stderr}"
    );
}

#[test]
fn listening_on_port_0_prints_the_port_it_got() {
    let a = Upstream::start("A").unwrap();
    let child = example()
        .args(["proxy", "--listen", "127.0.0.1:0"])
        .args(["--upstream", &a.address.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the proxy starts");
    // Stopped when dropped, whatever happens next.
    let mut proxy = Proxy {
        child,
        address: "0.0.0.0:0".parse().expect("an address"),
    };
    // Its first line, read on another thread: a proxy that prints nothing must fail
    // the test, not hang it.
    let stdout = proxy.child.stdout.take().expect("piped");
    let (line_sender, line) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = line_sender.send(line);
    });
    let line = line
        .recv_timeout(Duration::from_secs(60))
        .expect("a first line within 60 s");
    proxy.address = line
        .trim()
        .strip_prefix("lb-proxy: listening on http://")
        .and_then(|address| address.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    assert_ne!(proxy.address.port(), 0);
    client::wait_until_listening(proxy.address, Duration::from_secs(10))
        .expect("the proxy listens where it said");
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A"));
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
    // A request sent to the stuck upstream would wait for the proxy's read timeout
    // and then be retried on A, so "answered by A" alone would not show that the
    // stuck one is out. An answer must come well before that.
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    for _ in 0..20 {
        let response = client::send_raw_within(proxy.address, request, READ_TIMEOUT / 2)
            .expect("an answer within half the read timeout: the stuck one is out");
        assert_eq!(response.status, 200);
        assert!(response.body.starts_with("A\n"), "{}", response.body);
    }
}

/// An upstream whose health check passes while its real work is stuck: it answers
/// `GET /` at once, and accepts every other request, reads it, and never answers. It
/// counts those requests by method.
struct StuckUpstream {
    address: SocketAddr,
    gets: Arc<AtomicUsize>,
    posts: Arc<AtomicUsize>,
}

impl StuckUpstream {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let address = listener.local_addr().expect("its address");
        let (gets, posts) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        std::thread::spawn({
            let (gets, posts) = (gets.clone(), posts.clone());
            move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let (gets, posts) = (gets.clone(), posts.clone());
                    std::thread::spawn(move || {
                        let head = read_head(&mut stream);
                        if head.starts_with("GET / ") {
                            let _ = stream.write_all(
                                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                            );
                            return;
                        }
                        let counter = if head.starts_with("POST") {
                            &posts
                        } else {
                            &gets
                        };
                        counter.fetch_add(1, Ordering::SeqCst);
                        // Stuck: hold the connection until the proxy gives up and closes it.
                        while matches!(stream.read(&mut [0; 1024]), Ok(n) if n > 0) {}
                    });
                }
            }
        });
        Self {
            address,
            gets,
            posts,
        }
    }
}

/// Reads a request head (up to its blank line), or what came before the connection
/// ended.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

// ANCHOR: stuck_upstream
#[test]
fn a_stuck_upstream_delays_a_request_by_at_most_the_read_timeout() {
    let (a, stuck) = (Upstream::start("A").unwrap(), StuckUpstream::start());
    // Its health check passes, so the stuck upstream stays in the rotation: only the
    // read timeout bounds what it costs a client.
    let proxy = start_proxy(&[a.address, stuck.address]);
    // A request that starts on the stuck upstream waits for the read timeout, then is
    // retried on A. With a read timeout of 5 s, clients waited 4 s and more; the bound
    // here is well below that, and leaves time for the retry on a busy machine.
    let bound = Duration::from_secs(2);
    let request = b"GET /work HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    let started = Instant::now();
                    let response = client::send_raw_within(proxy.address, request, 2 * bound);
                    (response, started.elapsed())
                })
            })
            .collect();
        for client in clients {
            let (response, took) = client.join().expect("a client thread");
            let response = response.expect("an answer");
            assert_eq!(response.status, 200);
            assert!(response.body.starts_with("A\n"), "{}", response.body);
            assert!(took < bound, "answered after {took:?}");
        }
    });
    assert!(
        stuck.gets.load(Ordering::SeqCst) > 0,
        "no request started on the stuck upstream"
    );

    // A POST is not sent twice: the one that reaches the stuck upstream gets 502 once
    // the read timeout is over, not A's answer (A takes only GET, and answers a POST
    // with 405).
    for _ in 0..4 {
        let before = stuck.posts.load(Ordering::SeqCst);
        let started = Instant::now();
        let response = client::send_raw_within(
            proxy.address,
            b"POST /pay HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
            2 * bound,
        )
        .expect("an answer");
        if stuck.posts.load(Ordering::SeqCst) > before {
            assert_eq!(response.status, 502, "the POST was sent again");
            assert!(started.elapsed() < bound, "after {:?}", started.elapsed());
            return;
        }
        assert_eq!(response.status, 405, "A's answer to a POST");
    }
    panic!("no POST reached the stuck upstream in 4 tries");
}
// ANCHOR_END: stuck_upstream

#[test]
fn every_failed_request_gets_one_line_in_the_log() {
    let mut a = Upstream::start("A").unwrap();
    let upstream = a.address;
    // Health checks too rare to notice that A stops: the next request tries it.
    let proxy = start_proxy_with(&[upstream], &["--health-every", "1h"], Stdio::piped());
    assert_eq!(answered_by(&proxy).as_deref(), Ok("A"));
    a.stop();
    let closed = Instant::now();
    while TcpStream::connect(upstream).is_ok() {
        assert!(
            closed.elapsed() < Duration::from_secs(10),
            "A still listens"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // The upstream refuses the connection.
    let response = client::get(proxy.address, "/refused").expect("an answer");
    assert!(
        matches!(response.status, 502 | 503),
        "HTTP {}",
        response.status
    );
    // The client's fault: no Host header.
    let response = client::send_raw(proxy.address, b"GET /no-host HTTP/1.1\r\n\r\n");
    assert_eq!(response.expect("an answer").status, 400);
    // The client goes away before its request is complete.
    let mut stream = TcpStream::connect(proxy.address).expect("connect");
    stream
        .write_all(b"GET /half HTTP/1.1\r\nHost: loc")
        .expect("send");
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("half-close");
    let _ = stream.read_to_end(&mut Vec::new());

    let log = log_of(proxy);
    for (request, says) in [
        ("GET /refused", "client got 50"),
        ("GET /no-host", "client got 400"),
    ] {
        let lines: Vec<&str> = log.lines().filter(|line| line.contains(request)).collect();
        assert_eq!(lines.len(), 1, "one line for {request}:\n{log}");
        assert!(lines[0].contains(says), "{request}: {}", lines[0]);
    }
    // Pingora never saw a whole request, so it has no method or path to print.
    assert_eq!(
        log.lines()
            .filter(|line| line.starts_with("lb-proxy: pingora:"))
            .count(),
        1,
        "one line for the half request:\n{log}"
    );
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

/// A process, told apart from a later one with the same id by its start time.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Process {
    pid: u32,
    started: u64,
}

impl Process {
    /// The parent's id and the start time, from `/proc/PID/stat`.
    fn stat(pid: u32) -> Option<(char, u32, u64)> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // After the program's name, which is in parentheses and may contain anything:
        // state, parent, ..., start time (the 22nd field of the line).
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let state = fields.first()?.chars().next()?;
        Some((
            state,
            fields.get(1)?.parse().ok()?,
            fields.get(19)?.parse().ok()?,
        ))
    }

    /// Still running: not gone, not a zombie, not replaced by another process.
    fn running(self) -> bool {
        Self::stat(self.pid)
            .is_some_and(|(state, _, started)| state != 'Z' && started == self.started)
    }
}

/// Every process started, directly or not, by process `root`.
fn descendants(root: u32) -> Vec<Process> {
    let all: Vec<(u32, u32, u64)> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .filter_map(|pid| {
            let (_, parent, started) = Process::stat(pid)?;
            Some((pid, parent, started))
        })
        .collect();
    let mut found = vec![root];
    let mut index = 0;
    while let Some(&parent) = found.get(index) {
        found.extend(all.iter().filter(|p| p.1 == parent).map(|p| p.0));
        index += 1;
    }
    all.iter()
        .filter(|(pid, ..)| *pid != root && found.contains(pid))
        .map(|&(pid, _, started)| Process { pid, started })
        .collect()
}

/// Kills, when dropped, whichever of these processes still run: a failed test leaves
/// no server behind.
struct KillLeftovers(Vec<Process>);

impl Drop for KillLeftovers {
    fn drop(&mut self) {
        for process in self.0.iter().filter(|process| process.running()) {
            let _ = kill(Pid::from_raw(process.pid.cast_signed()), Signal::SIGKILL);
        }
    }
}

/// Whether the benchmark's programs are installed; CI must have them.
fn benchmark_tools_installed() -> bool {
    let missing: Vec<&str> = ["nginx", "wrk"]
        .into_iter()
        .filter(|program| Command::new(program).arg("-v").output().is_err())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!("NOT CHECKED: {missing:?} not installed (see `cargo xtask setup`)");
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("\n!!!!! {message} !!!!!\n");
    false
}

#[test]
fn the_benchmark_stops_everything_it_started_on_sigint_and_sigterm() {
    if !benchmark_tools_installed() {
        return;
    }
    for (signal, code) in [(Signal::SIGTERM, 143), (Signal::SIGINT, 130)] {
        let mut bench = example()
            .arg("bench")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the benchmark starts");
        let id = bench.id();
        // "round 1/3" comes once nginx and the proxy listen.
        let mut stdout = BufReader::new(bench.stdout.take().expect("piped"));
        let mut line = String::new();
        while !line.starts_with("round 1/") {
            line.clear();
            let read = stdout.read_line(&mut line).expect("its output");
            assert!(read > 0, "the benchmark ended before measuring");
        }
        // nginx's master process starts its worker after it listens: wait for it.
        let started = Instant::now();
        let running = loop {
            let running = descendants(id);
            let nginx_worker = running
                .iter()
                .any(|p| Process::stat(p.pid).is_some_and(|(_, parent, _)| parent != id));
            if nginx_worker || started.elapsed() > Duration::from_secs(10) {
                break running;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let leftovers = KillLeftovers(running.clone());
        assert!(
            running.len() >= 3,
            "nginx, its worker, the proxy: {running:?}"
        );

        kill(Pid::from_raw(id.cast_signed()), signal).expect("the signal is sent");
        let stopping = Instant::now();
        let status = loop {
            if let Some(status) = bench.try_wait().expect("try_wait") {
                break status;
            }
            if stopping.elapsed() > Duration::from_secs(20) {
                let _ = bench.kill();
                panic!("the benchmark did not stop within 20 s of {signal}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let still_running: Vec<Process> = running.iter().copied().filter(|p| p.running()).collect();
        // Before reading standard error to its end: a leftover child would hold it open.
        drop(leftovers);
        let mut stderr = String::new();
        bench
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut stderr)
            .expect("its standard error");

        assert_eq!(status.code(), Some(code), "{signal}: {status}\n{stderr}");
        assert!(
            still_running.is_empty(),
            "{signal}: left running: {still_running:?}"
        );
        let scratch = std::env::temp_dir().join(format!("lb-proxy-bench-{id}"));
        assert!(!scratch.exists(), "{signal}: {} is left", scratch.display());
        let said: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains(signal.as_str()))
            .collect();
        assert_eq!(said.len(), 1, "{signal}: one line about it:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
