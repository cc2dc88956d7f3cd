//! A load-balancing reverse proxy on Cloudflare's Pingora: round robin over several
//! upstreams, TCP health checks, header rewriting and timeouts, on 127.0.0.1 only.
//!
//! Run it with `cargo run --example lb-proxy`.

pub mod client;
pub mod failover;
pub mod proxy;
pub mod upstream;
