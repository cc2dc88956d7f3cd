//! `cargo bench -p ecs-sim`: one physics tick (gravity, movement, wall bounces) for
//! N particles, on Bevy's ECS and on a `Vec<Box<dyn Body>>`.
//! `cargo xtask bench-report ecs-sim` runs it and writes the table the book shows.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ecs_sim::Simulation;
use ecs_sim::objects::ObjectWorld;
use ecs_sim::sim::initial_particles;

fn physics_tick(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("physics tick");
    for count in [1_000, 10_000, 100_000] {
        // Throughput lets the report show entity updates per second.
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(BenchmarkId::new("bevy_ecs", count), &count, |b, &count| {
            let mut simulation = Simulation::physics_only(1, count);
            b.iter(|| simulation.step());
        });
        group.bench_with_input(
            BenchmarkId::new("objects, in allocation order", count),
            &count,
            |b, &count| {
                let (arena, particles) = initial_particles(1, count);
                let mut objects = ObjectWorld::new(arena, particles);
                b.iter(|| objects.step());
            },
        );
        group.bench_with_input(
            BenchmarkId::new("objects, after churn", count),
            &count,
            |b, &count| {
                let (arena, particles) = initial_particles(1, count);
                let mut objects = ObjectWorld::after_churn(arena, particles, 2);
                b.iter(|| objects.step());
            },
        );
    }
    group.finish();
}

criterion_group!(benches, physics_tick);
criterion_main!(benches);
