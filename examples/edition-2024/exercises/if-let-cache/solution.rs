// Reference solution of the exercise "if-let-cache" (see task.md beside this file).

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
            // write; `or_insert_with` measures only if it is still missing.
            *lengths
                .entry(title.to_owned())
                .or_insert_with(|| self.measure(title))
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
