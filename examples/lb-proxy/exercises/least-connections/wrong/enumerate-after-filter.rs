// Wrong attempt: keeps the healthy upstreams with `filter`, numbers them with `enumerate`,
// and counts the request at the index of the least busy one.
// Why it is wrong: task.md says `select` picks "the healthy upstream with the fewest
// requests in flight"; `enumerate` after `filter` numbers the healthy upstreams only, so
// once an upstream listed earlier is down, the index (and the count it reads) belongs to
// another upstream.

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
        let mut in_flight = self
            .shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (index, _) = self
            .shared
            .upstreams
            .iter()
            .filter(|upstream| is_healthy(upstream))
            .enumerate()
            .min_by_key(|&(index, _)| in_flight[index])?;
        in_flight[index] += 1;
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

/// A request ends however it ends (answered, failed, cancelled by the client): in
/// every case its `InFlight` is dropped, and the upstream becomes less busy.
impl Drop for InFlight {
    fn drop(&mut self) {
        let mut in_flight = self
            .shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        in_flight[self.index] -= 1;
    }
}
