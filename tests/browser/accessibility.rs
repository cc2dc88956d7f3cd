//! Every page, in every theme the book's theme picker offers, checked with axe-core:
//! the first theme against WCAG 2.0, 2.1 and 2.2 A and AA (`target-size` included) and
//! axe-core's best practices, the others against the rules about colour.
//!
//! axe-core is pinned in `xtask/book-model/src/pins.rs`; xtask installs it once into
//! the tools cache and hands its script to the test (`AXE_CORE_SCRIPT`). The test runs
//! that script in each page itself, so the page asks no other host for anything. A violation of
//! impact "serious" or "critical" fails the test; the report in
//! `target/browser/accessibility.md` lists every page and theme, with each rule that
//! failed, how many elements fail it and one of them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::artefacts;
use crate::harness::Browser;
use crate::pages::summary_pages;

/// The themes a reader can pick, read from the picker in the page itself (mdBook's
/// `#mdbook-theme-list`, one button per theme, its id `mdbook-theme-` and the class
/// the theme puts on `<html>`), so that a theme mdBook adds is checked without anyone
/// having to list it here.
const OFFERED_THEMES: &str = r##"
    return Array.from(
        document.querySelectorAll("#mdbook-theme-list button.theme"),
        (button) => button.id.replace(/^mdbook-theme-/, ""),
    );
"##;

/// The picker's "Auto" entry: not a theme of its own, it applies `default-theme` or
/// `preferred-dark-theme` from book.toml, as the system prefers, and both are in the
/// picker too.
const AUTO: &str = "default_theme";

/// The print page, which holds the whole book.
const PRINT: &str = "print.html";

/// Picks the theme `arguments[0]` as a reader does, with its button in the theme
/// picker (mdBook's handler switches the class on `<html>` and the code highlighting's
/// style sheet), and returns the class list of `<html>`. Colours that change fade for
/// up to half a second (mdBook's CSS transitions): they jump to their end, so that
/// axe-core sees the colours a reader sees once the fade is over.
const PICK_THEME: &str = r#"
    document.getElementById("mdbook-theme-" + arguments[0]).click();
    for (const animation of document.getAnimations()) {
        if (animation instanceof CSSTransition) {
            animation.finish();
        }
    }
    return document.documentElement.className;
"#;

/// The rule tags of the full run: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and
/// axe-core's best practices. That is every rule a default axe-core run enables, plus
/// `target-size` (WCAG 2.2's 2.5.8, Target Size (Minimum)), which a default run leaves
/// off and a run by tag turns on.
const TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// The axe-core rules whose outcome depends on the theme's colours.
const COLOUR_RULES: [&str; 2] = ["color-contrast", "link-in-text-block"];

/// Rules that must have run in the full run (axe-core lists a rule as passed,
/// violated, incomplete or inapplicable once it ran): a newer axe-core that renamed
/// or dropped one would otherwise pass in silence.
const MUST_RUN: [&str; 2] = ["target-size", "color-contrast"];

/// The impacts that fail the test. "moderate" and "minor" go into the report only.
const FAILING: [&str; 2] = ["critical", "serious"];

/// Runs axe-core on the whole document and keeps what the report needs. The argument
/// is the options' `runOnly`: rule tags or rule ids.
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, { runOnly: arguments[0], resultTypes: ["violations"] })
        .then((results) => done({
            ran: [results.passes, results.violations, results.incomplete,
                results.inapplicable].flat().map((rule) => rule.id),
            violations: results.violations.map((rule) => ({
                id: rule.id,
                impact: rule.impact,
                help: rule.help,
                nodes: rule.nodes.length,
                targets: rule.nodes.slice(0, 3).map((node) => node.target.join(" ")),
                summary: rule.nodes[0] ? (rule.nodes[0].failureSummary || "") : "",
            })),
        }))
        .catch((error) => done({ error: String(error) }));
"#;

/// The controls a reader works with the keyboard alone: the WebAssembly demo's and a
/// quiz question's. Each: its page, the element holding it, the first control, and
/// the control that Tab must reach from there.
const KEYBOARD: [(&str, &str, &str, &str); 2] = [
    (
        "webassembly/index.html",
        crate::demo_page::ROOT,
        crate::demo_page::PICTURE,
        crate::demo_page::RUN,
    ),
    (
        "memory-safety/index.html",
        "form.quiz-question",
        "form.quiz-question input",
        "form.quiz-question button[type=submit]",
    ),
];

