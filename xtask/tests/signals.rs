//! A task stopped by a signal stops everything it started, and says so with the
//! shell's exit code for that signal.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Waits up to ten seconds for `done`.
fn eventually(done: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > Duration::from_secs(10) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

fn running(pid: &str) -> bool {
    // A zombie has stopped running; it only waits for its parent to reap it.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "))
}

fn stop_a_task_with(signal: &str, expected_code: i32) {
    let scratch =
        std::env::temp_dir().join(format!("xtask-signals-{signal}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("xtask")).unwrap();
    // A book whose `cargo` starts a long command and records its process id: `cargo
    // xtask ci fmt` runs `cargo fmt`, which here never ends by itself.
    std::fs::write(scratch.join("xtask/Cargo.toml"), "").unwrap();
    let pid_file = scratch.join("grandchild.pid");
    let mask_file = scratch.join("signal-mask");
    let fake_cargo = scratch.join("cargo");
    // Python, not a shell: dash and bash clear the signal mask when they start, which
    // would hide a mask inherited from xtask.
    std::fs::write(
        &fake_cargo,
        format!(
            "#!/usr/bin/env python3\n\
             import subprocess\n\
             status = open('/proc/self/status').read()\n\
             mask = [line for line in status.splitlines() if line.startswith('SigBlk')][0]\n\
             open({mask:?}, 'w').write(mask)\n\
             sleep = subprocess.Popen(['sleep', '300'])\n\
             open({pid:?}, 'w').write(str(sleep.pid))\n\
             sleep.wait()\n",
            mask = mask_file.display().to_string(),
            pid = pid_file.display().to_string(),
        ),
    )
    .unwrap();
    make_executable(&fake_cargo);

    let mut xtask = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["ci", "fmt"])
        .env("CARGO_MANIFEST_DIR", scratch.join("xtask"))
        .env("CARGO", &fake_cargo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        eventually(|| std::fs::read_to_string(&pid_file).is_ok_and(|pid| !pid.trim().is_empty())),
        "the task's command never started"
    );
    let grandchild = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_owned();
    // xtask blocks the signals for its own signal thread; what it starts must not
    // inherit that, or signals sent to it would never arrive.
    let mask = std::fs::read_to_string(&mask_file).unwrap();
    assert_eq!(
        mask.trim(),
        "SigBlk:\t0000000000000000",
        "the command started with signals blocked"
    );
    assert!(running(&grandchild));

    let status = Command::new("kill")
        .args([&format!("-{signal}"), &xtask.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output_status = xtask.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut xtask.stderr.take().unwrap(), &mut stderr).unwrap();

    assert_eq!(output_status.code(), Some(expected_code), "{stderr}");
    assert!(stderr.contains("xtask: stopped by"), "{stderr}");
    assert!(
        eventually(|| !running(&grandchild)),
        "the command xtask started still runs after xtask was stopped"
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn sigterm_stops_the_task_and_what_it_started_with_exit_143() {
    stop_a_task_with("TERM", 143);
}

#[test]
fn ctrl_c_stops_the_task_and_what_it_started_with_exit_130() {
    stop_a_task_with("INT", 130);
}
