//! The proxy: Pingora does the HTTP work; this file decides where each request goes,
//! what it changes on the way, how upstreams are checked, and how the proxy starts and
//! stops.

use std::net::{SocketAddr, TcpListener};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use pingora::http::Version;
use pingora::lb::health_check::HttpHealthCheck;
use pingora::lb::selection::RoundRobin;
use pingora::lb::{Backend, LoadBalancer};
use pingora::prelude::*;
use pingora::server::configuration::ServerConf;
use pingora::server::{RunArgs, ShutdownSignal, ShutdownSignalWatch};
use pingora::services::background::background_service;
use tokio::sync::watch;

// ANCHOR: proxy
pub struct LoadBalancedProxy {
    upstreams: Arc<LoadBalancer<RoundRobin>>,
}

/// Per-request state: how many upstreams this request has tried, which one it is on,
/// which one just failed it, and why.
#[derive(Default)]
pub struct RequestContext {
    attempts: u32,
    current: Option<Backend>,
    failed: Option<Backend>,
    failure: Option<String>,
}

impl RequestContext {
    /// A request may try a second upstream once: a dead pool still answers quickly.
    fn may_retry(&mut self, error: &Error) -> bool {
        self.failed = self.current.take();
        self.failure = Some(error.to_string().trim().to_owned());
        self.attempts < 2
    }
}

#[async_trait]
impl ProxyHttp for LoadBalancedProxy {
    type CTX = RequestContext;

    fn new_ctx(&self) -> RequestContext {
        RequestContext::default()
    }

    /// HTTP/1.1 lets a client send several requests before reading the answers
    /// ("pipelining"). Pingora closes such a connection after the first answer unless
    /// the session opts in; then it answers each request in order.
    async fn early_request_filter(
        &self,
        session: &mut Session,
        _: &mut RequestContext,
    ) -> Result<()> {
        session.set_pipelining_enabled(true);
        Ok(())
    }

    /// HTTP/1.1 requires a Host header, and a server must answer 400 to a request
    /// without one (RFC 9112, section 3.2). Pingora refuses a request with several
    /// before any hook runs, but forwards one without any as it is. Returning an error
    /// with an HTTP status is how a hook answers: the client gets that status, and the
    /// request gets its line in the log, like every other failed request.
    async fn request_filter(&self, session: &mut Session, _: &mut RequestContext) -> Result<bool> {
        let request = session.req_header();
        if request.version == Version::HTTP_11 && request.headers.get("host").is_none() {
            return Error::e_explain(HTTPStatus(400), "no Host header; HTTP/1.1 requires one");
        }
        // `false`: no answer sent yet, go on to an upstream.
        Ok(false)
    }

    /// Picks the upstream: the next healthy one, round robin, never the one that just
    /// failed this request.
    async fn upstream_peer(
        &self,
        _: &mut Session,
        ctx: &mut RequestContext,
    ) -> Result<Box<HttpPeer>> {
        ctx.attempts += 1;
        // The key (b"") feeds hashing selectors; round robin ignores it. 256 bounds how
        // many candidates are looked at to find one that `accept`s.
        let upstream = self
            .upstreams
            .select_with(b"", 256, |backend, healthy| {
                healthy && ctx.failed.as_ref() != Some(backend)
            })
            .ok_or_else(|| match ctx.failure.take() {
                // The first upstream failed and no other is healthy: the client gets 502
                // Bad Gateway, and the log says what went wrong with the first one.
                Some(failure) => Error::explain(
                    HTTPStatus(502),
                    format!("{failure}; no other healthy upstream to retry on"),
                ),
                // No healthy upstream at all: the client gets 503 Service Unavailable.
                None => Error::explain(HTTPStatus(503), "no healthy upstream"),
            })?;
        ctx.current = Some(upstream.clone());
        // The address, whether to use TLS (not here: plain HTTP on 127.0.0.1), and the
        // TLS server name, unused without TLS.
        let mut peer = HttpPeer::new(upstream, false, String::new());
        // Timeouts: a dead or stuck upstream costs a client at most this long. The
        // health check takes a stuck upstream out within a few checks, but the requests
        // already sent there wait for their read timeout; with 5 s, 16 clients waited
        // 5 s on a stuck upstream while the other one idled.
        peer.options.connection_timeout = Some(Duration::from_millis(250));
        peer.options.total_connection_timeout = Some(Duration::from_millis(500));
        peer.options.read_timeout = Some(READ_TIMEOUT);
        peer.options.write_timeout = Some(Duration::from_secs(5));
        peer.options.idle_timeout = Some(Duration::from_secs(60));
        Ok(Box::new(peer))
    }

