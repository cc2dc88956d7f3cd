//! The tests that define "done" for the exercise "edge-map".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::edge_map;
use rust_vs_c::GrayImage;

/// The plain version, indexed like the C box blur: easy to check by eye, and the
/// reference the iterator version must match pixel for pixel.
fn edge_map_indexed(image: &GrayImage) -> Vec<u8> {
    let (width, height, src) = (image.width(), image.height(), image.pixels());
    let mut edges = vec![0; src.len()];
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            let (mut min, mut max) = (u8::MAX, u8::MIN);
            for dy in 0..3 {
                for dx in 0..3 {
                    let pixel = src[(y + dy - 1) * width + (x + dx - 1)];
                    min = min.min(pixel);
                    max = max.max(pixel);
                }
            }
            edges[y * width + x] = max - min;
        }
    }
    edges
}

#[test]
fn a_vertical_step_lights_up_on_both_sides() {
    #[rustfmt::skip]
    let image = GrayImage::new(4, 4, vec![
        0, 0, 90, 90,
        0, 0, 90, 90,
        0, 0, 90, 90,
        0, 0, 90, 90,
    ]).unwrap();
    #[rustfmt::skip]
    let expected = [
        0,  0,  0, 0,
        0, 90, 90, 0,
        0, 90, 90, 0,
        0,  0,  0, 0,
    ];
    assert_eq!(edge_map(&image).pixels(), expected);
}

#[test]
fn a_horizontal_step_lights_up_above_and_below_it() {
    #[rustfmt::skip]
    let image = GrayImage::new(3, 4, vec![
        10, 10, 10,
        10, 10, 10,
        60, 60, 60,
        60, 60, 60,
    ]).unwrap();
    // Only the rows above and below a pixel see the step: the pixel's own row is flat.
    assert_eq!(
        edge_map(&image).pixels(),
        [0, 0, 0, 0, 50, 0, 0, 50, 0, 0, 0, 0]
    );
}

#[test]
fn matches_the_indexed_version_on_every_size() {
    for (width, height) in [
        (1, 1),
        (1, 5),
        (2, 5),
        (5, 1),
        (5, 2),
        (3, 3),
        (64, 17),
        (257, 129),
    ] {
        let image = GrayImage::test_pattern(width, height).unwrap();
        assert_eq!(
            edge_map(&image).pixels(),
            edge_map_indexed(&image),
            "{width}×{height}"
        );
    }
}
