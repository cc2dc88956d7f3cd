//! The tests that define "done" for the exercise "shared-track".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::SharedTrack;
use safe_ffi::PlaylistError;

#[test]
fn a_new_track_has_one_reference() {
    let track = SharedTrack::new("Clair de Lune", 300).unwrap();
    assert_eq!(track.refs(), 1);
    assert_eq!(track.title(), c"Clair de Lune");
    assert_eq!(track.seconds(), 300);
}

#[test]
fn each_clone_takes_a_reference() {
    let track = SharedTrack::new("Rêverie", 288).unwrap();
    let queued = track.clone();
    assert_eq!(track.refs(), 2, "one reference per owner");
    assert_eq!(queued.refs(), 2, "both owners see one count");
    assert_eq!(queued.title().as_ptr(), track.title().as_ptr(), "no copy");
}

#[test]
fn dropping_a_clone_releases_its_reference() {
    let track = SharedTrack::new("Arabesque No. 1", 260).unwrap();
    let queue = vec![track.clone(); 5];
    assert_eq!(track.refs(), 6);
    drop(queue);
    assert_eq!(track.refs(), 1);
}

#[test]
fn a_clone_outlives_the_original() {
    let track = SharedTrack::new("Gymnopédie No. 1", 185).unwrap();
    let kept = track.clone();
    drop(track);
    assert_eq!(kept.refs(), 1);
    assert_eq!(kept.title(), c"Gymnopédie No. 1");
}

#[test]
fn bad_titles_are_rejected() {
    for title in ["", "nul\0inside"] {
        assert_eq!(
            SharedTrack::new(title, 1).err(),
            Some(PlaylistError::InvalidTitle)
        );
    }
}
