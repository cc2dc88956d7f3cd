//! How long one frame of the engine's loop takes offscreen (a simulation tick,
//! drawing, and the GPU's work, which Mesa's lavapipe does on the CPU where there is
//! no GPU), at a few particle counts. `steady` keeps each count constant: no particle
//! expires and none is added while criterion repeats the frame.
//!
//! `cargo xtask bench-report bevy-particles` runs it, with the page's frame times.

use bevy::prelude::*;
use bevy_particles::{Offscreen, ParticlesPlugin, graphics_adapter};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// The particle counts of the chapter's table (the page's demo offers the same).
pub const COUNTS: [usize; 3] = [300, 3_000, 10_000];

fn frame_time(c: &mut Criterion) {
    if graphics_adapter().is_none() {
        eprintln!(
            "\n!!!!! frame_time NOT RUN: no graphics adapter (install mesa-vulkan-drivers) !!!!!\n"
        );
        return;
    }
    let mut group = c.benchmark_group("frame offscreen");
    for particles in COUNTS {
        let mut offscreen = Offscreen::new(ParticlesPlugin {
            particles,
            steady: true,
            ..default()
        });
        // The first frames compile pipelines and fill sprite buffers.
        for _ in 0..10 {
            offscreen.frame();
        }
        group.bench_with_input(
            BenchmarkId::from_parameter(particles),
            &particles,
            |b, _| {
                b.iter(|| offscreen.frame());
            },
        );
    }
    group.finish();
}

criterion_group!(benches, frame_time);
criterion_main!(benches);
