//! The tests that define "done" for the exercise "shared-track".
//!
//! A wrong `Clone` or `Drop` here is a double free or a leak, which a test cannot
//! simply wait to see: a double free may crash the whole test run, and a leak does
//! nothing visible. So the tests check the count before anything could be released
//! twice, and ask C to tell them when it frees a track.

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::cell::Cell;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::rc::Rc;

use attempt::SharedTrack;
use safe_ffi::PlaylistError;

unsafe extern "C" {
    /// From `c/playlist.h`, for tests: C calls `on_free(context)` when it frees the
    /// track.
    fn playlist_track_on_free(
        track: *mut c_void,
        on_free: Option<unsafe extern "C" fn(*mut c_void)>,
        context: *mut c_void,
    );
}

/// What C calls when it frees a watched track.
unsafe extern "C" fn mark_freed(context: *mut c_void) {
    // SAFETY: `watch_free` passes a pointer to a leaked, so never freed, `Cell<bool>`,
    // and C calls this on the thread that frees the track, the thread that made it.
    unsafe { (*context.cast::<Cell<bool>>()).set(true) }
}

/// Asks C to report when it frees `track`: the flag turns `true` then. The flag is
/// leaked (one byte per test), so it is still there whenever C frees the track.
fn watch_free(track: &SharedTrack) -> &'static Cell<bool> {
    let freed: &'static Cell<bool> = Box::leak(Box::new(Cell::new(false)));
    // SAFETY: `track.as_ptr()` is a live track while `track` is borrowed, and the
    // context is a `Cell<bool>` that lives forever, as `mark_freed` expects.
    unsafe {
        playlist_track_on_free(
            track.as_ptr(),
            Some(mark_freed),
            std::ptr::from_ref(freed).cast_mut().cast(),
        );
    }
    freed
}

/// Clones `track` and checks that the clone took a reference of its own. If it did
/// not, both values would release the same reference: the first release frees the
/// track and the second frees it again, which aborts the whole test run instead of
/// failing one test. So the test fails here, after forgetting the clone (the reference
/// it holds is not its own).
#[track_caller] // a failure points at the test that cloned
fn clone_checked(track: &SharedTrack) -> SharedTrack {
    let before = track.refs();
    let clone = track.clone();
    let after = track.refs();
    if after != before + 1 {
        std::mem::forget(clone);
        panic!(
            "cloning took no reference: the count went from {before} to {after}, not {}",
            before + 1
        );
    }
    clone
}

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
    let queued = clone_checked(&track);
    assert_eq!(track.refs(), 2, "one reference per owner");
    assert_eq!(queued.refs(), 2, "both owners see one count");
    assert_eq!(queued.title().as_ptr(), track.title().as_ptr(), "no copy");
}

#[test]
fn dropping_a_clone_releases_its_reference() {
    let track = SharedTrack::new("Arabesque No. 1", 260).unwrap();
    let queue: Vec<SharedTrack> = (0..5).map(|_| clone_checked(&track)).collect();
    assert_eq!(track.refs(), 6);
    drop(queue);
    assert_eq!(track.refs(), 1);
}

#[test]
fn a_clone_outlives_the_original() {
    let track = SharedTrack::new("Gymnopédie No. 1", 185).unwrap();
    let kept = clone_checked(&track);
    drop(track);
    assert_eq!(kept.refs(), 1);
    assert_eq!(kept.title(), c"Gymnopédie No. 1");
}

#[test]
fn the_last_owner_frees_the_track() {
    let track = SharedTrack::new("Jardins sous la pluie", 306).unwrap();
    let freed = watch_free(&track);
    let kept = clone_checked(&track);
    drop(track);
    assert!(
        !freed.get(),
        "C freed the track while a clone still owned it"
    );
    drop(kept);
    assert!(
        freed.get(),
        "the last owner was dropped, but C never freed the track: it leaks"
    );
}

#[test]
fn a_track_stays_on_its_thread() {
    // The C count is not atomic: a `SharedTrack` sent to, or shared with, another
    // thread could be cloned or dropped there while this thread does the same.
    let probe = &Probe::<SharedTrack>(PhantomData);
    assert!(!probe.is_send(), "SharedTrack is Send");
    assert!(!probe.is_sync(), "SharedTrack is Sync");
    // The probe tells the two cases apart: a `String` may go to any thread, an `Rc`,
    // whose count is not atomic either, may not.
    let string = &Probe::<String>(PhantomData);
    assert!(string.is_send() && string.is_sync());
    let rc = &Probe::<Rc<()>>(PhantomData);
    assert!(!rc.is_send() && !rc.is_sync());
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

/// Tells at run time whether `T` is `Send` and `Sync` (a test cannot check that code
/// fails to compile). `probe.is_send()` on a `&Probe<T>`: Rust first looks for a
/// method that takes `&Probe<T>` as it is, and finds `IsSend`'s only if `T: Send`;
/// otherwise it borrows once more and finds `NotSend`'s, which takes `&&Probe<T>`.
/// This works only where `T` is a concrete type, as in the test above.
struct Probe<T>(PhantomData<T>);

trait IsSend {
    fn is_send(&self) -> bool {
        true
    }
}
impl<T: Send> IsSend for Probe<T> {}

trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}
impl<T> NotSend for &Probe<T> {}

trait IsSync {
    fn is_sync(&self) -> bool {
        true
    }
}
impl<T: Sync> IsSync for Probe<T> {}

trait NotSync {
    fn is_sync(&self) -> bool {
        false
    }
}
impl<T> NotSync for &Probe<T> {}
