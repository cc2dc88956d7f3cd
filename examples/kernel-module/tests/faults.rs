//! Stopping the example halfway: `kill` while QEMU boots the guest, Ctrl-C while
//! `make` builds the modules or QEMU boots, and a module build that fails. Each time
//! the example says so in one line, exits non-zero, and leaves no `make` or QEMU
//! running and no scratch folder behind.
//!
//! They need the cached kernel build that `modules_load_fail_cleanly_and_unload_in_qemu`
//! (tests/boot.rs) or `cargo run --example kernel-module` makes; without the
//! prerequisites they are skipped loudly, and in CI they fail.

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kernel_module::{kernel, missing_prerequisite, modules};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Whether the prerequisites are there; if not, says so loudly (and fails in CI).
fn prerequisites_present(test: &str) -> bool {
    let Some(missing) = missing_prerequisite() else {
        return true;
    };
    let message = format!("{test} NOT RUN: {missing}");
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("\n!!!!! {message} !!!!!\n");
    false
}

/// The example's binary, built beside this test's own binary, and the kernel it needs.
fn example_binary() -> PathBuf {
    kernel::ensure_built().expect("the kernel builds");
    built_example()
}

/// The example's binary, built beside this test's own binary.
fn built_example() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "kernel-module"])
        // From the root without `--package`, to reuse the workspace's build (Cargo.toml).
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "building the example failed");
    let test = std::env::current_exe().expect("the test knows its path");
    let profile_dir = test
        .parent()
        .and_then(Path::parent)
        .expect("tests live in target/PROFILE/deps");
    profile_dir.join("examples/kernel-module")
}

/// A process as `/proc/PID/stat` describes it.
struct Process {
    pid: u32,
    name: String,
    zombie: bool,
    parent: u32,
    group: u32,
}

/// Every process on the machine, from `/proc`.
fn processes() -> Vec<Process> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid pgrp ...`; comm may contain spaces, so split
            // after the last ')'.
            let (name, rest) = stat.split_once('(')?.1.rsplit_once(')')?;
            let mut fields = rest.split_whitespace();
            let zombie = fields.next()? == "Z";
            let parent = fields.next()?.parse().ok()?;
            let group = fields.next()?.parse().ok()?;
            Some(Process {
                pid,
                name: name.to_owned(),
                zombie,
                parent,
                group,
            })
        })
        .collect()
}

/// The processes whose parent is `parent`, as `(pid, command name)`.
fn children_of(parent: u32) -> Vec<(u32, String)> {
    processes()
        .into_iter()
        .filter(|process| process.parent == parent)
        .map(|process| (process.pid, process.name))
        .collect()
}

/// The process group of `pid`, while it runs.
fn group_of(pid: u32) -> Option<u32> {
    processes()
        .into_iter()
        .find(|process| process.pid == pid)
        .map(|process| process.group)
}

/// The processes of process group `group` that have not exited, as `pid (name)`.
fn alive_in_group(group: u32) -> Vec<String> {
    processes()
        .into_iter()
        .filter(|process| process.group == group && !process.zombie)
        .map(|process| format!("{} ({})", process.pid, process.name))
        .collect()
}

fn is_running(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
    })
}

/// Waits for the child to exit, at most `limit`; returns its exit code and stderr.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let started = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the example did not exit within {limit:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(pipe) = child.stderr.take() {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            stderr.push_str(&line);
            stderr.push('\n');
        }
    }
    (status.code(), stderr)
}

#[test]
fn sigterm_while_qemu_boots_stops_qemu_and_removes_the_scratch_folder() {
    if !prerequisites_present("signal test") {
        return;
    }
    let binary = example_binary();
    let child = Command::new(&binary)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let pid = child.id();

    // The modules build first (seconds), then QEMU starts as the example's child.
    let started = Instant::now();
    let qemu = loop {
        let found = children_of(pid)
            .into_iter()
            .find(|(_, name)| name.starts_with("qemu-system"));
        if let Some((qemu, _)) = found {
            break qemu;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "QEMU did not start within 120 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let killed = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());

    let (code, stderr) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(130), "stderr:\n{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(stderr.contains("interrupted by a signal"), "{stderr}");
    assert!(!is_running(qemu), "QEMU (pid {qemu}) is still running");
    let scratch = modules::scratch_path(pid);
    assert!(!scratch.exists(), "{} was left behind", scratch.display());
}

/// Starts the example as a shell starts a job in a terminal, in a process group of
/// its own, waits until `program` runs as its child (and, for `make`, has started
/// processes of its own), then does what Ctrl-C does: SIGINT to the whole group. The
/// example must stop `program` and everything it started, say so in one line, exit
/// with 130 and remove its scratch folder.
fn ctrl_c_while(program: &str) {
    let binary = example_binary();
    let child = Command::new(&binary)
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let pid = child.id();

    let started = Instant::now();
    let running = loop {
        // A `make` is caught once it has started processes of its own (sub-`make`s,
        // which used to outlive it and write into the removed scratch folder).
        let found = children_of(pid).into_iter().find(|(child, name)| {
            name.starts_with(program) && (program != "make" || !children_of(*child).is_empty())
        });
        if let Some((found, _)) = found {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{program} did not start within 120 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let group = group_of(running).expect("the child runs");
    killpg(Pid::from_raw(pid.cast_signed()), Signal::SIGINT)
        .expect("SIGINT to the example's group");

    let (code, stderr) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(130), "stderr:\n{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(
        stderr.contains(&format!("interrupted by a signal: stopped `{program}")),
        "{stderr}"
    );
    // Gone when the example exits: it waited for every one of them.
    let alive = alive_in_group(group);
    assert!(
        alive.is_empty(),
        "{program}'s process group lives on: {alive:?}"
    );
    let scratch = modules::scratch_path(pid);
    assert!(!scratch.exists(), "{} was left behind", scratch.display());
    // Nothing comes back later either, as a killed `make`'s orphans used to recreate it.
    std::thread::sleep(Duration::from_secs(1));
    assert!(!scratch.exists(), "{} came back", scratch.display());
}

