//! The game engines chapter's live demo: the Bevy engine compiled to WebAssembly,
//! drawing with WebGL2 in the page. Nothing of it loads before Start; a browser
//! without WebGL2 and a download that fails get words, not a blank canvas; once
//! started, frames advance, the canvas shows particles, Space pauses the simulation
//! (frames go on, ticks stop), a click adds a burst, R starts again and Tab leaves the
//! game. The download stays under its budget.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use fantoccini::key::Key;

use crate::harness::Browser;

const PAGE: &str = "game-engines/index.html";

/// The demo as the tests see it: the selectors, and the `data-*` attributes that
/// `src/game-engines/demo.js` writes on the status line.
mod page {
    pub const START: &str = "#bevy-demo .demo-start";
    pub const CANVAS: &str = "#bevy-canvas";
    pub const STATUS: &str = "#bevy-demo .demo-status";
    /// `data-state`: idle, unsupported, loading, failed, running or paused.
    pub const STATE: &str = "state";
    /// Frames drawn, simulation ticks and particles, as numbers.
    pub const FRAMES: &str = "frames";
    pub const TICKS: &str = "ticks";
    pub const PARTICLES: &str = "particles";
    /// The module the page loads on Start, and what its download may weigh, gzipped.
    pub const MODULE: &str = "game-engines/pkg/bevy_particles_bg.wasm";
}

/// What the engine's module may weigh gzipped (as a server sends it): a little above
/// what it measures, 5.97 MB (`examples/bevy-particles/results/wasm-size.md`), so that
/// growth is noticed.
const GZIPPED_BUDGET: u64 = 6_500_000;
/// Particles at the start, and a burst: `INITIAL_PARTICLES` and the click in
/// `examples/bevy-particles/src/lib.rs`.
const INITIAL_PARTICLES: u64 = 300;
const BURST: u64 = 40;

