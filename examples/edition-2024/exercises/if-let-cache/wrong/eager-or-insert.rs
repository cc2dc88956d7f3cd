// Wrong attempt: the `if let` rewrite, with the miss stored by `or_insert(self.measure(title))`.
// Why it is wrong: task.md says `length` "measures each title only once"; the argument of
// `or_insert` is evaluated before the entry is looked at, so a thread that finds the title
// already stored by another thread under the write lock still measures it.

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
        if let Some(length) = self
            .lengths
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(title)
        {
            *length
        } else {
            let mut lengths = self.lengths.write().unwrap_or_else(PoisonError::into_inner);
            *lengths
                .entry(title.to_owned())
                .or_insert(self.measure(title))
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
