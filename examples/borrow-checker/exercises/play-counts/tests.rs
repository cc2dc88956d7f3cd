//! The tests that define "done" for the exercise "play-counts".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use attempt::play_counts;

fn history(tracks: &[&str]) -> Vec<String> {
    tracks.iter().map(|&track| track.to_owned()).collect()
}

#[test]
fn counts_one_listener() {
    let counts = play_counts(vec![history(&["Rêverie", "Arabesque", "Rêverie"])]);
    assert_eq!(counts["Rêverie"], 2);
    assert_eq!(counts["Arabesque"], 1);
    assert_eq!(counts.len(), 2);
}

#[test]
fn counts_every_listener() {
    let counts = play_counts(vec![
        history(&["Rêverie", "Arabesque"]),
        history(&["Arabesque"]),
        history(&["Clair de Lune", "Arabesque"]),
    ]);
    assert_eq!(counts["Arabesque"], 3, "plays of every listener count");
    assert_eq!(counts["Rêverie"], 1);
    assert_eq!(counts["Clair de Lune"], 1);
}

#[test]
fn no_play_is_lost_with_many_listeners() {
    let listeners = (0..8)
        .map(|_| vec!["Gymnopédie".to_owned(); 5_000])
        .collect();
    assert_eq!(play_counts(listeners)["Gymnopédie"], 40_000);
}

#[test]
fn no_listeners_no_plays() {
    assert!(play_counts(Vec::<Vec<String>>::new()).is_empty());
}

/// Where histories meet before they are counted: each waits, a few seconds at most,
/// until every one has started. Counted on one thread, one after another, the first
/// history waits in vain, and the test fails the same way on every run.
struct StartLine {
    started: Mutex<usize>,
    all_started: Condvar,
    histories: usize,
}

impl StartLine {
    fn arrive(&self) {
        let mut started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        *started += 1;
        self.all_started.notify_all();
        let (_started, wait) = self
            .all_started
            .wait_timeout_while(started, Duration::from_secs(5), |started| {
                *started < self.histories
            })
            .unwrap_or_else(PoisonError::into_inner);
        assert!(
            !wait.timed_out(),
            "a history waited 5 s for the others to start: are the histories counted \
             one after another instead of each on its own thread?"
        );
    }
}

/// A history that waits at the start line before it yields its first track.
struct WaitingHistory {
    tracks: std::vec::IntoIter<String>,
    start: Arc<StartLine>,
    arrived: bool,
}

impl Iterator for WaitingHistory {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if !self.arrived {
            self.arrived = true;
            self.start.arrive();
        }
        self.tracks.next()
    }
}

#[test]
fn every_history_is_counted_on_its_own_thread_at_the_same_time() {
    // More histories than the machine has cores, so one thread per core is not enough.
    let histories = thread::available_parallelism()
        .map_or(4, |cores| cores.get() + 1)
        .max(4);
    let start = Arc::new(StartLine {
        started: Mutex::new(0),
        all_started: Condvar::new(),
        histories,
    });
    let listeners: Vec<WaitingHistory> = (0..histories)
        .map(|_| WaitingHistory {
            tracks: history(&["Nocturne", "Pavane"]).into_iter(),
            start: Arc::clone(&start),
            arrived: false,
        })
        .collect();
    let counts = play_counts(listeners);
    assert_eq!(counts["Nocturne"] as usize, histories);
    assert_eq!(counts["Pavane"] as usize, histories);
}
