// Wrong attempt: spawns a thread per history but never joins them; when other threads still
// hold the map, it returns a copy of what has been counted so far.
// Why it is wrong: task.md says "the function returns only after every thread has finished"
// and "every play in every history is counted"; a thread still running when the function
// returns has its plays left out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// How often each track was played, over the histories of all `listeners`.
pub fn play_counts<H>(listeners: Vec<H>) -> HashMap<String, u32>
where
    H: IntoIterator<Item = String> + Send + 'static,
{
    let counts = Arc::new(Mutex::new(HashMap::new()));
    for history in listeners {
        let counts = Arc::clone(&counts);
        thread::spawn(move || {
            for track in history {
                let mut counts = counts.lock().unwrap_or_else(PoisonError::into_inner);
                *counts.entry(track).or_insert(0) += 1;
            }
        });
    }
    // `Arc::try_unwrap` fails while a thread still holds its clone: take a copy then.
    match Arc::try_unwrap(counts) {
        Ok(counts) => counts.into_inner().unwrap_or_else(PoisonError::into_inner),
        Err(shared) => shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
    }
}
