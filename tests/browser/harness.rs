//! What the browser tests stand on: the built book on a local HTTP server that
//! records every request, and headless Chromium driven through chromedriver.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// Debian's packages (`cargo xtask setup` installs them); never a downloaded browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A path the server was asked for, and the status it answered with.
pub type Served = Arc<Mutex<Vec<(String, u16)>>>;

/// Serves `dir` on a free localhost port until the test process ends.
pub async fn serve(dir: PathBuf) -> Result<(SocketAddr, Served)> {
    let served = Served::default();
    let app = axum::Router::new()
        .fallback_service(tower_http::services::ServeDir::new(dir))
        .layer(middleware::from_fn_with_state(served.clone(), record));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((address, served))
}

async fn record(State(served): State<Served>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    served
        .lock()
        .expect("no test panicked while holding the log")
        .push((path, response.status().as_u16()));
    response
}

/// chromedriver and the Chromium session it started; both stop on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start() -> Result<Self> {
        let port = free_port()?;
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {CHROMEDRIVER}"))?;
        let url = format!("http://127.0.0.1:{port}");
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": chromium_arguments() }),
        );
        // The browser log holds console errors; the performance log every network
        // request, so a request that leaves localhost cannot hide.
        capabilities.insert(
            "goog:loggingPrefs".into(),
            json!({ "browser": "ALL", "performance": "ALL" }),
        );
        let mut last_error = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let browser = Self { client, driver };
                    // Load every page as a first visit, so its weight is all it loads.
                    browser
                        .client
                        .issue_cmd(DevTools(
                            "Network.setCacheDisabled",
                            json!({ "cacheDisabled": true }),
                        ))
                        .await?;
                    return Ok(browser);
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = driver.kill();
        bail!("chromedriver did not start a session: {last_error:?}")
    }

    /// Entries of a chromedriver log ("browser" or "performance") since the last call.
    pub async fn log(&self, kind: &'static str) -> Result<Vec<Value>> {
        let entries = self.client.issue_cmd(ReadLog(kind)).await?;
        Ok(entries.as_array().cloned().unwrap_or_default())
    }

    /// Console messages at level SEVERE (errors, uncaught exceptions, failed loads).
    pub async fn console_errors(&self) -> Result<Vec<String>> {
        Ok(self
            .log("browser")
            .await?
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
            .collect())
    }

    /// Every URL the page asked for since the last call (from Chromium's network events).
    pub async fn requested_urls(&self) -> Result<Vec<String>> {
        let mut urls = Vec::new();
        for entry in self.log("performance").await? {
            let Some(message) = entry["message"].as_str() else {
                continue;
            };
            let event: Value = serde_json::from_str(message)?;
            if event["message"]["method"] == "Network.requestWillBeSent" {
                let url = &event["message"]["params"]["request"]["url"];
                urls.push(url.as_str().unwrap_or_default().to_owned());
            }
        }
        Ok(urls)
    }

    /// A `data-` attribute of the element `selector` finds ("" when it is not set).
    pub async fn dataset(&self, selector: &str, key: &str) -> Result<String> {
        let value = self
            .client
            .execute(
                "return document.querySelector(arguments[0]).dataset[arguments[1]] || '';",
                vec![selector.into(), key.into()],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Sends a Chrome DevTools Protocol command, such as `Network.setBlockedURLs`.
    pub async fn devtools(&self, method: &'static str, params: Value) -> Result<Value> {
        Ok(self.client.issue_cmd(DevTools(method, params)).await?)
    }

    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    pub async fn stop(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        Ok(closed?)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

fn chromium_arguments() -> Vec<&'static str> {
    vec![
        "--headless=new",
        // CI runs as root in a container, where Chromium's sandbox cannot start.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // Chromium's own background traffic (updates, sync, safe browsing) is not the
        // book's; without these flags it would show up as outside requests.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,900",
        // Offline on purpose: any host but localhost fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// chromedriver's `se/log` endpoint, which fantoccini has no method for.
#[derive(Debug)]
struct ReadLog(&'static str);

impl WebDriverCompatibleCommand for ReadLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": self.0 }).to_string()),
        )
    }
}

/// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools(&'static str, Value);

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.0, "params": self.1 });
        (http::Method::POST, Some(body.to_string()))
    }
}
