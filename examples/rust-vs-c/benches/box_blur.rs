//! `cargo bench -p rust-vs-c`: the same 3×3 box blur in safe Rust and in C.
//! `cargo xtask bench-report rust-vs-c` runs this and writes the table the book shows.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_vs_c::{GrayImage, box_blur, c};

fn blur(criterion: &mut Criterion) {
    let image = GrayImage::test_pattern(4096, 4096).expect("a valid test image");
    let mut group = criterion.benchmark_group("box blur, 4096×4096");
    group.bench_function("safe Rust (opt-level 3)", |b| {
        b.iter(|| box_blur(black_box(&image)))
    });
    group.bench_function("C, GCC -O2", |b| {
        b.iter(|| c::box_blur_o2(black_box(&image)))
    });
    group.bench_function("C, GCC -O3", |b| {
        b.iter(|| c::box_blur_o3(black_box(&image)))
    });
    group.finish();
}

criterion_group!(benches, blur);
criterion_main!(benches);
