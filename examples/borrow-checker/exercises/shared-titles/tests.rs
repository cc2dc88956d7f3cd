//! The tests that define "done" for the exercise "shared-titles".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use std::rc::Rc;

use attempt::share_titles;

fn library() -> Vec<Vec<Rc<str>>> {
    share_titles(&[
        vec!["Rêverie", "Arabesque"],
        vec!["Arabesque", "Clair de Lune"],
        vec!["Clair de Lune", "Arabesque", "Rêverie"],
    ])
}

#[test]
fn playlists_keep_their_titles_in_order() {
    let library = library();
    let titles: Vec<Vec<&str>> = library
        .iter()
        .map(|playlist| playlist.iter().map(|title| &**title).collect())
        .collect();
    assert_eq!(
        titles,
        [
            vec!["Rêverie", "Arabesque"],
            vec!["Arabesque", "Clair de Lune"],
            vec!["Clair de Lune", "Arabesque", "Rêverie"],
        ]
    );
}

#[test]
fn one_title_is_stored_once() {
    let library = library();
    let arabesque = &library[0][1];
    assert!(
        Rc::ptr_eq(arabesque, &library[1][0]),
        "same title, same allocation"
    );
    assert!(
        Rc::ptr_eq(arabesque, &library[2][1]),
        "same title, same allocation"
    );
    assert!(Rc::ptr_eq(&library[0][0], &library[2][2]));
    assert!(
        !Rc::ptr_eq(arabesque, &library[0][0]),
        "different titles, different allocations"
    );
}

#[test]
fn each_appearance_is_one_owner() {
    let library = library();
    assert_eq!(
        Rc::strong_count(&library[0][1]),
        3,
        "Arabesque appears 3 times"
    );
    assert_eq!(Rc::strong_count(&library[0][0]), 2, "Rêverie appears twice");
    let single = share_titles(&[vec!["Gymnopédie No. 1"]]);
    assert_eq!(Rc::strong_count(&single[0][0]), 1);
}

#[test]
fn no_playlists_no_titles() {
    assert!(share_titles(&[]).is_empty());
    assert_eq!(share_titles(&[vec![]]), [Vec::<Rc<str>>::new()]);
}
