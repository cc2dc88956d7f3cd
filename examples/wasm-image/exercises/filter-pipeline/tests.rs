//! The tests that define "done" for the exercise "filter-pipeline".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{MAX_FILTERS, PipelineError, apply_pipeline};
use wasm_image::filters::{self, test_picture};
use wasm_image::{FilterError, Image};

const WIDTH: u32 = 24;
const HEIGHT: u32 = 16;

/// The test picture after running `steps` directly, for comparison.
fn filtered(steps: &[fn(&mut Image)]) -> Vec<u8> {
    let mut pixels = test_picture(WIDTH, HEIGHT);
    let mut image = Image::new(&mut pixels, WIDTH, HEIGHT).expect("the size matches");
    for step in steps {
        step(&mut image);
    }
    pixels
}

#[test]
fn runs_the_named_filters_in_order() {
    let mut pixels = test_picture(WIDTH, HEIGHT);
    apply_pipeline(&mut pixels, WIDTH, HEIGHT, " box_blur ,sobel,").expect("a valid list");
    assert_eq!(pixels, filtered(&[filters::box_blur, filters::sobel]));
}

#[test]
fn an_empty_list_changes_nothing() {
    let mut pixels = test_picture(WIDTH, HEIGHT);
    apply_pipeline(&mut pixels, WIDTH, HEIGHT, "").expect("no filters is fine");
    assert_eq!(pixels, test_picture(WIDTH, HEIGHT));
}

#[test]
fn an_unknown_name_is_refused_before_any_filter_runs() {
    let mut pixels = test_picture(WIDTH, HEIGHT);
    assert_eq!(
        apply_pipeline(&mut pixels, WIDTH, HEIGHT, "grayscale, sepia"),
        Err(PipelineError::UnknownFilter("sepia".to_owned()))
    );
    assert_eq!(pixels, test_picture(WIDTH, HEIGHT), "no pixel changed");
}

#[test]
fn too_many_filters_are_refused_before_any_filter_runs() {
    let mut pixels = test_picture(WIDTH, HEIGHT);
    let names = ["grayscale"; MAX_FILTERS + 1].join(",");
    assert_eq!(
        apply_pipeline(&mut pixels, WIDTH, HEIGHT, &names),
        Err(PipelineError::TooManyFilters {
            count: MAX_FILTERS + 1
        })
    );
    assert_eq!(pixels, test_picture(WIDTH, HEIGHT), "no pixel changed");
    let names = ["grayscale"; MAX_FILTERS].join(",");
    assert_eq!(apply_pipeline(&mut pixels, WIDTH, HEIGHT, &names), Ok(()));
}

#[test]
fn a_bad_buffer_is_the_image_error() {
    let mut pixels = vec![0; 12];
    assert_eq!(
        apply_pipeline(&mut pixels, 2, 2, "grayscale"),
        Err(PipelineError::Image(FilterError::WrongLength {
            width: 2,
            height: 2,
            expected: 16,
            actual: 12
        }))
    );
}