pub async fn check_game(
    browser: &Browser,
    base: &str,
    html: &std::path::Path,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let client = &browser.client;

    // Without WebGL2 (made to look so in this page), Start says so in words.
    client.goto(&format!("{base}{PAGE}")).await?;
    client
        .execute(
            r#"const real = HTMLCanvasElement.prototype.getContext;
               HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
                 return kind === "webgl2" ? null : real.call(this, kind, ...rest);
               };"#,
            vec![],
        )
        .await?;
    client
        .find(Locator::Css(page::START))
        .await?
        .click()
        .await?;
    let said = wait_for_state(browser, "unsupported", Duration::from_secs(5)).await?;
    if !said.contains("WebGL2") {
        problems.push(format!("game demo without WebGL2 says {said:?}"));
    }

    // A module that does not arrive (a broken server, a dropped connection): Start
    // says the engine did not load.
    client.goto(&format!("{base}{PAGE}")).await?;
    let blocked = serde_json::json!({ "urls": ["*bevy_particles_bg.wasm"] });
    browser
        .devtools("Network.enable", serde_json::json!({}))
        .await?;
    browser.devtools("Network.setBlockedURLs", blocked).await?;
    client
        .find(Locator::Css(page::START))
        .await?
        .click()
        .await?;
    let said = wait_for_state(browser, "failed", Duration::from_secs(20)).await;
    let unblocked = serde_json::json!({ "urls": [] });
    browser
        .devtools("Network.setBlockedURLs", unblocked)
        .await?;
    if !said?.contains("did not load") {
        problems.push("game demo: a failed download is not reported".into());
    }
    // The blocked request is a console error by design; it is not one of the page's.
    browser.console_errors().await?;
    browser.requested_urls().await?;

    // A fresh visit loads nothing of the engine until Start.
    client.goto(&format!("{base}{PAGE}")).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if browser
        .requested_urls()
        .await?
        .iter()
        .any(|url| url.contains("/pkg/bevy_particles"))
    {
        problems.push("game demo: the engine loaded before Start".into());
    }

    client
        .find(Locator::Css(page::START))
        .await?
        .click()
        .await?;
    wait_for_state(browser, "running", Duration::from_secs(120)).await?;
    let started = wait_for_number(browser, page::FRAMES, 30).await?;
    wait_for_number(browser, page::TICKS, 30).await?;
    problems.extend(check_not_blank(browser).await?);

    // Space pauses the simulation; frames go on, ticks stand still.
    let canvas = client.find(Locator::Css(page::CANVAS)).await?;
    canvas.send_keys(" ").await?;
    wait_for_state(browser, "paused", Duration::from_secs(5)).await?;
    let ticks = number(browser, page::TICKS).await?;
    let frames = number(browser, page::FRAMES).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    if number(browser, page::TICKS).await? != ticks {
        problems.push("game demo: the simulation ticked while paused".into());
    }
    if number(browser, page::FRAMES).await? <= frames {
        problems.push("game demo: no frames drawn while paused".into());
    }

    // Paused, nothing spawns or expires: a click adds exactly one burst, R starts
    // again with the initial particles.
    let before = number(browser, page::PARTICLES).await?;
    canvas.click().await?;
    if let Err(error) = wait_for_number_eq(browser, page::PARTICLES, before + BURST).await {
        problems.push(format!("game demo: a click added no burst: {error:#}"));
    }
    canvas.send_keys("r").await?;
    if let Err(error) = wait_for_number_eq(browser, page::PARTICLES, INITIAL_PARTICLES).await {
        problems.push(format!("game demo: R did not start again: {error:#}"));
    }
    canvas.send_keys(" ").await?;
    wait_for_state(browser, "running", Duration::from_secs(5)).await?;
    wait_for_number(browser, page::TICKS, ticks + 10).await?;

    // Tab leaves the game: no keyboard trap.
    canvas.send_keys(&char::from(Key::Tab).to_string()).await?;
    let focused_canvas = client
        .execute(
            "return document.activeElement === document.querySelector(arguments[0]);",
            vec![page::CANVAS.into()],
        )
        .await?;
    if focused_canvas == true {
        problems.push("game demo: Tab does not leave the canvas".into());
    }
    if number(browser, page::FRAMES).await? <= started {
        problems.push("game demo: frames stopped advancing".into());
    }

    for error in browser.console_errors().await? {
        problems.push(format!("game demo: console error: {error}"));
    }
    for url in browser.requested_urls().await? {
        if !url.starts_with(base) && !url.starts_with("data:") && !url.starts_with("blob:") {
            problems.push(format!("game demo: request outside localhost: {url}"));
        }
    }
    problems.extend(check_download(html)?);
    Ok(problems)
}

/// The canvas as the reader sees it (a screenshot of the element) shows particles:
/// the background and arena are dark, the particles light blue or orange.
async fn check_not_blank(browser: &Browser) -> Result<Vec<String>> {
    let canvas = browser.client.find(Locator::Css(page::CANVAS)).await?;
    let png = canvas.screenshot().await?;
    let pixels = image::load_from_memory(&png)
        .context("decoding the canvas screenshot")?
        .to_rgba8();
    let bright = pixels
        .pixels()
        .filter(|pixel| pixel.0[..3].iter().any(|channel| *channel > 150))
        .count();
    // 300 particles of 3×3 pixels, many overlapping or hidden behind others.
    if bright < 500 {
        return Ok(vec![format!(
            "game demo: the canvas shows {bright} bright pixels, expected particles"
        )]);
    }
    Ok(Vec::new())
}

/// The module's download, gzipped, against the budget.
fn check_download(html: &std::path::Path) -> Result<Vec<String>> {
    let module = html.join(page::MODULE);
    let output = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&module)
        .output()
        .context("running gzip")?;
    if !output.status.success() {
        bail!("gzip could not read {}", module.display());
    }
    let gzipped = output.stdout.len() as u64;
    if gzipped > GZIPPED_BUDGET {
        return Ok(vec![format!(
            "game demo: the engine's module is {gzipped} bytes gzipped, over its \
             {GZIPPED_BUDGET}-byte budget"
        )]);
    }
    Ok(Vec::new())
}

