// Reference solution of the exercise "edge-map" (see task.md beside this file).

use rust_vs_c::GrayImage;

/// Each inner pixel becomes `max - min` of its 3×3 neighbourhood; the border is 0.
pub fn edge_map(image: &GrayImage) -> GrayImage {
    let width = image.width();
    // Starting from zeros gives the border its value: only inner pixels are written.
    let mut edges = vec![0; image.pixels().len()];
    if width >= 3 && image.height() >= 3 {
        // Each output row with its three input rows: above, level with and below it.
        // `chunks_exact` yields slices of exactly `width` pixels, and the zips stop at
        // the shortest iterator, so no row index can go out of range.
        let rows = image.pixels().chunks_exact(width);
        let neighbours = rows.clone().zip(rows.clone().skip(1)).zip(rows.skip(2));
        let inner_rows = edges.chunks_exact_mut(width).skip(1);
        for (out_row, ((above, row), below)) in inner_rows.zip(neighbours) {
            // A row of `width` pixels has `width - 2` windows of 3: one per inner pixel,
            // as many as `out_row[1..width - 1]` has. The compiler can see that every
            // access stays inside its slice, so the loop needs no bounds checks.
            let columns = above.windows(3).zip(row.windows(3)).zip(below.windows(3));
            for (out, ((a, b), c)) in out_row[1..width - 1].iter_mut().zip(columns) {
                let (min, max) = a
                    .iter()
                    .chain(b)
                    .chain(c)
                    .fold((u8::MAX, u8::MIN), |(min, max), &p| {
                        (min.min(p), max.max(p))
                    });
                // `max >= min` always, so the subtraction cannot underflow.
                *out = max - min;
            }
        }
    }
    // The buffer has exactly `width × height` pixels, like the input: `new` accepts it.
    GrayImage::new(width, image.height(), edges).expect("same size as the input")
}
