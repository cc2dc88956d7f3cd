//! `cargo bench -p tiny-vmm`: how long a whole guest run takes, from opening /dev/kvm
//! and creating the VM to the guest halting after its output.
//! `cargo xtask bench-report tiny-vmm` writes the table the cloud chapter shows.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tiny_vmm::{guests, run_guest};

fn startup(criterion: &mut Criterion) {
    let program = guests::hello();
    let mut group = criterion.benchmark_group("VM lifecycle");
    group.bench_function("create VM, run hello guest to HLT", |b| {
        b.iter(|| run_guest(&program, Duration::from_secs(5)).expect("the guest halts"));
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
