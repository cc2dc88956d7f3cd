//! The proxy: Pingora does the HTTP work; this file decides where each request goes
//! and what it changes on the way.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use pingora::lb::LoadBalancer;
use pingora::lb::health_check::TcpHealthCheck;
use pingora::lb::selection::RoundRobin;
use pingora::prelude::*;
use pingora::server::configuration::ServerConf;
use pingora::services::background::background_service;

// ANCHOR: proxy
pub struct LoadBalancedProxy {
    upstreams: Arc<LoadBalancer<RoundRobin>>,
}

/// Per-request state: how many upstreams this request has tried.
pub struct RequestContext {
    attempts: u32,
}

#[async_trait]
impl ProxyHttp for LoadBalancedProxy {
    type CTX = RequestContext;

    fn new_ctx(&self) -> RequestContext {
        RequestContext { attempts: 0 }
    }

    /// Picks the upstream: the next healthy one, round robin.
    async fn upstream_peer(
        &self,
        _: &mut Session,
        ctx: &mut RequestContext,
    ) -> Result<Box<HttpPeer>> {
        ctx.attempts += 1;
        let upstream = self.upstreams.select(b"", 256).ok_or_else(|| {
            // No healthy upstream at all: the client gets 503 Service Unavailable.
            Error::explain(HTTPStatus(503), "no healthy upstream")
        })?;
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
    /// the next upstream; once, so that a dead pool answers quickly.
    fn fail_to_connect(
        &self,
        _: &mut Session,
        _: &HttpPeer,
        ctx: &mut RequestContext,
        mut error: Box<Error>,
    ) -> Box<Error> {
        if ctx.attempts < 2 {
            error.set_retry(true);
        }
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
}
// ANCHOR_END: proxy

// ANCHOR: server
/// Builds the Pingora server: the proxy on `listen`, plus a background service that
/// checks every upstream by TCP connect every `health_every`. Blocks forever; stop it
/// with SIGINT (Ctrl-C).
pub fn run(listen: &str, upstreams: &[String], threads: usize, health_every: Duration) -> ! {
    let conf = ServerConf {
        threads,
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

    let mut balancer = match LoadBalancer::try_from_iter(upstreams) {
        Ok(balancer) => balancer,
        Err(error) => {
            eprintln!("invalid upstream address in {upstreams:?}: {error}");
            std::process::exit(2);
        }
    };
    balancer.set_health_check(TcpHealthCheck::new());
    balancer.health_check_frequency = Some(health_every);
    let health_checks = background_service("health checks", balancer);

    let mut proxy = http_proxy_service(
        &server.configuration,
        LoadBalancedProxy {
            upstreams: health_checks.task(),
        },
    );
    proxy.add_tcp(listen);
    server.add_service(proxy);
    server.add_service(health_checks);
    server.run_forever()
}
// ANCHOR_END: server
