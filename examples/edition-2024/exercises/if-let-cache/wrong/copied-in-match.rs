// Wrong attempt: keeps the `match`, but copies the length out in the scrutinee with
// `.copied()`, expecting the guard to be gone once the value is copied.
// Why it is wrong: task.md says the first lookup must return; the read guard is still a
// temporary of the `match` scrutinee, alive until the end of the whole `match`, so the
// `None` arm still waits for the write lock while holding the read lock.

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
        match self
            .lengths
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(title)
            .copied()
        {
            Some(length) => length,
            None => {
                let mut lengths = self.lengths.write().unwrap_or_else(PoisonError::into_inner);
                *lengths
                    .entry(title.to_owned())
                    .or_insert_with(|| (self.measure)(title))
            }
        }
    }
}
