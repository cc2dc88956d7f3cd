//! The guest: an initramfs with busybox, the modules and `guest/init`, booted by QEMU.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::interrupt;
use crate::kernel::KernelBuild;
use crate::modules::Modules;
use crate::process::run_for_bytes;
use crate::{Error, Result, example_dir, io};

/// Debian's `busybox-static`: one static binary that provides the guest's shell,
/// `insmod`, `lsmod`, `rmmod` and `reboot`.
pub const BUSYBOX: &str = "/bin/busybox";

/// How the guest CPU runs.
#[derive(Clone, Copy, Debug)]
pub enum Accelerator {
    /// QEMU's software emulation: works everywhere, boots this kernel in seconds.
    Tcg,
    /// Hardware virtualisation through /dev/kvm, where the host supports it.
    Kvm,
}

// ANCHOR: initramfs
/// Writes the initramfs: the kernel unpacks it into memory at boot and runs `/init`.
/// `gen_init_cpio` takes a text list, so no root rights are needed to create it.
fn initramfs(kernel: &KernelBuild, modules: &Modules, dir: &Path) -> Result<PathBuf> {
    let init = example_dir().join("guest/init");
    let files = format!(
        "file /init {} 0755 0 0\n\
         file /rust_playlist.ko {} 0644 0 0\n\
         file /rust_fail.ko {} 0644 0 0\n",
        init.display(),
        modules.playlist.display(),
        modules.fail.display(),
    );
    pack(kernel, &files, dir)
}

/// Writes an initramfs with busybox, the folders it mounts on, and `files`: more
/// lines of `gen_init_cpio`'s list, `/init` among them.
pub fn pack(kernel: &KernelBuild, files: &str, dir: &Path) -> Result<PathBuf> {
    let list = format!(
        "dir /dev 0755 0 0\n\
         nod /dev/console 0600 0 0 c 5 1\n\
         dir /proc 0755 0 0\n\
         dir /sys 0755 0 0\n\
         dir /bin 0755 0 0\n\
         file /bin/busybox {BUSYBOX} 0755 0 0\n\
         slink /bin/sh busybox 0777 0 0\n\
         {files}"
    );
    let list_path = dir.join("initramfs.list");
    fs::write(&list_path, list).map_err(io("writing the initramfs list"))?;
    // gen_init_cpio writes the archive to its standard output; if it fails, that
    // output is not an initramfs, so its exit status is checked before anything is kept.
    let cpio = run_for_bytes(Command::new(kernel.gen_init_cpio()).arg(&list_path))?;
    let path = dir.join("initramfs.cpio");
    fs::write(&path, cpio).map_err(io("writing the initramfs"))?;
    Ok(path)
}
// ANCHOR_END: initramfs

// ANCHOR: boot
/// Boots the kernel and returns everything the guest wrote to its serial console.
pub fn boot(
    kernel: &KernelBuild,
    modules: &Modules,
    accelerator: Accelerator,
    limit: Duration,
) -> Result<String> {
    let initramfs = initramfs(kernel, modules, modules.scratch.path())?;
    boot_with(kernel, &initramfs, accelerator, limit, "")
}

