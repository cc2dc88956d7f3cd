//! The tests that define "done" for the exercise "invert-filter".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::invert;
use wasm_image::FilterError;
use wasm_image::filters::test_picture;

#[test]
fn inverts_colours_and_keeps_alpha() {
    let mut pixels = vec![0, 100, 255, 7, 10, 20, 30, 255];
    invert(&mut pixels, 2, 1).expect("a 2×1 picture has 8 bytes");
    assert_eq!(pixels, [255, 155, 0, 7, 245, 235, 225, 255]);
}

#[test]
fn inverting_twice_gives_back_the_picture() {
    let original = test_picture(32, 24);
    let mut pixels = original.clone();
    invert(&mut pixels, 32, 24).expect("the size matches");
    assert_ne!(pixels, original, "one inversion changes the picture");
    invert(&mut pixels, 32, 24).expect("the size matches");
    assert_eq!(pixels, original);
}

#[test]
fn a_buffer_of_the_wrong_length_is_refused_and_left_alone() {
    let mut pixels = vec![9; 10];
    assert_eq!(
        invert(&mut pixels, 2, 2),
        Err(FilterError::WrongLength {
            width: 2,
            height: 2,
            expected: 16,
            actual: 10
        })
    );
    assert_eq!(pixels, [9; 10], "nothing was written");
}

#[test]
fn empty_and_huge_sizes_are_refused() {
    assert_eq!(
        invert(&mut [], 0, 3),
        Err(FilterError::Empty {
            width: 0,
            height: 3
        })
    );
    assert!(matches!(
        invert(&mut [0; 4], u32::MAX, 1),
        Err(FilterError::TooLarge { .. })
    ));
}
