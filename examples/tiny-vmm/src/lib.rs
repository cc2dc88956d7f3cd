//! A tiny virtual machine monitor: the few steps every KVM-based VMM takes, Firecracker
//! included, on the same rust-vmm crates (`kvm-ioctls`, `kvm-bindings`, `vm-memory`,
//! `vmm-sys-util`). It runs a few bytes of real-mode x86 code that write to a serial
//! port, and stops guests that loop, fault or misbehave, with a clear error.
//!
//! Run it with `cargo run --example tiny-vmm` (Linux with access to /dev/kvm).

pub mod guests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kvm_bindings::kvm_userspace_memory_region;
use kvm_ioctls::{Kvm, VcpuExit, VcpuFd};
use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap};
use vmm_sys_util::signal::{Killable, SIGRTMIN, register_signal_handler};

/// The guest's memory: 64 KiB of RAM at guest-physical address 0.
const MEMORY_SIZE: usize = 0x1_0000;
/// Where the guest's code is loaded and where the CPU starts.
pub const LOAD_ADDRESS: u64 = 0x1000;
/// The I/O port of the first PC serial port (COM1): the guest writes its output here.
pub const SERIAL_PORT: u16 = 0x3f8;

#[derive(Debug, thiserror::Error)]
pub enum VmmError {
    #[error("KVM is not usable here; the example needs Linux with access to /dev/kvm")]
    NoKvm(#[source] kvm_ioctls::Error),
    #[error("KVM refused {operation}")]
    Kvm {
        operation: &'static str,
        source: kvm_ioctls::Error,
    },
    #[error("could not map the guest's memory")]
    MapMemory(#[source] vm_memory::mmap::FromRangesError),
    #[error("could not load the guest program into its memory")]
    LoadProgram(#[source] vm_memory::GuestMemoryError),
    #[error("could not install the signal that stops a runaway guest")]
    SignalHandler(#[source] vmm_sys_util::errno::Error),
    #[error("the vCPU thread panicked")]
    VcpuThreadPanicked,
    #[error("the guest program is {size} bytes; at most {max} fit")]
    ProgramTooLarge { size: usize, max: usize },
    #[error("the guest ran for {limit:?} without halting; stopped it")]
    Timeout { limit: Duration },
    #[error(
        "the guest did something this VMM does not emulate: {exit} (after printing {output:?})"
    )]
    UnexpectedExit { exit: String, output: String },
}

/// Names the KVM call that failed: `vcpu.run().map_err(refused("running the vCPU"))`.
fn refused(operation: &'static str) -> impl FnOnce(kvm_ioctls::Error) -> VmmError {
    move |source| VmmError::Kvm { operation, source }
}

/// What a guest did before it halted.
#[derive(Debug, PartialEq, Eq)]
pub struct GuestRun {
    /// Bytes the guest wrote to the serial port.
    pub output: String,
    /// How often the guest handed control back to the VMM.
    pub exits: u64,
}

// ANCHOR: setup
/// Creates a VM with one vCPU in 16-bit real mode, loads `program` and runs it.
pub fn run_guest(program: &[u8], limit: Duration) -> Result<GuestRun, VmmError> {
    let kvm = Kvm::new().map_err(VmmError::NoKvm)?;
    let vm = kvm.create_vm().map_err(refused("creating a VM"))?;

    // 1. Guest memory: an anonymous mapping in this process, which KVM maps into the
    //    guest's physical address space.
    let memory = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEMORY_SIZE)])
        .map_err(VmmError::MapMemory)?;
    let max = MEMORY_SIZE - LOAD_ADDRESS as usize;
    if program.len() > max {
        return Err(VmmError::ProgramTooLarge {
            size: program.len(),
            max,
        });
    }
    memory
        .write_slice(program, GuestAddress(LOAD_ADDRESS))
        .map_err(VmmError::LoadProgram)?;
    // The mapping that `from_ranges` made for the one range asked for.
    let host_address = memory
        .get_host_address(GuestAddress(0))
        .map_err(VmmError::LoadProgram)?;
    let slot = kvm_userspace_memory_region {
        slot: 0,
        guest_phys_addr: 0,
        memory_size: MEMORY_SIZE as u64,
        userspace_addr: host_address as u64,
        flags: 0,
    };
    // SAFETY: `userspace_addr` points to a mapping of `memory_size` bytes that
    // `memory` owns and keeps alive until after the vCPU thread is joined below, and
    // no other slot overlaps it.
    unsafe { vm.set_user_memory_region(slot) }.map_err(refused("mapping guest memory"))?;

    // 2. A virtual CPU, reset to real mode: flat segments at 0, execution at the code.
    let vcpu = vm.create_vcpu(0).map_err(refused("creating a vCPU"))?;
    let mut sregs = vcpu
        .get_sregs()
        .map_err(refused("reading segment registers"))?;
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    sregs.ds.base = 0;
    sregs.ds.selector = 0;
    vcpu.set_sregs(&sregs)
        .map_err(refused("setting segment registers"))?;
    let mut regs = vcpu.get_regs().map_err(refused("reading registers"))?;
    regs.rip = LOAD_ADDRESS;
    regs.rflags = 0x2; // bit 1 is reserved and must be set
    vcpu.set_regs(&regs).map_err(refused("setting registers"))?;

    let result = run_with_watchdog(vcpu, limit);
    drop(memory); // only now: the guest can no longer touch it
    result
}
// ANCHOR_END: setup

