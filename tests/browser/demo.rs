//! The WebAssembly chapter's live demo: the filters give the same pixels in the page
//! as natively, bad input raises a JavaScript error, and the benchmark behind the
//! chapter's table.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use fantoccini::Locator;
use serde_json::{Value, json};
use wasm_image::filters::{self, Image};

use crate::demo_page::{self, state};
use crate::harness::Browser;

const PAGE: &str = "webassembly/index.html";
type Filter = fn(&mut Image);
const FILTERS: [(&str, Filter); 3] = [
    ("grayscale", filters::grayscale),
    ("box_blur", filters::box_blur),
    ("sobel", filters::sobel),
];

/// The canvas as `[width, height, base64 of the RGBA bytes]`; the argument is the
/// canvas's selector.
const READ_CANVAS: &str = r##"
    const canvas = document.querySelector(arguments[0]);
    const bytes = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return [canvas.width, canvas.height, btoa(text)];
"##;

/// Calls an export with a 3-byte buffer for a 1×1 image, as a careless page would.
const BAD_INPUT: &str = r#"
    const done = arguments[arguments.length - 1];
    import("./pkg/wasm_image.js").then((wasm) => {
        try { wasm.grayscale(new Uint8ClampedArray(3), 1, 1); done("no error"); }
        catch (error) { done(`${error.constructor.name}: ${error.message}`); }
    });
"#;

pub async fn check_demo(browser: &Browser, base: &str) -> Result<Vec<String>> {
    let client = &browser.client;
    client.goto(&format!("{base}{PAGE}")).await?;
    wait_for_state(browser, state::READY).await?;
    let mut problems = Vec::new();
    // An image file the book ships, then the drawn test picture (the page starts with
    // it, so choosing it first would change nothing).
    for picture in ["diagram", "test"] {
        clear_state(browser).await?;
        client
            .find(Locator::Css(demo_page::PICTURE))
            .await?
            .select_by_value(picture)
            .await?;
        wait_for_state(browser, state::LOADED).await?;
        problems.extend(check_filters(browser, picture).await?);
    }

    let refused = client.execute_async(BAD_INPUT, vec![]).await?;
    let expected = "Error: a 1×1 RGBA image has 4 bytes, but the buffer has 3";
    if refused != expected {
        problems.push(format!(
            "demo, bad input: expected {expected:?}, got {refused}"
        ));
    }

    // The benchmark button, on a small picture so that the test stays quick.
    let results = run_benchmark(browser, 64, 1).await?;
    if results.len() != FILTERS.len() {
        problems.push(format!("demo, benchmark: unexpected results {results:?}"));
    }
    for error in browser.console_errors().await? {
        problems.push(format!("demo: console error: {error}"));
    }
    Ok(problems)
}

/// Applies each filter in the page and compares the canvas with the native filter.
async fn check_filters(browser: &Browser, picture: &str) -> Result<Vec<String>> {
    let client = &browser.client;
    let original = read_canvas(browser).await?;
    let mut problems = Vec::new();
    for (name, native_filter) in FILTERS {
        client
            .find(Locator::Css(demo_page::FILTER))
            .await?
            .select_by_value(name)
            .await?;
        clear_state(browser).await?;
        client
            .find(Locator::Css(demo_page::RUN))
            .await?
            .click()
            .await?;
        let status = wait_for_state(browser, state::FILTERED).await?;
        let filtered = status_data(browser, "filter").await?;
        let identical = status_data(browser, "identical").await?;
        if filtered != name {
            problems.push(format!("demo, {picture}: ran {filtered} instead of {name}"));
        }
        if identical != "true" {
            problems.push(format!(
                "demo, {picture}, {name}: JavaScript and WebAssembly differ: {status}"
            ));
        }
        let (width, height, mut expected) = original.clone();
        native_filter(&mut Image::new(&mut expected, width, height)?);
        if read_canvas(browser).await?.2 != expected {
            problems.push(format!(
                "demo, {picture}, {name}: the canvas differs from the native filter"
            ));
        }
    }
    Ok(problems)
}

