// Wrong attempt: pairs the output rows with their three input rows, but starts the output
// rows at the top row instead of skipping it.
// Why it is wrong: task.md says each inner pixel gets the `max - min` of its own 3×3
// neighbourhood; each result lands one row too high (the top border gets the first inner
// row's value, and the last inner row stays 0).

use rust_vs_c::GrayImage;

/// Each inner pixel becomes `max - min` of its 3×3 neighbourhood; the border is 0.
pub fn edge_map(image: &GrayImage) -> GrayImage {
    let width = image.width();
    let mut edges = vec![0; image.pixels().len()];
    if width >= 3 && image.height() >= 3 {
        let rows = image.pixels().chunks_exact(width);
        let neighbours = rows.clone().zip(rows.clone().skip(1)).zip(rows.skip(2));
        for (out_row, ((above, row), below)) in edges.chunks_exact_mut(width).zip(neighbours) {
            let columns = above.windows(3).zip(row.windows(3)).zip(below.windows(3));
            for (out, ((a, b), c)) in out_row[1..width - 1].iter_mut().zip(columns) {
                let (min, max) = a
                    .iter()
                    .chain(b)
                    .chain(c)
                    .fold((u8::MAX, u8::MIN), |(min, max), &p| {
                        (min.min(p), max.max(p))
                    });
                *out = max - min;
            }
        }
    }
    GrayImage::new(width, image.height(), edges).expect("same size as the input")
}