/// Boots the kernel with `initramfs`, adding `parameters` to its command line, and
/// returns everything the guest wrote to its serial console.
pub fn boot_with(
    kernel: &KernelBuild,
    initramfs: &Path,
    accelerator: Accelerator,
    limit: Duration,
    parameters: &str,
) -> Result<String> {
    let accel = match accelerator {
        Accelerator::Tcg => "tcg",
        Accelerator::Kvm => "kvm",
    };
    let mut qemu = Command::new("qemu-system-x86_64");
    qemu.args(["-accel", accel, "-m", "256M", "-smp", "1"])
        // No screen, no monitor: the guest's serial port is QEMU's standard output.
        .args(["-display", "none", "-monitor", "none", "-serial", "stdio"])
        // A reboot (`reboot -f` at the end of init, or `panic=-1`) ends QEMU.
        .arg("-no-reboot")
        .arg("-kernel")
        .arg(kernel.bz_image())
        .arg("-initrd")
        .arg(initramfs)
        // The PC's PS/2 keyboard and mouse are left alone (`i8042.*`): the guest needs
        // no input, and on a slow machine their drivers would log in the middle of the
        // modules' messages. `no_timer_check` skips the boot-time test for broken timer
        // interrupts: emulated on a busy host, the timer can miss the test's short
        // window, and the kernel panics ("IO-APIC + timer doesn't work!").
        .arg("-append")
        .arg(format!(
            "console=ttyS0 quiet panic=-1 i8042.nokbd i8042.noaux no_timer_check {parameters}"
        ));
    run_with_timeout(&mut qemu, limit)
}
// ANCHOR_END: boot

/// Runs `boot` under KVM if `try_kvm` and the host offers it, and under emulation
/// (TCG) otherwise or if that fails: a guest that does not boot under KVM on some
/// hosts still runs. Returns what `boot` returned and the accelerator that worked.
pub fn kvm_or_emulation<T>(
    try_kvm: bool,
    mut boot: impl FnMut(Accelerator) -> Result<T>,
) -> Result<(T, Accelerator)> {
    if try_kvm && kvm_available() {
        match boot(Accelerator::Kvm) {
            Ok(result) => return Ok((result, Accelerator::Kvm)),
            Err(error) => eprintln!(
                "KVM did not work here ({:#}); using emulation",
                anyhow::Error::from(error)
            ),
        }
    }
    Ok((boot(Accelerator::Tcg)?, Accelerator::Tcg))
}

/// Runs QEMU, killing it if the guest hangs (a bad module must not hang the caller)
/// or if a signal asks the program to stop.
fn run_with_timeout(command: &mut Command, limit: Duration) -> Result<String> {
    let mut child = crate::process::spawn(command, "qemu-system-x86_64")?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).replace('\r', "")
    });
    let waited = interrupt::wait_at_most(&mut child, "qemu-system-x86_64", limit)?;
    let output = reader.join().unwrap_or_default();
    let Some(status) = waited else {
        return Err(Error::Timeout {
            seconds: limit.as_secs(),
            output,
        });
    };
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        return Err(Error::Command {
            command: crate::process::describe(command),
            status: status.to_string(),
            output: format!("{output}{stderr}"),
        });
    }
    Ok(output)
}

/// `guest/init` starts each step it reports with this marker, and ends with `== done`.
pub const STEP_MARKER: &str = "== ";
const LAST_STEP: &str = "== done";

/// What the guest's init script printed, from its first step to its last, without
/// the kernel's boot messages around it. `None` if the script never started.
pub fn script_output(log: &str) -> Option<&str> {
    let start = log
        .lines()
        .find(|line| line.starts_with(STEP_MARKER))
        .and_then(|line| log.find(line))?;
    let end = log[start..]
        .find(LAST_STEP)
        .map_or(log.len(), |at| start + at + LAST_STEP.len());
    Some(&log[start..end])
}

/// Whether this host offers KVM to this user (it may still fail to boot the guest).
pub fn kvm_available() -> bool {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markers_are_the_ones_guest_init_prints() {
        let init = fs::read_to_string(example_dir().join("guest/init")).expect("guest/init");
        assert!(init.contains(&format!("echo \"{STEP_MARKER}insmod")));
        assert!(init.contains(&format!("echo \"{LAST_STEP}\"")));
    }

    #[test]
    fn script_output_is_cut_from_the_first_step_to_the_last() {
        let log = "[    0.1] booting\n== insmod a.ko\nloaded\n== done\n[    0.2] reboot\n";
        assert_eq!(script_output(log), Some("== insmod a.ko\nloaded\n== done"));
        assert_eq!(script_output("no script here"), None);
    }
}
