// Wrong attempt: turns the `match` into `if let`, and on a miss measures the title, then
// takes the write lock and `insert`s the length, with no second look under the write lock.
// Why it is wrong: task.md says `length` "measures each title only once"; two threads that
// miss the same title at once both measure it (and the second `insert` overwrites the first).

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// Remembers the length, in characters, of every title it has measured.
#[derive(Default)]
pub struct TitleCache {
    lengths: RwLock<HashMap<String, usize>>,
    /// How many titles were measured, to check that a title is measured only once.
    measured: RwLock<usize>,
}

impl TitleCache {
    /// The length of `title` in characters: from the cache, or measured and stored.
    pub fn length(&self, title: &str) -> usize {
        // Rust 2024: the read guard of the condition is dropped before `else` runs.
        if let Some(length) = self
            .lengths
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(title)
        {
            *length
        } else {
            let length = self.measure(title);
            self.lengths
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(title.to_owned(), length);
            length
        }
    }

    /// How many titles were measured (not taken from the cache) so far.
    pub fn measured(&self) -> usize {
        *self.measured.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn measure(&self, title: &str) -> usize {
        *self
            .measured
            .write()
            .unwrap_or_else(PoisonError::into_inner) += 1;
        title.chars().count()
    }
}
