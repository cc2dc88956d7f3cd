// Reference solution of the exercise "if-let-cache" (see task.md beside this file).

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// Remembers the length of every title it has measured.
pub struct TitleCache<M> {
    lengths: RwLock<HashMap<String, usize>>,
    /// Measures a title. It may be slow (think of a request to another service),
    /// which is why each title should be measured once.
    measure: M,
}

impl<M: Fn(&str) -> usize> TitleCache<M> {
    pub fn new(measure: M) -> Self {
        Self {
            lengths: RwLock::default(),
            measure,
        }
    }

    /// The length of `title`: from the cache, or measured and stored.
    pub fn length(&self, title: &str) -> usize {
        // The read guard is a temporary of the `if let` condition. Rust 2024 drops it
        // before `else` runs (Rust 2021 kept it until after the `else` block), so the
        // `else` branch can take the write lock. `match` did not change: its scrutinee's
        // temporaries still live to the end of the `match`.
        if let Some(length) = self
            .lengths
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(title)
        {
            // `length` borrows from the map, through the guard, which is alive here.
            *length
        } else {
            let mut lengths = self.lengths.write().unwrap_or_else(PoisonError::into_inner);
            // Another thread may have stored the title between our read and this
            // write, so look again: `or_insert_with` measures only if it is still
            // missing, and measures while the write lock keeps every other lookup out.
            *lengths
                .entry(title.to_owned())
                .or_insert_with(|| (self.measure)(title))
        }
    }
}
