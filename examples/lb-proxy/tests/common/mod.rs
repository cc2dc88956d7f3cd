//! What the proxy tests share: the example run as a child process in `proxy` mode, in
//! front of upstreams the test starts, on free ports of 127.0.0.1.
#![allow(dead_code)] // each test file uses a different part

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use lb_proxy::client::{self, free_address, wait_until_listening};
use lb_proxy::upstream::Upstream;

/// The proxy as a child process, stopped with SIGINT (Ctrl-C) when dropped.
pub struct Proxy {
    pub child: Child,
    pub address: SocketAddr,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// The example's binary, built once per test run: while Cargo compiles, another test's
/// upstream could take a port picked for a proxy, which would then fail to bind it.
pub fn example() -> Command {
    static BINARY: OnceLock<std::path::PathBuf> = OnceLock::new();
    let binary = BINARY.get_or_init(|| {
        let built = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "lb-proxy"])
            // From the root without `--package`, to reuse the workspace's build (Cargo.toml).
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .status()
            .expect("cargo runs");
        assert!(built.success(), "the example builds");
        let test = std::env::current_exe().expect("the test knows its path");
        let profile_dir = test
            .parent()
            .and_then(std::path::Path::parent)
            .expect("tests live in target/PROFILE/deps");
        profile_dir.join("examples/lb-proxy")
    });
    Command::new(binary)
}

pub fn start_proxy(upstreams: &[SocketAddr]) -> Proxy {
    start_proxy_with_stderr(upstreams, Stdio::inherit())
}

/// Like [`start_proxy`], with the proxy's standard error (one line for each request that
/// ends in an error) sent to `stderr`: `Stdio::piped()` lets a test read it.
pub fn start_proxy_with_stderr(upstreams: &[SocketAddr], stderr: Stdio) -> Proxy {
    start_proxy_with(upstreams, &[], stderr)
}

/// Like [`start_proxy_with_stderr`], with more arguments for the proxy, such as
/// `--health-every 1h`.
pub fn start_proxy_with(upstreams: &[SocketAddr], arguments: &[&str], stderr: Stdio) -> Proxy {
    let address = free_address().expect("a free port");
    let mut command = example();
    command.args(["proxy", "--listen", &address.to_string()]);
    command.args(arguments);
    for upstream in upstreams {
        command.args(["--upstream", &upstream.to_string()]);
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the proxy starts");
    let proxy = Proxy { child, address };
    wait_until_listening(address, Duration::from_secs(60)).expect("the proxy listens");
    proxy
}

/// The addresses of running upstreams.
pub fn addresses(upstreams: &[&Upstream]) -> Vec<SocketAddr> {
    upstreams.iter().map(|upstream| upstream.address).collect()
}

/// Which upstream answered a GET through the proxy, or why there is no answer.
pub fn answered_by(proxy: &Proxy) -> Result<String, String> {
    let response = client::get(proxy.address, "/").map_err(|error| error.to_string())?;
    if response.status != 200 {
        return Err(format!("HTTP {}", response.status));
    }
    Ok(response.body.lines().next().unwrap_or_default().to_owned())
}
