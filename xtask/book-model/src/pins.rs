//! The versions of every tool the book is built and checked with, in one place.
//! `cargo xtask setup` installs them (into a cache keyed by these versions), and
//! the preprocessor writes them into the prose with `{{#version NAME}}`.

/// A tool installed with `cargo install --locked PACKAGE --version VERSION`.
pub struct Tool {
    pub package: &'static str,
    pub version: &'static str,
    pub binary: &'static str,
    /// Whether `--locked` can be used: true unless the tool's own lock file names a
    /// crate version the registry no longer has.
    pub locked: bool,
    /// Whether every book build and CI run needs it (`cargo xtask setup` installs
    /// it). A tool only an opt-in task uses is installed when that task first runs.
    pub always: bool,
    /// Whether the book needs the tool to be fast. The others are compiled without
    /// optimization (`opt-level = 0`), which takes well under half the time of a
    /// release build, on a fresh machine where every tool is built from source.
    pub optimize: bool,
}

/// The tools the book is built and checked with. Bump a version here and the cache
/// key changes with it.
pub const TOOLS: &[Tool] = &[
    Tool {
        package: "mdbook",
        version: "0.5.4",
        binary: "mdbook",
        locked: true,
        always: true,
        optimize: false,
    },
    // Follows the book's web links for `cargo xtask check-web-links`, which needs the
    // internet and is not part of CI (the links inside the book are checked by xtask
    // on every build). The maintained continuation of mdbook-linkcheck, which stopped
    // at mdBook 0.4.
    Tool {
        package: "mdbook-linkcheck2",
        version: "0.13.0",
        binary: "mdbook-linkcheck2",
        locked: true,
        always: false,
        optimize: false,
    },
    // Renders the EPUB edition (`[output.epub]` in book.toml).
    Tool {
        package: "mdbook-epub",
        version: "0.5.4",
        binary: "mdbook-epub",
        locked: true,
        always: true,
        optimize: false,
    },
    Tool {
        package: "typos-cli",
        version: "1.52.0",
        binary: "typos",
        locked: true,
        always: true,
        optimize: false,
    },
    // Generates the kernel's Rust bindings to its C headers (the kernel chapter).
    // Debian's own bindgen (0.60) is older than Linux 6.12's minimum, 0.65.1.
    Tool {
        package: "bindgen-cli",
        version: "0.73.2",
        binary: "bindgen",
        locked: true,
        always: true,
        optimize: false,
    },
    // Generates the JavaScript glue for the WebAssembly chapter and runs its tests in
    // Node.js and Chromium; it must be exactly the version of the `wasm-bindgen`
    // crate in Cargo.lock. Its lock file names a webpki-roots version that the
    // registry no longer serves, so `--locked` fails: it is installed with the newest
    // compatible dependencies instead. Optimized: unoptimized, it takes three times as
    // long over the game's module, which every book build rewrites.
    Tool {
        package: "wasm-bindgen-cli",
        version: "0.2.130",
        binary: "wasm-bindgen",
        locked: false,
        always: true,
        optimize: true,
    },
    // WebDriver for Firefox: the WebAssembly tests also run in Debian's firefox-esr,
    // a second browser engine.
    Tool {
        package: "geckodriver",
        version: "0.37.1",
        binary: "geckodriver",
        locked: true,
        always: true,
        optimize: false,
    },
    // The packaging tool most wasm tutorials use; the WebAssembly chapter shows its
    // workflow and CI runs it (offline, with `--mode no-install`).
    Tool {
        package: "wasm-pack",
        version: "0.15.1",
        binary: "wasm-pack",
        locked: true,
        always: true,
        optimize: false,
    },
    // Runs the test binaries in parallel (`cargo xtask ci`): the browser test waits on
    // Chromium most of its minute, and the other tests run meanwhile. Machines that
    // already have this version on PATH use it instead of building it. Unoptimized:
    // it only starts and watches the test binaries, and its release build took over
    // ten minutes on a busy two-core machine.
    Tool {
        package: "cargo-nextest",
        version: "0.9.151",
        binary: "cargo-nextest",
        locked: true,
        always: true,
        optimize: false,
    },
    // Mutation testing of the exercises' reference solutions (`cargo xtask
    // check-exercises`): every change it makes to a solution must fail a test.
    Tool {
        package: "cargo-mutants",
        version: "27.1.0",
        binary: "cargo-mutants",
        locked: true,
        always: true,
        optimize: false,
    },
];

/// axe-core, the accessibility engine the browser test runs on every page (from npm).
pub const AXE_CORE: &str = "4.14.1";

/// binaryen, for `wasm-opt` (from npm): Debian's binaryen 108 produces modules that
/// current wasm-bindgen glue fails to instantiate.
pub const BINARYEN: &str = "132.0.0";

/// Ace by DAISY (npm `@daisy/ace`), the DAISY Consortium's accessibility checker for
/// EPUB: it checks the EPUB edition against EPUB Accessibility 1.1 (`cargo xtask
/// editions`).
/// Installed without its install scripts, which would download Electron and a copy
/// of Chrome: it runs on Debian's Chromium through Puppeteer.
pub const ACE: &str = "1.4.6";

/// AssemblyScript (npm `assemblyscript`), the compiler of the WebAssembly chapter's
/// filters in AssemblyScript, for the comparison of languages.
pub const ASSEMBLYSCRIPT: &str = "0.28.20";

/// Every pinned tool as `(name, version)`: the cargo-installed ones, then those from
/// npm (`axe-core`, `@daisy/ace`, `binaryen`, `assemblyscript`). `{{#version NAME}}` accepts each name.
pub fn all() -> Vec<(&'static str, &'static str)> {
    TOOLS
        .iter()
        .map(|tool| (tool.package, tool.version))
        .chain([
            ("axe-core", AXE_CORE),
            ("@daisy/ace", ACE),
            ("binaryen", BINARYEN),
            ("assemblyscript", ASSEMBLYSCRIPT),
        ])
        .collect()
}
