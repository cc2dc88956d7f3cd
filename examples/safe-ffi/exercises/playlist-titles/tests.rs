//! The tests that define "done" for the exercise "playlist-titles".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::ffi::CStr;

use attempt::titles;
use safe_ffi::Playlist;

fn playlist() -> Playlist {
    let mut playlist = Playlist::new(4).unwrap();
    for (title, seconds) in [
        ("Clair de Lune", 300),
        ("Rêverie", 288),
        ("Arabesque No. 1", 260),
        ("Gymnopédie No. 1", 185),
    ] {
        playlist.add(title, seconds).unwrap();
    }
    playlist
}

#[test]
fn yields_the_titles_in_order() {
    let playlist = playlist();
    let all: Vec<&CStr> = titles(&playlist).collect();
    assert_eq!(
        all,
        [
            c"Clair de Lune",
            c"Rêverie",
            c"Arabesque No. 1",
            c"Gymnopédie No. 1"
        ]
    );
    let empty = Playlist::new(1).unwrap();
    assert_eq!(titles(&empty).next(), None);
}

#[test]
fn titles_outlive_the_iterator() {
    let playlist = playlist();
    let first = titles(&playlist).next();
    assert_eq!(first, Some(c"Clair de Lune"));
}

#[test]
fn walks_backwards_with_rev() {
    let playlist = playlist();
    let last_two: Vec<&CStr> = titles(&playlist).rev().take(2).collect();
    assert_eq!(last_two, [c"Gymnopédie No. 1", c"Arabesque No. 1"]);
}

#[test]
fn both_ends_meet_without_repeating_a_title() {
    let playlist = playlist();
    let mut titles = titles(&playlist);
    assert_eq!(titles.next(), Some(c"Clair de Lune"));
    assert_eq!(titles.next_back(), Some(c"Gymnopédie No. 1"));
    assert_eq!(titles.next_back(), Some(c"Arabesque No. 1"));
    assert_eq!(titles.next(), Some(c"Rêverie"));
    assert_eq!(titles.next(), None);
    assert_eq!(titles.next_back(), None);
}

#[test]
fn len_counts_the_titles_left() {
    let playlist = playlist();
    let mut titles = titles(&playlist);
    assert_eq!(titles.len(), 4);
    titles.next();
    titles.next_back();
    assert_eq!(titles.len(), 2);
}
