// Wrong attempt: splits the histories into one chunk per CPU core and counts each chunk on
// its own thread.
// Why it is wrong: task.md says the result must be right "whatever the number of listeners
// (none included)"; with no listeners the chunk size is 0 and `chunks(0)` panics.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// How often each track was played, over the histories of all `listeners`.
pub fn play_counts(listeners: Vec<Vec<String>>) -> HashMap<String, u32> {
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    // One chunk of histories per core: no more threads than the machine can run.
    let chunk_size = listeners.len().div_ceil(cores);
    let counts = Arc::new(Mutex::new(HashMap::new()));
    let mut handles = Vec::new();
    for chunk in listeners.chunks(chunk_size) {
        let chunk = chunk.to_vec();
        let counts = Arc::clone(&counts);
        handles.push(thread::spawn(move || {
            for track in chunk.into_iter().flatten() {
                let mut counts = counts.lock().unwrap_or_else(PoisonError::into_inner);
                *counts.entry(track).or_insert(0) += 1;
            }
        }));
    }
    for handle in handles {
        handle.join().expect("a counting thread panicked");
    }
    Arc::into_inner(counts)
        .expect("every thread has finished")
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
}
