//! The tests that define "done" for the exercise "if-let-cache".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use attempt::TitleCache;

/// Runs `lookups` on another thread and waits for it, at most a few seconds: a lookup
/// that deadlocks fails the test instead of hanging it.
fn bounded<T: Send + 'static>(
    cache: &Arc<TitleCache>,
    lookups: impl FnOnce(&TitleCache) -> T + Send + 'static,
) -> T {
    let (done, result) = mpsc::channel();
    let cache = Arc::clone(cache);
    thread::spawn(move || {
        let _ = done.send(lookups(&cache));
    });
    match result.recv_timeout(Duration::from_secs(2)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "`length` did not return within 2 s: is the read guard still alive when \
             it asks for the write lock?"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("`length` panicked (see its message above)")
        }
    }
}

#[test]
fn a_miss_is_measured_and_returned() {
    let cache = Arc::new(TitleCache::default());
    assert_eq!(bounded(&cache, |cache| cache.length("Clair de Lune")), 13);
}

#[test]
fn a_hit_comes_from_the_cache() {
    let cache = Arc::new(TitleCache::default());
    let lengths = bounded(&cache, |cache| {
        [cache.length("Arabesque"), cache.length("Arabesque")]
    });
    assert_eq!(lengths, [9, 9]);
    assert_eq!(cache.measured(), 1, "the second lookup is a hit");
}

#[test]
fn lengths_are_counted_in_characters() {
    let cache = Arc::new(TitleCache::default());
    assert_eq!(bounded(&cache, |cache| cache.length("Rêverie")), 7);
}

#[test]
fn many_threads_measure_each_title_once() {
    let cache = Arc::new(TitleCache::default());
    let titles = ["Rêverie", "Arabesque", "Clair de Lune", "Gymnopédie"];
    let all_found = bounded(&cache, move |cache| {
        thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(move || {
                        titles
                            .iter()
                            .cycle()
                            .take(400)
                            .all(|title| cache.length(title) == title.chars().count())
                    })
                })
                .collect();
            workers
                .into_iter()
                .all(|worker| worker.join().unwrap_or(false))
        })
    });
    assert!(all_found, "every lookup returns the title's length");
    assert_eq!(
        cache.measured(),
        titles.len(),
        "each title is measured once"
    );
}
