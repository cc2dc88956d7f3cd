//! Async closures (Rust 1.85, with the edition) and three features stabilised since.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: async_closure
/// Runs an async closure on each title. `AsyncFn` (Rust 1.85) lets the closure's
/// future borrow the argument it was called with, which `Fn(&str) -> impl Future`
/// cannot express.
pub async fn for_each_title(titles: &[&str], visit: impl AsyncFn(&str) -> usize) -> usize {
    let mut total = 0;
    for title in titles {
        total += visit(title).await;
    }
    total
}
// ANCHOR_END: async_closure

/// Polls a future that never has to wait, with a waker that does nothing.
/// (Real programs use an executor: see the Embassy example.)
pub fn run_ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("these futures never wait"),
    }
}

// ANCHOR: let_chains
/// Let chains (Rust 1.88, Rust 2024 only): `if let` and conditions joined by `&&`.
pub fn first_long_title<'a>(titles: &[&'a str], min_len: usize) -> Option<&'a str> {
    if let Some(first) = titles.first()
        && let Some(initial) = first.chars().next()
        && initial.is_uppercase()
        && first.len() >= min_len
    {
        Some(first)
    } else {
        None
    }
}
// ANCHOR_END: let_chains

// ANCHOR: if_let_guard
/// `if let` guards in `match` arms (Rust 1.95): the arm matches only if the pattern
/// in the guard matches too, and its bindings are usable in the arm.
pub fn describe(track: (&str, Option<&str>)) -> String {
    match track {
        (title, Some(duration)) if let Ok(seconds) = duration.parse::<u32>() => {
            format!("{title}: {}:{:02}", seconds / 60, seconds % 60)
        }
        (title, _) => format!("{title}: length unknown"),
    }
}
// ANCHOR_END: if_let_guard

// ANCHOR: copy_range
/// The longest word of a title and the bytes it occupies. `substr_range` (Rust 1.98)
/// returns a `std::range::Range`, one of the range types Rust 1.96 added. Unlike
/// `std::ops::Range`, which `start..end` still produces, it is `Copy`: `&title[span]`
/// copies `span` instead of moving it, so `span` is still there to return.
pub fn longest_word(title: &str) -> Option<(&str, std::range::Range<usize>)> {
    let span = title
        .split_whitespace()
        .filter_map(|word| title.substr_range(word))
        .max_by_key(|span| span.end - span.start)?;
    Some((&title[span], span))
}
// ANCHOR_END: copy_range
