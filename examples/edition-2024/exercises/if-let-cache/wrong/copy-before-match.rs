// Wrong attempt: keeps the `match`, but copies the length out of the map in a `let`
// statement first, so the read guard is gone before the `match` starts.
// Why it is wrong: task.md says `length` must still be "written as one lookup expression
// followed by the code for a miss", using "the Rust 2024 rule from this chapter"; this
// sidesteps the `if let` temporary-scope rule instead of using it (it behaves correctly).

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
        // The guard is a temporary of this statement and is dropped at its `;`.
        let cached = self
            .lengths
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(title)
            .copied();
        match cached {
            Some(length) => length,
            None => {
                let mut lengths = self.lengths.write().unwrap_or_else(PoisonError::into_inner);
                *lengths
                    .entry(title.to_owned())
                    .or_insert_with(|| self.measure(title))
            }
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
