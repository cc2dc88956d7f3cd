//! Reading by keyboard: a bare Left or Right arrow moves through the page, as the
//! browser and a screen reader make it, and turns the page only while the focus is on
//! the previous or next chapter's link (`src/assets/a11y.js`; mdBook issue #518).

use std::time::{Duration, Instant};

use anyhow::Result;
use fantoccini::key::Key;

use crate::harness::Browser;

const PAGE: &str = "memory-safety/index.html";

pub async fn check_arrow_keys(browser: &Browser, base: &str) -> Result<Vec<String>> {
    let client = &browser.client;
    let mut problems = Vec::new();
    let right = char::from(Key::Right).to_string();

    // The focus in the text, where a reader moves by character or word.
    client.goto(&format!("{base}{PAGE}")).await?;
    client
        .execute(
            "const p = document.querySelector('main p'); \
             p.setAttribute('tabindex', '-1'); p.focus();",
            vec![],
        )
        .await?;
    client.active_element().await?.send_keys(&right).await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let url = client.current_url().await?;
    if !url.as_str().ends_with(PAGE) {
        problems.push(format!(
            "keyboard: a bare Right arrow in the text turned the page (now at {url})"
        ));
        return Ok(problems);
    }

    // The focus on the next chapter's link, the one shown at this width (mdBook has one
    // beside the page and one under it for narrow screens): the arrow turns the page.
    let focused = client
        .execute(
            "const link = [...document.querySelectorAll('.nav-chapters.next, \
             .mobile-nav-chapters.next')].find((l) => l.offsetParent !== null); \
             link?.focus(); return link !== undefined && document.activeElement === link;",
            vec![],
        )
        .await?;
    if focused != serde_json::Value::Bool(true) {
        problems.push("keyboard: no next chapter's link could take the focus".to_owned());
        return Ok(problems);
    }
    client.active_element().await?.send_keys(&right).await?;
    let started = Instant::now();
    loop {
        let url = client.current_url().await?;
        if !url.as_str().ends_with(PAGE) {
            break;
        }
        if started.elapsed() > Duration::from_secs(5) {
            problems.push(
                "keyboard: the Right arrow on the next chapter's link did not turn the page"
                    .to_owned(),
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(problems)
}