/// Waits until `data-state` is `wanted`; returns the status line's text.
async fn wait_for_state(browser: &Browser, wanted: &str, limit: Duration) -> Result<String> {
    let start = Instant::now();
    loop {
        if data(browser, page::STATE).await? == wanted {
            let status = browser.client.find(Locator::Css(page::STATUS)).await?;
            return Ok(status.text().await?);
        }
        if start.elapsed() > limit {
            let now = data(browser, page::STATE).await?;
            let errors = browser.console_errors().await.unwrap_or_default();
            bail!(
                "game demo: waited {limit:?} for the state {wanted:?}, it is {now:?}; \
                 console errors: {errors:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until a counter reaches at least `at_least`; returns its value.
async fn wait_for_number(browser: &Browser, key: &str, at_least: u64) -> Result<u64> {
    let start = Instant::now();
    loop {
        let value = number(browser, key).await?;
        if value >= at_least {
            return Ok(value);
        }
        if start.elapsed() > Duration::from_secs(30) {
            bail!("game demo: {key} stayed at {value}, below {at_least}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until a counter is exactly `wanted`.
async fn wait_for_number_eq(browser: &Browser, key: &str, wanted: u64) -> Result<()> {
    let start = Instant::now();
    loop {
        let value = number(browser, key).await?;
        if value == wanted {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(5) {
            bail!("{key} is {value}, expected {wanted}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn number(browser: &Browser, key: &str) -> Result<u64> {
    let text = data(browser, key).await?;
    Ok(text.parse().unwrap_or(0))
}

/// A `data-` attribute of the status line ("" when it is not set).
async fn data(browser: &Browser, key: &str) -> Result<String> {
    browser.dataset(page::STATUS, key).await
}

/// Starts the engine in the page with `particles` that stay constant (the `steady`
/// setting of the native benchmark), lets it warm up for a second, then counts the
/// frames it draws in five. The engine updates in the page's animation-frame
/// callbacks, so timing those callbacks measures the engine's own code per frame,
/// apart from the browser's work. Returns `[frames, milliseconds, median callback ms]`.
const MEASURE: &str = r##"
    const [particles, done] = [arguments[0], arguments[arguments.length - 1]];
    (async () => {
        const callbackMs = [];
        const requestFrame = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (callback) => requestFrame((time) => {
            const start = performance.now();
            callback(time);
            callbackMs.push(performance.now() - start);
        });
        const engine = await import("./pkg/bevy_particles.js");
        await engine.default();
        document.querySelector("#bevy-canvas").hidden = false;
        engine.start("#bevy-canvas", particles, true);
        const frames = () => { const p = engine.progress(); const n = p.frames; p.free(); return n; };
        const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));
        while (frames() < 10) await sleep(50);
        await sleep(1000);
        const [firstFrame, firstTime] = [frames(), performance.now()];
        callbackMs.length = 0;
        await sleep(5000);
        const [lastFrame, lastTime] = [frames(), performance.now()];
        callbackMs.sort((a, b) => a - b);
        done([lastFrame - firstFrame, lastTime - firstTime, callbackMs[callbackMs.length >> 1]]);
    })().catch((error) => done(String(error)));
"##;

/// The page's side of the chapter's frame-time table: for each particle count, a fresh
/// page (a page runs one engine), frames per second and the mean time between frames.
pub async fn benchmark(browser: &Browser, base: &str, counts: &[u64]) -> Result<serde_json::Value> {
    let mut rows = Vec::new();
    for &particles in counts {
        browser.client.goto(&format!("{base}{PAGE}")).await?;
        let measured = browser
            .client
            .execute_async(MEASURE, vec![particles.into()])
            .await?;
        let (Some(frames), Some(ms), Some(engine_ms)) = (
            measured[0].as_f64(),
            measured[1].as_f64(),
            measured[2].as_f64(),
        ) else {
            bail!("the game benchmark failed in the page: {measured}");
        };
        rows.push(serde_json::json!({
            "particles": particles,
            "frames_per_second": frames / ms * 1000.0,
            "frame_interval_ms": ms / frames,
            "engine_ms": engine_ms,
        }));
    }
    let errors = browser.console_errors().await?;
    if !errors.is_empty() {
        bail!("console errors during the game benchmark: {errors:?}");
    }
    Ok(rows.into())
}