/// Focuses the control `arguments[0]`.
const FOCUS: &str = r#"
    const first = document.querySelector(arguments[0]);
    first.scrollIntoView({ block: "center" });
    first.focus();
"#;

/// Where the focus is: inside `arguments[0]` or not, the control that has it, whether
/// it matches `:focus-visible`, and the outline the reader sees around it.
const FOCUSED: &str = r#"
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        inside: element.closest(arguments[0]) !== null,
        target: element === document.querySelector(arguments[1]),
        name: element.tagName.toLowerCase() + (element.className ? "." + element.className : "")
            + (element.type ? "[" + element.type + "]" : ""),
        visible: element.matches(":focus-visible") && (outlined || style.boxShadow !== "none"),
    };
"#;

/// WebDriver's codes for the Tab and Shift keys.
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";

/// One rule that failed on one page in one theme.
struct Violation {
    id: String,
    impact: String,
    help: String,
    nodes: u64,
    /// Up to three of the elements that fail, as CSS selectors.
    targets: Vec<String>,
    summary: String,
}

impl Violation {
    fn fails(&self) -> bool {
        FAILING.contains(&self.impact.as_str())
    }
}

pub async fn check_accessibility(browser: &Browser, base: &str) -> Result<Vec<String>> {
    let axe = axe_script()?;
    let client = &browser.client;
    let pages = summary_pages()?;
    let themes = offered_themes(browser, base).await?;
    let (first, others) = themes.split_first().context("no theme to check")?;
    let every_rule = json!({ "type": "tag", "values": TAGS });
    let colour_rules = json!({ "type": "rule", "values": COLOUR_RULES });
    let mut problems = Vec::new();
    // (theme, page) -> what failed there.
    let mut found: BTreeMap<(String, String), Vec<Violation>> = BTreeMap::new();
    // Each page loads in the first theme, as mdBook applies a theme the reader picked
    // on an earlier page (it keeps the choice in local storage), and gets every rule.
    // Then the page's theme picker picks each other theme in turn, and the page gets
    // the rules about colour: mdBook's themes are sets of colours and change nothing
    // else. The print page repeats the other pages' text with the same style sheets
    // and is the slowest to check, so it gets the first theme only.
    let remember_first = format!(r#"localStorage.setItem("mdbook-theme", {first:?});"#);
    client.goto(&format!("{base}index.html")).await?;
    client.execute(&remember_first, vec![]).await?;
    for page in pages.iter().map(String::as_str).chain([PRINT]) {
        client.goto(&format!("{base}{page}")).await?;
        // Let late scripts (the demo module, the quiz's saved answers) finish.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let applied = client
            .execute(r#"return document.documentElement.className;"#, vec![])
            .await?;
        problems.extend(theme_not_applied(page, first, &applied));
        client.execute(&axe, vec![]).await?;
        let (violations, failed) =
            run_axe(browser, base, page, first, &every_rule, &MUST_RUN).await?;
        problems.extend(failed);
        found.insert((first.clone(), page.to_owned()), violations);
        if page == PRINT {
            continue;
        }
        for theme in others {
            let applied = client.execute(PICK_THEME, vec![json!(theme)]).await?;
            problems.extend(theme_not_applied(page, theme, &applied));
            let (violations, failed) =
                run_axe(browser, base, page, theme, &colour_rules, &COLOUR_RULES).await?;
            problems.extend(failed);
            found.insert((theme.clone(), page.to_owned()), violations);
        }
        // The picker remembers the last theme it picked: the next page loads in the
        // first one again.
        client.execute(&remember_first, vec![]).await?;
    }
    // Where Tab goes and whether the focus has an outline do not depend on colours.
    problems.extend(check_keyboard(browser, base, first).await?);
    // Back to the default theme for whatever runs next.
    client
        .execute(r#"localStorage.removeItem("mdbook-theme");"#, vec![])
        .await?;
    write_report(&themes, &found)?;
    Ok(problems)
}

/// A problem if the page's `<html>` (its class list, `applied`) lacks the theme.
fn theme_not_applied(page: &str, theme: &str, applied: &Value) -> Option<String> {
    let has_theme = applied
        .as_str()
        .is_some_and(|class| class.split(' ').any(|c| c == theme));
    (!has_theme).then(|| format!("{page}: the {theme} theme was not applied ({applied})"))
}

/// Runs axe-core (already injected) with `run_only` on the page as it is, then reads
/// the browser's logs since the last read. Returns what axe-core found, and the
/// problems: serious or critical violations, a rule of `must_run` that did not run,
/// console errors and requests that left localhost.
async fn run_axe(
    browser: &Browser,
    base: &str,
    page: &str,
    theme: &str,
    run_only: &Value,
    must_run: &[&str],
) -> Result<(Vec<Violation>, Vec<String>)> {
    let mut problems = Vec::new();
    let result = browser
        .client
        .execute_async(RUN_AXE, vec![run_only.clone()])
        .await?;
    if let Some(error) = result["error"].as_str() {
        bail!("axe-core failed on {page} in the {theme} theme: {error}");
    }
    let ran: Vec<&str> = result["ran"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for rule in must_run.iter().filter(|rule| !ran.contains(rule)) {
        problems.push(format!(
            "{page} ({theme} theme): axe-core did not run the rule `{rule}`"
        ));
    }
    let violations = result["violations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(violation)
        .collect::<Vec<_>>();
    for failing in violations.iter().filter(|v| v.fails()) {
        problems.push(format!(
            "{page} ({theme} theme): {} [{}] on {} element(s), e.g. `{}`: {}",
            failing.id,
            failing.impact,
            failing.nodes,
            failing.targets.first().map_or("", String::as_str),
            failing.summary.replace('\n', " ")
        ));
    }
    // The checks before this one read the logs page by page; so does this one.
    for error in browser.console_errors().await? {
        problems.push(format!("{page} ({theme} theme): console error: {error}"));
    }
    for url in browser.requested_urls().await? {
        if !url.starts_with(base) && !url.starts_with("data:") && !url.starts_with("blob:") {
            problems.push(format!(
                "{page} ({theme} theme): request outside localhost: {url}"
            ));
        }
    }
    Ok((violations, problems))
}

/// The themes in the page's theme picker, in its order, without "Auto".
async fn offered_themes(browser: &Browser, base: &str) -> Result<Vec<String>> {
    browser.client.goto(&format!("{base}index.html")).await?;
    let listed = browser.client.execute(OFFERED_THEMES, vec![]).await?;
    let themes: Vec<String> = listed
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|theme| *theme != AUTO)
        .map(str::to_owned)
        .collect();
    if themes.is_empty() {
        bail!("the page's theme picker (#mdbook-theme-list) offers no theme: {listed}");
    }
    Ok(themes)
}

/// Tab reaches every control of the demo and of a quiz question, and the focused
/// control always shows a visible outline.
async fn check_keyboard(browser: &Browser, base: &str, theme: &str) -> Result<Vec<String>> {
    let client = &browser.client;
    let mut problems = Vec::new();
    for (page, root, first, target) in KEYBOARD {
        client.goto(&format!("{base}{page}")).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        client.execute(FOCUS, vec![json!(first)]).await?;
        // Back one stop and forward again with the keyboard: the browser then shows
        // focus as it does for a keyboard user, and a group of radio buttons is entered
        // where Tab enters it (at the checked one, if a saved answer checked one).
        client.active_element().await?.send_keys(SHIFT_TAB).await?;
        client.active_element().await?.send_keys(TAB).await?;
        let mut reached = false;
        let mut visited = Vec::new();
        for _ in 0..20 {
            let focused = client
                .execute(FOCUSED, vec![json!(root), json!(target)])
                .await?;
            visited.push(focused["name"].as_str().unwrap_or_default().to_owned());
            if focused["inside"] != true {
                break;
            }
            if focused["visible"] != true {
                problems.push(format!(
                    "{page} ({theme} theme): {} has the keyboard focus but no visible outline",
                    focused["name"].as_str().unwrap_or_default()
                ));
            }
            if focused["target"] == true {
                reached = true;
                break;
            }
            client.active_element().await?.send_keys(TAB).await?;
        }
        if !reached {
            problems.push(format!(
                "{page} ({theme} theme): the Tab key does not reach {target} from {first}; \
                 it goes {}",
                visited.join(", ")
            ));
        }
    }
    browser.console_errors().await?;
    browser.requested_urls().await?;
    Ok(problems)
}

/// The script of the axe-core version xtask pins, whose path xtask hands over in
/// `AXE_CORE_SCRIPT` with the built book.
fn axe_script() -> Result<String> {
    let path = std::env::var_os("AXE_CORE_SCRIPT")
        .context("AXE_CORE_SCRIPT names no axe-core script (`cargo xtask ci tests` sets it)")?;
    std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}", std::path::Path::new(&path).display()))
}

fn violation(value: &Value) -> Violation {
    let text = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
    Violation {
        id: text("id"),
        impact: text("impact"),
        help: text("help"),
        nodes: value["nodes"].as_u64().unwrap_or(0),
        targets: value["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|target| target.as_str().map(str::to_owned))
            .collect(),
        summary: text("summary"),
    }
}

/// `target/browser/accessibility.md`: the themes checked, a table of counts per theme
/// and rule, one per page and theme, then every rule that failed, failing or not, with
/// an element that fails it.
fn write_report(
    themes: &[String],
    found: &BTreeMap<(String, String), Vec<Violation>>,
) -> Result<()> {
    let mut report = String::from("# Accessibility (axe-core)\n\n");
    let failing = |violations: &[Violation]| violations.iter().filter(|v| v.fails()).count();
    // (theme, impact, rule) -> (pages, elements).
    let mut totals: BTreeMap<(&str, &str, &str), (u64, u64)> = BTreeMap::new();
    for ((theme, _), violations) in found {
        for v in violations {
            let total = totals.entry((theme, &v.impact, &v.id)).or_default();
            total.0 += 1;
            total.1 += v.nodes;
        }
    }
    writeln!(
        report,
        "Themes, as the theme picker offers them: {}. The first gets every rule tagged \
         {}; the others the colour rules ({}).\n",
        themes.join(", "),
        TAGS.join(", "),
        COLOUR_RULES.join(", ")
    )?;
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for (theme, _) in found.keys() {
        *checked.entry(theme).or_default() += 1;
    }
    let checked: Vec<String> = checked
        .iter()
        .map(|(theme, pages)| format!("{theme} {pages}"))
        .collect();
    writeln!(
        report,
        "Rules violated, by theme: on how many pages, on how many elements in all. \
         Pages checked: {}.\n",
        checked.join(", ")
    )?;
    writeln!(
        report,
        "| theme | impact | rule | pages | elements |\n|---|---|---|---|---|"
    )?;
    for ((theme, impact, id), (pages, nodes)) in &totals {
        writeln!(
            report,
            "| {theme} | {impact} | `{id}` | {pages} | {nodes} |"
        )?;
    }
    if totals.is_empty() {
        writeln!(report, "| all | - | none | 0 | 0 |")?;
    }
    writeln!(
        report,
        "\n## Per page\n\nRules violated on each page: serious or critical (which fail \
         the test), and all.\n\n| page | theme | serious or critical | all |\n|---|---|---|---|"
    )?;
    for ((theme, page), violations) in found {
        writeln!(
            report,
            "| {page} | {theme} | {} | {} |",
            failing(violations),
            violations.len()
        )?;
    }
    writeln!(report, "\n## Details\n")?;
    for ((theme, page), violations) in found {
        for v in violations {
            writeln!(
                report,
                "- {page}, {theme}: `{}` ({}, {} element(s)): {}; e.g. `{}`. {}",
                v.id,
                v.impact,
                v.nodes,
                v.help,
                v.targets.join("`, `"),
                v.summary.replace('\n', " ")
            )?;
        }
    }
    std::fs::create_dir_all(artefacts())?;
    let path = artefacts().join("accessibility.md");
    std::fs::write(&path, &report).with_context(|| format!("writing {}", path.display()))
}
