//! The proxy: Pingora does the HTTP work; this file decides where each request goes,
//! what it changes on the way, how upstreams are checked, and how the proxy starts and
//! stops.

use std::net::{SocketAddr, TcpListener};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
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
/// and which one just failed it.
#[derive(Default)]
pub struct RequestContext {
    attempts: u32,
    current: Option<Backend>,
    failed: Option<Backend>,
}

impl RequestContext {
    /// A request may try a second upstream once: a dead pool still answers quickly.
    fn may_retry(&mut self) -> bool {
        self.failed = self.current.take();
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
            .ok_or_else(|| {
                // No healthy upstream at all: the client gets 503 Service Unavailable.
                Error::explain(HTTPStatus(503), "no healthy upstream")
            })?;
        ctx.current = Some(upstream.clone());
        // The address, whether to use TLS (not here: plain HTTP on 127.0.0.1), and the
        // TLS server name, unused without TLS.
        let mut peer = HttpPeer::new(upstream, false, String::new());
        // Timeouts: a dead or stuck upstream costs a client at most this long.
        peer.options.connection_timeout = Some(Duration::from_millis(250));
        peer.options.total_connection_timeout = Some(Duration::from_millis(500));
        peer.options.read_timeout = Some(Duration::from_secs(5));
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
        if ctx.may_retry() {
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
        error.set_retry(replayable && nothing_sent && ctx.may_retry());
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

    /// Runs when a request is done. Pingora reports its errors through the `log`
    /// crate, which prints nothing unless the program installs a logger, so each
    /// request that ended in an error gets one line here, with what its client got.
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
            "lb-proxy: {} {} failed after {} attempt(s), client got {sent}: {error}",
            request.method, request.uri, ctx.attempts
        );
    }
}
// ANCHOR_END: proxy

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
}

/// How often the proxy checks each upstream unless told otherwise (`--health-every`).
pub const HEALTH_EVERY: Duration = Duration::from_millis(200);

/// How to run the proxy.
pub struct Config {
    pub listen: String,
    pub upstreams: Vec<String>,
    /// Worker threads; at least one.
    pub threads: NonZeroUsize,
    /// How often each upstream is checked.
    pub health_every: Duration,
}

// ANCHOR: shutdown
/// Stops a running proxy: [`Shutdown::stop`] from another thread, or SIGINT (Ctrl-C)
/// or SIGTERM. [`run`] then returns.
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

// ANCHOR: server
/// Runs the Pingora server until `shutdown` says stop: the proxy on `config.listen`,
/// plus a background service that checks every upstream over HTTP every
/// `config.health_every`.
pub fn run(config: &Config, shutdown: Shutdown) -> Result<(), ProxyError> {
    // Pingora binds its listener in a worker thread and panics there if it cannot, so
    // check the address first: a clear error now instead of a hung process later.
    let address: SocketAddr =
        config
            .listen
            .parse()
            .map_err(|source| ProxyError::InvalidListen {
                address: config.listen.clone(),
                source,
            })?;
    drop(TcpListener::bind(address).map_err(|source| ProxyError::Bind { address, source })?);

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
    proxy.add_tcp(&address.to_string());
    server.add_service(proxy);
    server.add_service(health_checks);
    server.run(RunArgs {
        shutdown_signal: Box::new(shutdown),
    });
    Ok(())
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
