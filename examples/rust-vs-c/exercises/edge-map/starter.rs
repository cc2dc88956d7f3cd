// Exercise "edge-map": see task.md beside this file, or the chapter's page.

use rust_vs_c::GrayImage;

/// Each inner pixel becomes `max - min` of its 3×3 neighbourhood; the border is 0.
pub fn edge_map(image: &GrayImage) -> GrayImage {
    let width = image.width();
    let mut edges = vec![0; image.pixels().len()];
    let rows = image.pixels().chunks_exact(width);
    let inner_rows = edges
        .chunks_exact_mut(width)
        .skip(1)
        .take(image.height() - 2);
    // TODO: look at the row above and the row below too, not only the pixel's own row,
    // and mind images too small to have inner pixels.
    for (out_row, row) in inner_rows.zip(rows.skip(1)) {
        for (out, column) in out_row[1..width - 1].iter_mut().zip(row.windows(3)) {
            let (min, max) = column.iter().fold((u8::MAX, u8::MIN), |(min, max), &p| {
                (min.min(p), max.max(p))
            });
            *out = max - min;
        }
    }
    GrayImage::new(width, image.height(), edges).expect("same size as the input")
}
