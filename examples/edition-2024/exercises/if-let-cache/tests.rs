//! The tests that define "done" for the exercise "if-let-cache".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use attempt::TitleCache;

/// What the tests measure with: counts characters, and counts its calls.
type Counted = TitleCache<Box<dyn Fn(&str) -> usize + Send + Sync>>;

fn counting_cache() -> (Arc<Counted>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let cache = TitleCache::new(Box::new(move |title: &str| {
        counter.fetch_add(1, Ordering::SeqCst);
        title.chars().count()
    }) as Box<dyn Fn(&str) -> usize + Send + Sync>);
    (Arc::new(cache), calls)
}

/// Runs `lookups` on another thread and waits for it, at most a few seconds: a lookup
/// that deadlocks fails the test instead of hanging it.
fn bounded<T: Send + 'static>(
    cache: &Arc<Counted>,
    lookups: impl FnOnce(&Counted) -> T + Send + 'static,
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
    let (cache, calls) = counting_cache();
    assert_eq!(bounded(&cache, |cache| cache.length("Clair de Lune")), 13);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_hit_comes_from_the_cache() {
    let (cache, calls) = counting_cache();
    let lengths = bounded(&cache, |cache| {
        [cache.length("Arabesque"), cache.length("Arabesque")]
    });
    assert_eq!(lengths, [9, 9]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the second lookup is a hit"
    );
}

#[test]
fn many_threads_measure_each_title_once() {
    let (cache, calls) = counting_cache();
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
        calls.load(Ordering::SeqCst),
        titles.len(),
        "each title is measured once"
    );
}

/// A slow measurement, step by step: the first call tells the test it has started and
/// waits for the test's word to finish; any later call is reported at once.
struct SlowMeasure {
    started: mpsc::Sender<&'static str>,
    finish: Mutex<mpsc::Receiver<()>>,
    calls: AtomicUsize,
}

impl SlowMeasure {
    fn measure(&self, title: &str) -> usize {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            let _ = self.started.send("first");
            let finish = self
                .finish
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let _ = finish.recv_timeout(Duration::from_secs(10));
        } else {
            let _ = self.started.send("again");
        }
        title.chars().count()
    }
}

#[test]
fn a_title_being_measured_is_not_measured_again() {
    let (started, measuring) = mpsc::channel();
    let (finish, finish_signal) = mpsc::channel();
    let slow = Arc::new(SlowMeasure {
        started,
        finish: Mutex::new(finish_signal),
        calls: AtomicUsize::new(0),
    });
    let measure_with = Arc::clone(&slow);
    let cache = Arc::new(TitleCache::new(move |title: &str| {
        measure_with.measure(title)
    }));

    // The first lookup misses, and its measurement waits for our word.
    let first = {
        let cache = Arc::clone(&cache);
        thread::spawn(move || cache.length("Nocturne"))
    };
    assert_eq!(
        measuring.recv_timeout(Duration::from_secs(2)),
        Ok("first"),
        "the first lookup of a title measures it"
    );
    // While it measures, a second thread asks for the same title. It must wait for
    // the first measurement instead of starting its own.
    let second = {
        let cache = Arc::clone(&cache);
        thread::spawn(move || cache.length("Nocturne"))
    };
    let measured_again = measuring.recv_timeout(Duration::from_secs(1)).is_ok();
    finish.send(()).expect("the first measurement is waiting");
    let lengths = [first.join(), second.join()];
    assert!(
        !measured_again,
        "a second thread measured the title while the first was measuring it: \
         is the title measured while no write lock keeps other lookups out?"
    );
    assert!(matches!(lengths, [Ok(8), Ok(8)]), "both lookups return 8");
    assert_eq!(slow.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn lengths_are_counted_in_characters() {
    let (cache, _) = counting_cache();
    assert_eq!(bounded(&cache, |cache| cache.length("Rêverie")), 7);
}
