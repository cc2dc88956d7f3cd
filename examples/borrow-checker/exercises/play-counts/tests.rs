//! The tests that define "done" for the exercise "play-counts".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::play_counts;

fn history(tracks: &[&str]) -> Vec<String> {
    tracks.iter().map(|&track| track.to_owned()).collect()
}

#[test]
fn counts_one_listener() {
    let counts = play_counts(vec![history(&["Rêverie", "Arabesque", "Rêverie"])]);
    assert_eq!(counts["Rêverie"], 2);
    assert_eq!(counts["Arabesque"], 1);
    assert_eq!(counts.len(), 2);
}

#[test]
fn counts_every_listener() {
    let counts = play_counts(vec![
        history(&["Rêverie", "Arabesque"]),
        history(&["Arabesque"]),
        history(&["Clair de Lune", "Arabesque"]),
    ]);
    assert_eq!(counts["Arabesque"], 3, "plays of every listener count");
    assert_eq!(counts["Rêverie"], 1);
    assert_eq!(counts["Clair de Lune"], 1);
}

#[test]
fn no_play_is_lost_with_many_listeners() {
    let listeners = (0..8)
        .map(|_| vec!["Gymnopédie".to_owned(); 5_000])
        .collect();
    assert_eq!(play_counts(listeners)["Gymnopédie"], 40_000);
}

#[test]
fn no_listeners_no_plays() {
    assert!(play_counts(Vec::new()).is_empty());
}