/// The table in the WebAssembly chapter: JavaScript and WebAssembly in Chromium,
/// and the same filters natively for reference, on the same picture.
pub async fn benchmark(browser: &Browser, base: &str) -> Result<String> {
    const SIDE: u32 = 2048;
    const RUNS: usize = 15;
    browser.client.goto(&format!("{base}{PAGE}")).await?;
    wait_for_state(browser, state::READY).await?;
    let in_browser = run_benchmark(browser, SIDE, RUNS).await?;
    let mut table = String::from(
        "| Filter | Native Rust | WebAssembly, in place | WebAssembly, copying | JavaScript \
         | In place ÷ native | JavaScript ÷ in place |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for ((name, filter), result) in FILTERS.into_iter().zip(&in_browser) {
        let native = native_median_ms(filter, SIDE, RUNS)?;
        let milliseconds = |key: &str| {
            result[key]
                .as_f64()
                .with_context(|| format!("{key} in {result}"))
        };
        let (in_place, copying, js) = (
            milliseconds("inPlaceMs")?,
            milliseconds("wasmMs")?,
            milliseconds("jsMs")?,
        );
        writeln!(
            table,
            "| `{name}` | {native:.1} ms | {in_place:.1} ms | {copying:.1} ms | {js:.1} ms | {:.2}× | {:.2}× |",
            in_place / native,
            js / in_place
        )?;
    }
    // `cargo xtask bench-report wasm-image` passes the date and the machine.
    let context = |name: &str| std::env::var(name).unwrap_or_else(|_| "unknown".to_owned());
    writeln!(
        table,
        "\n*{SIDE}×{SIDE} pixels, median of {RUNS} runs after one warm-up. Measured on {} \
         with `cargo xtask bench-report wasm-image`: {}.*",
        context("BENCH_DATE"),
        context("BENCH_CONTEXT"),
    )?;
    Ok(table)
}

/// Clicks the demo's benchmark button and reads the results it leaves on the page.
async fn run_benchmark(browser: &Browser, side: u32, runs: usize) -> Result<Vec<Value>> {
    let start = json!({ "side": side, "runs": runs });
    browser
        .client
        .execute(
            "document.querySelector(arguments[0]).dataset.options = arguments[1];",
            vec![
                demo_page::BENCHMARK.into(),
                Value::String(start.to_string()),
            ],
        )
        .await?;
    browser
        .client
        .find(Locator::Css(demo_page::BENCHMARK))
        .await?
        .click()
        .await?;
    let results = wait_for(browser, Duration::from_secs(300), || async {
        let value = browser
            .client
            .execute(
                "return document.querySelector(arguments[0]).dataset.benchmark || null;",
                vec![demo_page::ROOT.into()],
            )
            .await?;
        Ok(value.as_str().map(str::to_owned))
    })
    .await?;
    Ok(serde_json::from_str::<Value>(&results)?
        .as_array()
        .cloned()
        .unwrap_or_default())
}

fn native_median_ms(filter: Filter, side: u32, runs: usize) -> Result<f64> {
    let original = filters::test_picture(side, side);
    let mut times = Vec::new();
    for run in 0..=runs {
        let mut pixels = original.clone();
        let start = Instant::now();
        filter(&mut Image::new(&mut pixels, side, side)?);
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        std::hint::black_box(&pixels);
        if run > 0 {
            times.push(elapsed);
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

async fn read_canvas(browser: &Browser) -> Result<(u32, u32, Vec<u8>)> {
    let value = browser
        .client
        .execute(READ_CANVAS, vec![demo_page::CANVAS.into()])
        .await?;
    let (Some(width), Some(height), Some(pixels)) =
        (value[0].as_u64(), value[1].as_u64(), value[2].as_str())
    else {
        bail!("unexpected canvas readout {value}");
    };
    let pixels = base64::engine::general_purpose::STANDARD.decode(pixels)?;
    Ok((u32::try_from(width)?, u32::try_from(height)?, pixels))
}

/// Waits until the status line reports `wanted` in `data-state`; returns its text.
async fn wait_for_state(browser: &Browser, wanted: &str) -> Result<String> {
    wait_for(browser, Duration::from_secs(20), || async {
        let current = status_data(browser, "state").await?;
        if current != wanted {
            return Ok(None);
        }
        let status = browser.client.find(Locator::Css(demo_page::STATUS)).await?;
        Ok(Some(status.text().await?))
    })
    .await
}

/// A `data-` attribute of the status line ("" when it is not set).
async fn status_data(browser: &Browser, key: &str) -> Result<String> {
    browser.dataset(demo_page::STATUS, key).await
}

/// Forgets the last state, so that waiting for a state sees the next one.
async fn clear_state(browser: &Browser) -> Result<()> {
    browser
        .client
        .execute(
            "delete document.querySelector(arguments[0]).dataset.state;",
            vec![demo_page::STATUS.into()],
        )
        .await?;
    Ok(())
}

/// Polls `check` until it returns something, or fails after `limit`.
async fn wait_for<T, F, Fut>(browser: &Browser, limit: Duration, check: F) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let errors = browser.console_errors().await.unwrap_or_default();
    bail!("timed out after {limit:?} waiting on the demo; console errors: {errors:?}")
}