    /// A connection that fails before anything was sent can be retried safely, on
    /// another upstream.
    fn fail_to_connect(
        &self,
        _: &mut Session,
        _: &HttpPeer,
        ctx: &mut RequestContext,
        mut error: Box<Error>,
    ) -> Box<Error> {
        if ctx.may_retry(&error) {
            error.set_retry(true);
        }
        error
    }

    /// The upstream failed after the request was sent: it died or dropped the
    /// connection. Sending the request again is safe only if doing it twice does no
    /// harm (GET, HEAD, PUT, DELETE: "idempotent"), if Pingora still holds the whole
    /// request body to send again, and only while nothing of the response has been
    /// written to the client.
    fn error_while_proxy(
        &self,
        peer: &HttpPeer,
        session: &mut Session,
        error: Box<Error>,
        ctx: &mut RequestContext,
        _client_reused: bool,
    ) -> Box<Error> {
        let mut error = error.more_context(format!("upstream {peer}"));
        let replayable = session.req_header().method.is_idempotent()
            && !session.as_ref().retry_buffer_truncated();
        // Pingora retries whenever the error says so; it does not check what the client
        // already has. Once it has written the response head to the client (sent, or
        // held in its 1,460-byte write buffer, which it sends all the same), a retry
        // continues that same response: the next upstream's head is dropped and its
        // body, from the first byte, follows the bytes already written. The client
        // gets a complete-looking `200` with the wrong content. So the error stays
        // final: Pingora closes the connection, and the client sees a body shorter than
        // its Content-Length, a failure it can detect.
        let nothing_sent = session.response_written().is_none();
        let retry = replayable && nothing_sent && ctx.may_retry(&error);
        error.set_retry(retry);
        error
    }

    /// Rewrites the request on its way to the upstream.
    async fn upstream_request_filter(
        &self,
        _: &mut Session,
        request: &mut RequestHeader,
        _: &mut RequestContext,
    ) -> Result<()> {
        request.insert_header("X-Forwarded-By", "rust-in-2026")?;
        Ok(())
    }

    /// Rewrites the response on its way back to the client.
    async fn response_filter(
        &self,
        _: &mut Session,
        response: &mut ResponseHeader,
        _: &mut RequestContext,
    ) -> Result<()> {
        response.insert_header("X-Proxy", "pingora")?;
        Ok(())
    }

    /// Runs when a request is done, failed or not: one line on standard error for each
    /// request that ended in an error, with what its client got. Every failure of a
    /// request that reached the hooks ends here: no upstream, a failed connection or
    /// answer, a client that went away, a request this proxy refused.
    async fn logging(
        &self,
        session: &mut Session,
        error: Option<&Error>,
        ctx: &mut RequestContext,
    ) {
        let Some(error) = error else { return };
        let sent = match session.response_written() {
            Some(head) => format!(
                "{} and {} body bytes",
                head.status.as_u16(),
                session.body_bytes_sent()
            ),
            None => "nothing".to_owned(),
        };
        let request = session.req_header();
        eprintln!(
            "lb-proxy: {} {} failed after {} attempt(s), client got {sent}: {}",
            request.method,
            request.uri,
            ctx.attempts,
            error.to_string().trim()
        );
    }

    /// Pingora also logs each failed request itself, through the `log` crate; the line
    /// from `logging` says more (what the client got), so Pingora's is left out.
    fn suppress_error_log(&self, _: &Session, _: &RequestContext, _: &Error) -> bool {
        true
    }
}
// ANCHOR_END: proxy

// ANCHOR: pingora_errors
/// Some requests fail before they reach the hooks: the client's connection breaks or
/// times out before its request is complete. Pingora's proxy reports those only
/// through the `log` crate, which prints nothing unless the program installs a logger.
/// This one prints the proxy's errors, one line each. Its debug messages (dozens per
/// request) and warnings (one per retried request) stay off: they would cost time on
/// every request. So do the other Pingora crates' errors: while a runtime shuts down,
/// the accept loop reports an error on each turn, hundreds of thousands of lines.
struct PingoraErrors;