// ANCHOR: exit_loop
/// The heart of every VMM: run the vCPU until the guest needs something, handle
/// that, and run it again.
fn exit_loop(vcpu: &mut VcpuFd, stop: &AtomicBool) -> Result<Outcome, VmmError> {
    let mut output = String::new();
    let mut exits = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(Outcome::Stopped);
        }
        let exit = vcpu.run();
        exits += 1;
        match exit {
            // The guest wrote to a port: emulate the one device this VMM has.
            Ok(VcpuExit::IoOut(SERIAL_PORT, data)) => {
                output.extend(data.iter().map(|&byte| char::from(byte)));
            }
            Ok(VcpuExit::Hlt) => return Ok(Outcome::Halted(GuestRun { output, exits })),
            // The watchdog's signal interrupted KVM_RUN: check `stop` and go on.
            Err(error) if error.errno() == libc::EINTR => {}
            Ok(other) => {
                let exit = match other {
                    VcpuExit::IoOut(port, data) => format!("wrote {data:?} to I/O port {port:#x}"),
                    VcpuExit::MmioWrite(address, _) => {
                        format!("wrote to address {address:#x}, which is not RAM")
                    }
                    VcpuExit::MmioRead(address, _) => {
                        format!("read address {address:#x}, which is not RAM")
                    }
                    other => format!("{other:?}"),
                };
                return Err(VmmError::UnexpectedExit { exit, output });
            }
            Err(source) => return Err(refused("running the vCPU")(source)),
        }
    }
}
// ANCHOR_END: exit_loop

/// How the exit loop ended, when nothing went wrong.
enum Outcome {
    Halted(GuestRun),
    /// The watchdog asked it to stop; the watchdog knows the time limit.
    Stopped,
}

// ANCHOR: watchdog
/// Runs the vCPU on its own thread. A guest that never exits (`jmp $`) keeps that
/// thread inside KVM_RUN; the only way to get it back is a signal, which makes
/// KVM_RUN return EINTR. Firecracker kicks its vCPUs the same way.
fn run_with_watchdog(mut vcpu: VcpuFd, limit: Duration) -> Result<GuestRun, VmmError> {
    let kick = SIGRTMIN();
    // The handler does nothing: the signal's only job is to interrupt KVM_RUN.
    extern "C" fn on_kick(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {}
    register_signal_handler(kick, on_kick).map_err(VmmError::SignalHandler)?;

    let stop = Arc::new(AtomicBool::new(false));
    let vcpu_stop = Arc::clone(&stop);
    let thread: JoinHandle<Result<Outcome, VmmError>> =
        std::thread::spawn(move || exit_loop(&mut vcpu, &vcpu_stop));
    let started = Instant::now();
    while !thread.is_finished() {
        if started.elapsed() > limit {
            stop.store(true, Ordering::Relaxed);
            // Kick until it notices: a signal that lands outside KVM_RUN is lost.
            let _ = thread.kill(kick);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    match thread.join() {
        Ok(Ok(Outcome::Halted(run))) => Ok(run),
        Ok(Ok(Outcome::Stopped)) => Err(VmmError::Timeout { limit }),
        Ok(Err(error)) => Err(error),
        Err(_) => Err(VmmError::VcpuThreadPanicked),
    }
}
// ANCHOR_END: watchdog
