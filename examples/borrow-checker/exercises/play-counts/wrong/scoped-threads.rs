// Wrong attempt: counts each history on its own thread, but with `thread::scope` and borrowed
// histories instead of `thread::spawn`.
// Why it is wrong: task.md asks for threads "started with `thread::spawn`, the kind of thread
// that may outlive the function that starts it" (the `'static` + `move` lesson); scoped
// threads sidestep the lesson while giving the same counts.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::thread;

/// How often each track was played, over the histories of all `listeners`.
pub fn play_counts(listeners: Vec<Vec<String>>) -> HashMap<String, u32> {
    let counts = Mutex::new(HashMap::new());
    thread::scope(|scope| {
        for history in &listeners {
            let counts = &counts;
            scope.spawn(move || {
                for track in history {
                    let mut counts = counts.lock().unwrap_or_else(PoisonError::into_inner);
                    *counts.entry(track.clone()).or_insert(0) += 1;
                }
            });
        }
    });
    counts.into_inner().unwrap_or_else(PoisonError::into_inner)
}