impl log::Log for PingoraErrors {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Error && metadata.target().starts_with("pingora_proxy")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            let message = record.args().to_string().replace('\n', " ");
            eprintln!("lb-proxy: pingora: {message}");
        }
    }

    fn flush(&self) {}
}
// ANCHOR_END: pingora_errors

/// What can stop the proxy from starting, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("`{address}` is not an address like 127.0.0.1:8080")]
    InvalidListen {
        address: String,
        source: std::net::AddrParseError,
    },
    #[error("cannot listen on {address}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("invalid upstream address in {upstreams:?}")]
    InvalidUpstream {
        upstreams: Vec<String>,
        source: std::io::Error,
    },
    #[error("the proxy runs on 1 to {MAX_THREADS} threads, not {threads}")]
    TooManyThreads { threads: usize },
    #[error("cannot start the proxy's threads ({threads} workers and 2 more)")]
    Threads {
        threads: usize,
        source: std::io::Error,
    },
    #[error(
        "health checks every {} are too frequent: the least is {}",
        humantime::format_duration(*every),
        humantime::format_duration(MIN_HEALTH_EVERY)
    )]
    HealthTooOften { every: Duration },
}

/// How long one try waits for each read of its upstream's answer, the first byte
/// included. A stuck upstream costs a request this much, then the request is retried
/// on another upstream when that is safe.
pub const READ_TIMEOUT: Duration = Duration::from_secs(1);

/// How often the proxy checks each upstream unless told otherwise (`--health-every`).
pub const HEALTH_EVERY: Duration = Duration::from_millis(200);

/// The shortest health-check interval the proxy accepts. Each check opens a new
/// connection to every upstream: at 0 s they follow each other without pause. And a
/// check gets half an interval to connect and one interval to answer; much below
/// 100 ms, a healthy upstream on a busy machine could miss that and be taken out.
pub const MIN_HEALTH_EVERY: Duration = Duration::from_millis(100);

/// The most worker threads the proxy accepts (`--threads`). A bound that does not
/// depend on the machine, so that a command line valid on one is valid on another;
/// far above the cores of the machines this example runs on (more threads than
/// cores add no throughput), and low enough that a typo like `--threads 100000` is
/// refused before any thread is created.
pub const MAX_THREADS: usize = 256;

/// How to run the proxy.
#[derive(Clone)]
pub struct Config {
    /// Where to listen, like 127.0.0.1:8080; port 0 lets the system pick a free one.
    pub listen: String,
    pub upstreams: Vec<String>,
    /// Worker threads; at least one, at most [`MAX_THREADS`].
    pub threads: NonZeroUsize,
    /// How often each upstream is checked; at least [`MIN_HEALTH_EVERY`].
    pub health_every: Duration,
}

/// Checks a health-check interval: [`MIN_HEALTH_EVERY`] or longer.
pub fn check_health_every(every: Duration) -> Result<Duration, ProxyError> {
    if every < MIN_HEALTH_EVERY {
        return Err(ProxyError::HealthTooOften { every });
    }
    Ok(every)
}

// ANCHOR: shutdown
/// Stops a running proxy: [`Shutdown::stop`] from another thread, or SIGINT (Ctrl-C)
/// or SIGTERM. [`Proxy::run`] then returns.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }
}

