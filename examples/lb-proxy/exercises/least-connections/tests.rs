//! The tests that define "done" for the exercise "least-connections".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::LeastConnections;
use lb_proxy::client;
use lb_proxy::upstream::Upstream;
use pingora::lb::Backend;

/// An upstream address; nothing needs to listen there for the selection tests.
fn upstream(address: &str) -> Backend {
    Backend::new(address).expect("a valid address")
}

fn three_upstreams() -> (LeastConnections, [Backend; 3]) {
    let upstreams = [
        upstream("127.0.0.1:8001"),
        upstream("127.0.0.1:8002"),
        upstream("127.0.0.1:8003"),
    ];
    (LeastConnections::new(upstreams.to_vec()), upstreams)
}

fn all_healthy(_: &Backend) -> bool {
    true
}

#[test]
fn concurrent_requests_spread_over_idle_upstreams() {
    let (balancer, [a, b, c]) = three_upstreams();
    let first = balancer.select(all_healthy).expect("an upstream");
    let second = balancer.select(all_healthy).expect("an upstream");
    let third = balancer.select(all_healthy).expect("an upstream");
    assert_eq!(first.upstream(), &a);
    assert_eq!(second.upstream(), &b, "A is busy, B is idle");
    assert_eq!(third.upstream(), &c, "A and B are busy, C is idle");
}

#[test]
fn the_next_request_goes_to_the_least_busy_upstream() {
    let (balancer, [a, b, _c]) = three_upstreams();
    let mut requests: Vec<_> = (0..4)
        .map(|_| balancer.select(all_healthy).expect("an upstream"))
        .collect();
    // A has two requests in flight, B and C one each. B's request ends.
    assert_eq!(balancer.in_flight(&a), 2, "requests in flight to A");
    requests.retain(|request| request.upstream() != &b);
    assert_eq!(balancer.in_flight(&b), 0, "B's request has ended");
    let next = balancer.select(all_healthy).expect("an upstream");
    assert_eq!(next.upstream(), &b, "B is now the least busy");
}

#[test]
fn ties_go_to_the_upstream_listed_first() {
    let (balancer, [a, _b, _c]) = three_upstreams();
    for _ in 0..3 {
        // Each request ends before the next starts: every upstream stays idle.
        let request = balancer.select(all_healthy).expect("an upstream");
        assert_eq!(request.upstream(), &a);
    }
}

#[test]
fn unhealthy_upstreams_are_never_chosen() {
    let (balancer, [a, b, c]) = three_upstreams();
    let busy_b = balancer.select(|upstream| upstream == &b).expect("B");
    assert_eq!(busy_b.upstream(), &b, "B is the only healthy upstream");
    let request = balancer
        .select(|upstream| upstream != &a)
        .expect("an upstream");
    assert_eq!(request.upstream(), &c, "A is down and B is busy");
    assert!(balancer.select(|_| false).is_none(), "no healthy upstream");
    drop(busy_b);
}

#[test]
fn every_count_returns_to_zero_when_requests_end_on_other_threads() {
    let (balancer, upstreams) = three_upstreams();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..500 {
                    let first = balancer.select(all_healthy).expect("an upstream");
                    let second = balancer.select(all_healthy).expect("an upstream");
                    drop(first);
                    drop(second);
                }
            });
        }
    });
    for upstream in &upstreams {
        assert_eq!(balancer.in_flight(upstream), 0, "{upstream:?}");
    }
}

#[test]
fn a_request_is_answered_by_the_upstream_it_was_sent_to() {
    let (a, b) = (Upstream::start("A").unwrap(), Upstream::start("B").unwrap());
    let balancer = LeastConnections::new(vec![
        upstream(&a.address.to_string()),
        upstream(&b.address.to_string()),
    ]);
    // A slow request holds A; the next one must go to B, and B must answer it.
    let _slow = balancer.select(all_healthy).expect("an upstream");
    let request = balancer.select(all_healthy).expect("an upstream");
    let address = *request.upstream().addr.as_inet().expect("a TCP address");
    let response = client::get(address, "/").expect("the upstream answers");
    assert_eq!(response.body.lines().next(), Some("B"));
}
