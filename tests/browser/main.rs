//! The rendered book as a reader gets it, in headless Chromium.
//!
//! xtask builds the book and hands it over (`BOOK_HTML`, with the pinned axe-core
//! script in `AXE_CORE_SCRIPT`); the test serves it on localhost and visits
//! every page in `SUMMARY.md` and the print page, with the network closed to every
//! host but localhost. It checks what a reader would notice: pages that fail to load,
//! console errors, requests that leave the machine, images without alt text, headings
//! that skip a level, a search that finds nothing, a broken live demo (the WebAssembly
//! filters, the Bevy game) or quiz, and what axe-core finds serious or critical for
//! accessibility (WCAG 2.2 AA, `target-size` included) in every theme the picker
//! offers. It saves screenshots, a page-weight report and an accessibility report in
//! `target/browser/` (CI keeps them).
//!
//! Run it with `cargo xtask ci tests`. Outside CI it skips, loudly, when Debian's
//! `chromium` and `chromium-driver` are missing (`cargo xtask setup` installs them) or
//! no built book was handed over.

mod accessibility;
mod building;
mod demo;
mod demo_page;
mod game;
mod harness;
mod keyboard;
mod pages;
mod quiz;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use harness::{Browser, CHROMEDRIVER, CHROMIUM};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots and reports go; CI uploads this folder.
fn artefacts() -> PathBuf {
    repo_root().join("target/browser")
}

#[test]
fn the_rendered_book_works_in_chromium() -> Result<()> {
    if !browser_installed()? {
        return Ok(());
    }
    let html = build_book()?;
    runtime()?.block_on(async {
        let (address, served) = harness::serve(html.clone()).await?;
        let base = format!("http://{address}/");
        let browser = Browser::start().await?;
        let checked = async {
            let mut problems = pages::check_every_page(&browser, &base, &html).await?;
            problems.extend(pages::check_search(&browser, &base).await?);
            problems.extend(demo::check_demo(&browser, &base).await?);
            problems.extend(game::check_game(&browser, &base, &html).await?);
            problems.extend(building::check_building_placeholder(&browser, &base, &html).await?);
            problems.extend(quiz::check_quiz(&browser, &base).await?);
            problems.extend(keyboard::check_arrow_keys(&browser, &base).await?);
            problems.extend(accessibility::check_accessibility(&browser, &base).await?);
            problems.extend(pages::failed_requests(&served));
            pages::take_screenshots(&browser, &base).await?;
            anyhow::Ok(problems)
        }
        .await;
        browser.stop().await?;
        let problems = checked?;
        if !problems.is_empty() {
            bail!("{} problems:\n{}", problems.len(), problems.join("\n"));
        }
        Ok(())
    })
}

/// `cargo xtask bench-report wasm-image` runs this: the benchmark table of the
/// WebAssembly chapter, measured in the same browser run as the page test uses.
#[test]
#[ignore = "a benchmark: run it with `cargo xtask bench-report wasm-image`"]
fn wasm_benchmark() -> Result<()> {
    if !browser_installed()? {
        bail!(
            "the benchmark needs Debian's chromium and chromium-driver, and a built book (`cargo xtask bench-report` hands it over)"
        );
    }
    let html = build_book()?;
    runtime()?.block_on(async {
        let (address, _) = harness::serve(html).await?;
        let browser = Browser::start().await?;
        let table = demo::benchmark(&browser, &format!("http://{address}/")).await;
        browser.stop().await?;
        let path = repo_root().join("examples/wasm-image/results/bench.md");
        std::fs::create_dir_all(path.parent().expect("a folder"))?;
        std::fs::write(&path, table?).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
        Ok(())
    })
}

/// `cargo xtask bench-report bevy-particles` runs this for the page's side of the game
/// engines chapter's frame-time table: it writes the measurements as JSON to the file
/// `GAME_BENCH_OUT` names, and xtask adds the native side and the context.
#[test]
#[ignore = "a benchmark: run it with `cargo xtask bench-report bevy-particles`"]
fn game_benchmark() -> Result<()> {
    if !browser_installed()? {
        bail!(
            "the benchmark needs Debian's chromium and chromium-driver, and a built book (`cargo xtask bench-report` hands it over)"
        );
    }
    let out = std::env::var("GAME_BENCH_OUT").context("GAME_BENCH_OUT names no file")?;
    let counts: Vec<u64> = std::env::var("GAME_BENCH_COUNTS")
        .context("GAME_BENCH_COUNTS names no particle counts")?
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let html = build_book()?;
    runtime()?.block_on(async {
        let (address, _) = harness::serve(html).await?;
        let browser = Browser::start().await?;
        let rows = game::benchmark(&browser, &format!("http://{address}/"), &counts).await;
        browser.stop().await?;
        std::fs::write(&out, rows?.to_string()).with_context(|| format!("writing {out}"))?;
        Ok(())
    })
}

fn browser_installed() -> Result<bool> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|program| !Path::new(program).exists())
        .collect();
    let message = if !missing.is_empty() {
        format!(
            "{} not installed (run `cargo xtask setup`)",
            missing.join(" and ")
        )
    } else if std::env::var_os("BOOK_HTML").is_none() {
        "no built book was handed over in BOOK_HTML (`cargo xtask ci tests` does that)".to_owned()
    } else {
        return Ok(true);
    };
    if std::env::var_os("CI").is_some() {
        bail!("{message}");
    }
    eprintln!("\n!!! SKIPPED: the rendered book was NOT tested in a browser: {message} !!!\n");
    Ok(false)
}

/// The built book, which xtask hands over in `BOOK_HTML` (`cargo xtask ci tests`, or
/// `bench-report`): the test builds nothing itself, so a CI run builds the book once.
fn build_book() -> Result<PathBuf> {
    let html = std::env::var_os("BOOK_HTML").map(PathBuf::from).context(
        "BOOK_HTML names no built book: run this test with `cargo xtask ci tests`, \
         which builds the book and hands it over",
    )?;
    if !html.join("index.html").is_file() {
        bail!("BOOK_HTML is {}, which holds no built book", html.display());
    }
    Ok(html)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
