// Wrong attempt: stores the read guard in a variable and `drop`s it by hand before taking
// the write lock.
// Why it is wrong: task.md says "with no guard stored in a variable"; it works, but it is the
// pre-2024 workaround the exercise asks you to replace with `if let`.

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
        let lengths = self.lengths.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(length) = lengths.get(title) {
            return *length;
        }
        // Release the read lock, or the write lock below waits for ourselves.
        drop(lengths);
        let mut lengths = self.lengths.write().unwrap_or_else(PoisonError::into_inner);
        *lengths
            .entry(title.to_owned())
            .or_insert_with(|| self.measure(title))
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
