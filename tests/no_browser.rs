//! Without Chromium, the browser test says loudly that the rendered book was not
//! tested, instead of passing in silence (and in CI it fails). The test hides Chromium
//! by running the browser test in a mount namespace with an empty /usr/bin
//! (`unshare`, which needs root; CI runs as root, elsewhere this test is skipped
//! loudly).

mod common;

use std::process::Command;

use common::repo_root;

/// The compiled browser test, as Cargo reports it.
fn browser_test_binary() -> String {
    let output = Command::new(env!("CARGO"))
        // Without `--package`, so that the dependencies' features are those of the
        // whole workspace, as `cargo test --workspace` built them.
        .args(["test", "--quiet", "--test", "browser"])
        .args(["--no-run", "--message-format", "json"])
        .current_dir(repo_root())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "the browser test builds");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "browser")
        .find_map(|message| message["executable"].as_str().map(str::to_owned))
        .expect("cargo names the browser test's executable")
}

#[test]
fn without_chromium_the_browser_test_says_it_did_not_run() {
    let can_hide = Command::new("unshare")
        .args(["--mount", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !can_hide {
        let message = "no-Chromium test NOT RUN: `unshare --mount` needs root";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n!!!!! {message} !!!!!\n");
        return;
    }
    let binary = browser_test_binary();
    let output = Command::new("unshare")
        .args(["--mount", "bash", "-c", "mount -t tmpfs tmpfs /usr/bin && exec \"$0\" --exact the_rendered_book_works_in_chromium --nocapture"])
        .arg(&binary)
        .env_remove("CI")
        .output()
        .expect("unshare runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "SKIPPED: the rendered book was NOT tested in a browser: \
             /usr/bin/chromium and /usr/bin/chromedriver not installed"
        ),
        "{stderr}"
    );
}
