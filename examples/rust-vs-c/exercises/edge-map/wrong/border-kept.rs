// Wrong attempt: follows `box_blur` closely, including its start from a copy of the input,
// so the border pixels keep their values.
// Why it is wrong: task.md says "Border pixels have no full neighbourhood, so they become 0";
// here they keep the input's brightness.

use rust_vs_c::GrayImage;

/// Each inner pixel becomes `max - min` of its 3×3 neighbourhood; the border is 0.
pub fn edge_map(image: &GrayImage) -> GrayImage {
    let width = image.width();
    let mut edges = image.pixels().to_vec();
    if width >= 3 && image.height() >= 3 {
        let rows = image.pixels().chunks_exact(width);
        let neighbours = rows.clone().zip(rows.clone().skip(1)).zip(rows.skip(2));
        let inner_rows = edges.chunks_exact_mut(width).skip(1);
        for (out_row, ((above, row), below)) in inner_rows.zip(neighbours) {
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
