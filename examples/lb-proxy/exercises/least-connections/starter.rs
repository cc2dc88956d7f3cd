// Exercise "least-connections": see task.md beside this file, or the chapter's page.

use std::sync::{Arc, Mutex, PoisonError};

use pingora::lb::Backend;

/// What the selector and every request in flight share.
struct Shared {
    upstreams: Vec<Backend>,
    /// Requests in flight, per upstream, in the order of `upstreams`.
    in_flight: Mutex<Vec<usize>>,
}

/// Chooses the upstream with the fewest requests in flight.
pub struct LeastConnections {
    shared: Arc<Shared>,
}

/// One request's claim on an upstream: it counts as in flight while this value lives.
pub struct InFlight {
    shared: Arc<Shared>,
    index: usize,
}

impl InFlight {
    /// The upstream this request goes to.
    pub fn upstream(&self) -> &Backend {
        &self.shared.upstreams[self.index]
    }
}

impl LeastConnections {
    pub fn new(upstreams: Vec<Backend>) -> Self {
        let in_flight = Mutex::new(vec![0; upstreams.len()]);
        Self {
            shared: Arc::new(Shared {
                upstreams,
                in_flight,
            }),
        }
    }

    /// Picks an upstream among those `is_healthy` accepts, or `None` if there is none.
    pub fn select(&self, is_healthy: impl Fn(&Backend) -> bool) -> Option<InFlight> {
        // TODO: choose the healthy upstream with the fewest requests in flight, and
        // count the new request. Many threads call `select` at once.
        let index = self.shared.upstreams.iter().position(is_healthy)?;
        Some(InFlight {
            shared: Arc::clone(&self.shared),
            index,
        })
    }

    /// How many requests to `upstream` are in flight now (0 for an unknown upstream).
    pub fn in_flight(&self, upstream: &Backend) -> usize {
        let in_flight = self
            .shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.shared
            .upstreams
            .iter()
            .position(|known| known == upstream)
            .map_or(0, |index| in_flight[index])
    }
}

// TODO: when an `InFlight` is dropped, its upstream has one request less in flight.
