//! The mdBook preprocessor of the book (`[preprocessor.book]` in `book.toml`).
//!
//! mdBook's protocol: it first runs `book-preprocessor supports RENDERER` and uses the
//! preprocessor for that renderer if the exit status is 0; then it runs it with no
//! arguments, sends `[context, book]` as JSON on stdin and reads the book back on
//! stdout. Every renderer is supported: the HTML book, the EPUB and the link check.

use anyhow::{Context, Result};

fn main() {
    if let Err(error) = run() {
        // `{:#}` prints the chain of contexts on one line, without a backtrace.
        eprintln!("book-preprocessor: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|arg| arg == "supports") {
        return Ok(());
    }
    let (context, mut book) = mdbook_preprocessor::parse_input(std::io::stdin().lock())
        .context("mdBook sent input this preprocessor cannot read")?;
    book_preprocessor::preprocess(&context, &mut book)?;
    serde_json::to_writer(std::io::stdout().lock(), &book)?;
    Ok(())
}