#[test]
fn ctrl_c_during_the_module_build_stops_every_make_and_removes_the_scratch_folder() {
    if !prerequisites_present("Ctrl-C during make test") {
        return;
    }
    ctrl_c_while("make");
}

#[test]
fn ctrl_c_while_qemu_boots_stops_qemu_and_removes_the_scratch_folder() {
    if !prerequisites_present("Ctrl-C during QEMU test") {
        return;
    }
    ctrl_c_while("qemu-system");
}

#[test]
fn a_failing_module_build_leaves_no_scratch_folder() {
    if !prerequisites_present("failing-build test") {
        return;
    }
    let binary = example_binary();
    // A `make` that fails, first on PATH; everything else is the real thing.
    let fake_bin = std::env::temp_dir().join(format!("failing-make-{}", std::process::id()));
    fs::create_dir_all(&fake_bin).expect("a scratch folder");
    let make = fake_bin.join("make");
    fs::write(
        &make,
        "#!/bin/sh\necho 'make: *** [Makefile] Error 2' >&2\nexit 2\n",
    )
    .expect("write the fake make");
    Command::new("chmod")
        .arg("+x")
        .arg(&make)
        .status()
        .expect("chmod");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![fake_bin.clone()];
    dirs.extend(std::env::split_paths(&path));

    let child = Command::new(&binary)
        .env("PATH", std::env::join_paths(dirs).expect("a PATH"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let pid = child.id();
    let (code, stderr) = finish(child, Duration::from_secs(120));
    fs::remove_dir_all(&fake_bin).expect("remove the fake make");

    assert_eq!(code, Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.starts_with("error: building the modules: `make"),
        "{stderr}"
    );
    let scratch = modules::scratch_path(pid);
    assert!(!scratch.exists(), "{} was left behind", scratch.display());
}

#[test]
fn without_qemu_the_example_says_what_is_missing_in_one_line() {
    // Runs before any build, so it needs no cached kernel: the check comes first.
    let binary = built_example();
    // A PATH with every program the example checks before QEMU, and no QEMU.
    let bin = std::env::temp_dir().join(format!("no-qemu-{}", std::process::id()));
    fs::create_dir_all(&bin).expect("a scratch folder");
    for program in ["rustc", "gcc", "make", "flex", "bison", "bc", "xz"] {
        if let Some(found) = which(program) {
            std::os::unix::fs::symlink(found, bin.join(program)).expect("a symlink");
        }
    }
    let output = Command::new(&binary)
        .env("PATH", &bin)
        .output()
        .expect("the example runs");
    fs::remove_dir_all(&bin).expect("remove the scratch folder");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.contains("qemu-system-x86_64 is missing") && std::env::var_os("CI").is_none() {
        // This machine lacks something that comes earlier in the check.
        eprintln!("\n!!!!! no-QEMU test NOT RUN: {stderr} !!!!!\n");
        return;
    }
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(
        stderr.contains(
            "qemu-system-x86_64 is missing: install the Debian package `qemu-system-x86`"
        ),
        "{stderr}"
    );
}

/// Where `program` is on this test's PATH.
fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
