//! The safe versions of the programs in `compile-fail/`. Each keeps what the rejected
//! program wanted to do and gives the borrow checker a reason to accept it.

use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: use_after_free
/// Takes the first track out of a playlist. The caller hands over the whole vector
/// (`Vec<String>`, not `&Vec<String>`), so the returned `String` has its own owner and
/// stays valid after the rest of the playlist is freed.
pub fn first_track(playlist: Vec<String>) -> Option<String> {
    // `into_iter` consumes the vector and `next` moves its first element out. The
    // other tracks and the vector's buffer are freed when the iterator is dropped.
    playlist.into_iter().next()
}
// ANCHOR_END: use_after_free

// ANCHOR: double_free
/// Queues one track twice without copying the title. Each queue entry is an owner,
/// and `Rc` frees the string once, when the last owner goes away.
pub fn queue_twice(title: &str) -> Vec<Rc<String>> {
    let track = Rc::new(title.to_owned());
    // `Rc::clone` copies a pointer and adds one to the count; the string stays put.
    vec![Rc::clone(&track), track]
}
// ANCHOR_END: double_free

// ANCHOR: dangling
/// Returns the newest track by value: the caller becomes its owner.
pub fn newest_track() -> String {
    String::from("Arabesque No. 1")
}

/// Or borrows from something the caller owns. The lifetime `'a` ties the result to
/// `tracks`, so the compiler stops any use of it after `tracks` is gone.
#[allow(clippy::needless_lifetimes)] // written out to show the tie; usually elided
pub fn longest_title<'a>(tracks: &'a [String]) -> Option<&'a str> {
    tracks
        .iter()
        .map(String::as_str)
        .max_by_key(|title| title.chars().count())
}
// ANCHOR_END: dangling

// ANCHOR: data_race_scoped
/// Counts plays from several threads. The `Mutex` lets one thread at a time change
/// the counter, and scoped threads may borrow it because `thread::scope` joins them
/// all before `plays` goes out of scope.
pub fn count_plays_scoped(threads: usize, plays_per_thread: u32) -> u32 {
    let plays = Mutex::new(0);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..plays_per_thread {
                    // `lock` fails only if another thread panicked while holding it.
                    *plays.lock().expect("no counting thread panics") += 1;
                }
            });
        }
    });
    plays.into_inner().expect("no counting thread panics")
}
// ANCHOR_END: data_race_scoped

// ANCHOR: data_race_arc
/// The same with threads that may outlive the function that starts them. `Arc` is the
/// thread-safe `Rc`: its count is updated atomically, so it may cross threads.
pub fn count_plays_shared(threads: usize, plays_per_thread: u32) -> u32 {
    let plays = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let plays = Arc::clone(&plays);
            thread::spawn(move || {
                for _ in 0..plays_per_thread {
                    *plays.lock().expect("no counting thread panics") += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("no counting thread panics");
    }
    *plays.lock().expect("no counting thread panics")
}
// ANCHOR_END: data_race_arc

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_track_outlives_its_playlist() {
        let playlist = vec!["Clair de Lune".to_owned(), "Rêverie".to_owned()];
        assert_eq!(first_track(playlist).as_deref(), Some("Clair de Lune"));
        assert_eq!(first_track(Vec::new()), None);
    }

    #[test]
    fn queued_entries_share_one_string_until_the_last_is_dropped() {
        let mut queue = queue_twice("Gymnopédie No. 1");
        assert!(Rc::ptr_eq(&queue[0], &queue[1]));
        assert_eq!(Rc::strong_count(&queue[0]), 2);
        queue.pop();
        assert_eq!(Rc::strong_count(&queue[0]), 1);
    }

    #[test]
    fn longest_title_counts_characters_not_bytes() {
        let tracks = ["Rêverie".to_owned(), "Reverie!".to_owned()];
        assert_eq!(longest_title(&tracks), Some("Reverie!"));
        assert_eq!(longest_title(&[]), None);
    }

    #[test]
    fn no_increment_is_lost_across_threads() {
        assert_eq!(count_plays_scoped(4, 10_000), 40_000);
        assert_eq!(count_plays_shared(4, 10_000), 40_000);
    }
}
