// Reference solution of the exercise "play-counts" (see task.md beside this file).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

/// How often each track was played, over the histories of all `listeners`.
pub fn play_counts<H>(listeners: Vec<H>) -> HashMap<String, u32>
where
    H: IntoIterator<Item = String> + Send + 'static,
{
    // One map, many owners: `Arc` counts the owners atomically, so it may cross
    // threads, and the `Mutex` lets one thread at a time change the map.
    let counts = Arc::new(Mutex::new(HashMap::new()));
    let handles: Vec<_> = listeners
        .into_iter()
        .map(|history| {
            let counts = Arc::clone(&counts);
            // `move` hands the history and this clone of the `Arc` to the thread, which
            // may outlive this function: nothing it uses is borrowed.
            thread::spawn(move || {
                for track in history {
                    let mut counts = counts.lock().expect("no counting thread panics");
                    *counts.entry(track).or_insert(0) += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("no counting thread panics");
    }
    // Every thread has finished and dropped its clone, so this is the last owner.
    let counts = Arc::into_inner(counts).expect("every thread has been joined");
    counts.into_inner().expect("no counting thread panics")
}