impl Shutdown {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

#[async_trait]
impl ShutdownSignalWatch for Shutdown {
    async fn recv(&self) -> ShutdownSignal {
        use tokio::signal::unix::{SignalKind, signal};
        let mut requested = self.0.subscribe();
        // If a handler cannot be installed, that signal keeps its default action.
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        let mut terminate = signal(SignalKind::terminate()).ok();
        tokio::select! {
            _ = requested.wait_for(|stop| *stop) => ShutdownSignal::FastShutdown,
            Some(_) = async { interrupt.as_mut()?.recv().await } => ShutdownSignal::FastShutdown,
            // SIGTERM: finish the requests in flight first.
            Some(_) = async { terminate.as_mut()?.recv().await } => ShutdownSignal::GracefulTerminate,
        }
    }
}
// ANCHOR_END: shutdown

// ANCHOR: prepare
/// A proxy whose configuration has been checked, ready to [`run`](Proxy::run).
pub struct Proxy {
    config: Config,
    address: SocketAddr,
}

/// Checks everything that Pingora would otherwise panic on, or hang on, once it runs:
/// the listen address, the number of threads, the health-check interval. Port 0 is
/// replaced by the free port the system picks, which [`Proxy::address`] tells.
pub fn prepare(config: Config) -> Result<Proxy, ProxyError> {
    let listen: SocketAddr = config
        .listen
        .parse()
        .map_err(|source| ProxyError::InvalidListen {
            address: config.listen.clone(),
            source,
        })?;
    // Pingora binds its listener in a worker thread and panics there if it cannot, so
    // bind it here first: a clear error now instead of a hung process later. The port
    // is free again when Pingora binds it a moment later.
    let address = TcpListener::bind(listen)
        .and_then(|listener| listener.local_addr())
        .map_err(|source| ProxyError::Bind {
            address: listen,
            source,
        })?;
    check_health_every(config.health_every)?;
    let threads = config.threads.get();
    if threads > MAX_THREADS {
        return Err(ProxyError::TooManyThreads { threads });
    }
    // Pingora starts its threads with `unwrap`: when the system refuses one (a limit
    // on processes, or on memory for thread stacks), the process panics. So start as
    // many here first, the proxy's plus one for the health checks and one for
    // Pingora's own runtime, and turn a refusal into an error.
    can_start_threads(threads + 2).map_err(|source| ProxyError::Threads { threads, source })?;
    Ok(Proxy { config, address })
}

/// Starts `count` threads that all wait until the last one has started, then lets them
/// end.
fn can_start_threads(count: usize) -> std::io::Result<()> {
    let gate = std::sync::RwLock::new(());
    std::thread::scope(|scope| {
        // The threads wait for a read lock, which they get once this write lock is gone.
        let closed = gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let started = (0..count).try_for_each(|_| {
            std::thread::Builder::new()
                .spawn_scoped(scope, || drop(gate.read()))
                .map(drop)
        });
        drop(closed);
        started
    })
}
// ANCHOR_END: prepare

// ANCHOR: server
impl Proxy {
    /// Where the proxy listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Runs the Pingora server until `shutdown` says stop: the proxy on
    /// [`Proxy::address`], plus a background service that checks every upstream over
    /// HTTP every `config.health_every`.
    pub fn run(self, shutdown: Shutdown) -> Result<(), ProxyError> {
        let config = self.config;
        // Once per process: a second proxy in the same process finds it installed.
        if log::set_logger(&PingoraErrors).is_ok() {
            log::set_max_level(log::LevelFilter::Error);
        }
        let conf = ServerConf {
            threads: config.threads.get(),
            // One runtime per thread, each serving its own connections, like nginx's
            // worker processes. With tokio's work stealing on, the benchmark was slower
            // on a machine whose two cores are shared with the load generator.
            work_stealing: false,
            // Stop quickly when asked: no long draining period for a demonstration.
            grace_period_seconds: Some(0),
            graceful_shutdown_timeout_seconds: Some(1),
            ..ServerConf::default()
        };
        let mut server = Server::new_with_opt_and_conf(None, conf);
        server.bootstrap();

        let mut balancer = LoadBalancer::try_from_iter(&config.upstreams).map_err(|source| {
            ProxyError::InvalidUpstream {
                upstreams: config.upstreams.clone(),
                source,
            }
        })?;
        balancer.set_health_check(health_check(config.health_every));
        balancer.health_check_frequency = Some(config.health_every);
        let health_checks = background_service("health checks", balancer);

        let mut proxy = http_proxy_service(
            &server.configuration,
            LoadBalancedProxy {
                upstreams: health_checks.task(),
            },
        );
        proxy.add_tcp(&self.address.to_string());
        server.add_service(proxy);
        server.add_service(health_checks);
        server.run(RunArgs {
            shutdown_signal: Box::new(shutdown),
        });
        Ok(())
    }
}
// ANCHOR_END: server

// ANCHOR: health_check
/// An upstream is healthy when `GET /` answers 200 in time. A TCP connect alone is
/// not enough: a stopped or overloaded server still accepts connections (the kernel
/// completes the handshake), then never answers.
fn health_check(every: Duration) -> Box<HttpHealthCheck> {
    let mut check = HttpHealthCheck::new("localhost", false);
    // An answer must come back before the next check is due.
    check.peer_template.options.connection_timeout = Some(every / 2);
    check.peer_template.options.read_timeout = Some(every);
    Box::new(check)
}
// ANCHOR_END: health_check
