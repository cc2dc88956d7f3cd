//! `cargo xtask serve` serves the pages before the live demos are built, and leaves a
//! file `pkg/BUILDING` beside each demo until its module is there. A page whose demo
//! does not load must then say the demo is being built, and otherwise that it failed.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::demo_page::STATUS;
use crate::harness::Browser;

const PAGE: &str = "webassembly/index.html";

pub async fn check_building_placeholder(
    browser: &Browser,
    base: &str,
    html: &Path,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let marker = html.join("webassembly/pkg/BUILDING");
    browser
        .devtools("Network.enable", serde_json::json!({}))
        .await?;
    // The module's JavaScript does not arrive, as when it is not built yet.
    let blocked = serde_json::json!({ "urls": ["*wasm_image.js"] });
    browser.devtools("Network.setBlockedURLs", blocked).await?;
    for (marker_present, wanted) in [(true, "building"), (false, "failed")] {
        if marker_present {
            std::fs::write(&marker, "cargo xtask serve is building this demo\n")?;
        } else {
            std::fs::remove_file(&marker)?;
        }
        browser.client.goto(&format!("{base}{PAGE}")).await?;
        let state = wait_for_state(browser, wanted).await?;
        if state != wanted {
            problems.push(format!(
                "demo without its module, BUILDING {}: the status is {state:?}, not {wanted:?}",
                if marker_present { "present" } else { "absent" }
            ));
        }
    }
    let _ = std::fs::remove_file(&marker);
    let unblocked = serde_json::json!({ "urls": [] });
    browser
        .devtools("Network.setBlockedURLs", unblocked)
        .await?;
    // The blocked script is a console error by design, not one of the page's.
    browser.console_errors().await?;
    browser.requested_urls().await?;
    Ok(problems)
}

/// The status line's state once it is `wanted`, or whatever it is after ten seconds.
async fn wait_for_state(browser: &Browser, wanted: &str) -> Result<String> {
    let started = Instant::now();
    loop {
        let state = browser.dataset(STATUS, "state").await?;
        if state == wanted || started.elapsed() > Duration::from_secs(10) {
            return Ok(state);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
