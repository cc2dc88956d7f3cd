//! Small HTTP servers to put behind the proxy: each answers every request with its
//! name on the first line, the `X-Forwarded-By` header it received on the second, and
//! padding to 1 KiB (a typical small API response).

use std::net::SocketAddr;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use tokio::runtime::Runtime;

/// A running upstream. Stopping it (or dropping it) shuts down its runtime, which
/// closes the listener *and* every open connection, like a crashed server.
pub struct Upstream {
    pub name: &'static str,
    pub address: SocketAddr,
    runtime: Option<Runtime>,
}

impl Upstream {
    /// Starts on a free port on 127.0.0.1.
    pub fn start(name: &'static str) -> std::io::Result<Self> {
        Self::start_on(name, "127.0.0.1:0".parse().expect("a valid address"))
    }

    pub fn start_on(name: &'static str, address: SocketAddr) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(address))?;
        let address = listener.local_addr()?;
        let app = Router::new().fallback(get(move |headers: HeaderMap| async move {
            let forwarded_by = headers
                .get("x-forwarded-by")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("-");
            let mut body = format!("{name}\nx-forwarded-by: {forwarded_by}\n");
            body.extend(std::iter::repeat_n(
                '.',
                1024usize.saturating_sub(body.len() + 1),
            ));
            body.push('\n');
            body
        }));
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            name,
            address,
            runtime: Some(runtime),
        })
    }

    pub fn stop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop();
    }
}
