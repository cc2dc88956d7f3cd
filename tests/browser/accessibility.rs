//! Every page in the light and the dark ("navy") theme, checked with axe-core.
//!
//! axe-core is pinned in xtask (`cargo xtask axe-path` installs it once into the tools
//! cache and prints where its script is). The test reads that script and runs it in
//! each page itself, so the page asks no other host for anything. A violation of
//! impact "serious" or "critical" fails the test; the report in
//! `target/browser/accessibility.md` lists every page and theme, with each rule that
//! failed, how many elements fail it and one of them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::harness::Browser;
use crate::pages::summary_pages;
use crate::{artefacts, common};

/// The themes a reader gets: the default, and the one a dark system preference picks
/// (`default-theme` and `preferred-dark-theme` in book.toml).
const THEMES: [&str; 2] = ["light", "navy"];

/// The axe-core rules whose outcome depends on the theme's colours.
const COLOUR_RULES: [&str; 2] = ["color-contrast", "link-in-text-block"];

/// The impacts that fail the test. "moderate" and "minor" go into the report only.
const FAILING: [&str; 2] = ["critical", "serious"];

/// Runs axe-core on the whole document and keeps what the report needs. The argument
/// is the options' `runOnly` (null: every rule axe-core enables by default: WCAG 2.0
/// and 2.1, levels A and AA, and its best practices; its WCAG 2.2 rule, `target-size`,
/// is off by default).
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    const options = { resultTypes: ["violations"] };
    if (arguments[0]) { options.runOnly = arguments[0]; }
    axe.run(document, options)
        .then((results) => done({
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
    let mut problems = Vec::new();
    // (theme, page) -> what failed there.
    let mut found: BTreeMap<(&str, String), Vec<Violation>> = BTreeMap::new();
    for theme in THEMES {
        client.goto(&format!("{base}index.html")).await?;
        let set_theme = format!(r#"localStorage.setItem("mdbook-theme", {theme:?});"#);
        client.execute(&set_theme, vec![]).await?;
        for page in pages.iter().map(String::as_str).chain(["print.html"]) {
            client.goto(&format!("{base}{page}")).await?;
            // Let late scripts (the demo module, the quiz's saved answers) finish.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let applied = client
                .execute(r#"return document.documentElement.className;"#, vec![])
                .await?;
            if !applied
                .as_str()
                .is_some_and(|class| class.split(' ').any(|c| c == theme))
            {
                problems.push(format!(
                    "{page}: the {theme} theme was not applied ({applied})"
                ));
            }
            client.execute(&axe, vec![]).await?;
            // A theme changes colours and nothing else, so the first theme gets every
            // rule and the others only the rules about colour: half the time.
            let rules = if theme == THEMES[0] {
                serde_json::Value::Null
            } else {
                serde_json::json!({ "type": "rule", "values": COLOUR_RULES })
            };
            let result = client.execute_async(RUN_AXE, vec![rules]).await?;
            if let Some(error) = result["error"].as_str() {
                bail!("axe-core failed on {page} in the {theme} theme: {error}");
            }
            let violations = result["violations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(violation)
                .collect::<Vec<_>>();
            for failing in violations.iter().filter(|v| v.fails()) {
                let problem = format!(
                    "{page} ({theme} theme): {} [{}] on {} element(s), e.g. `{}`: {}",
                    failing.id,
                    failing.impact,
                    failing.nodes,
                    failing.targets.first().map_or("", String::as_str),
                    failing.summary.replace('\n', " ")
                );
                problems.push(problem);
            }
            // The checks before this one read the logs page by page; so does this one.
            for error in browser.console_errors().await? {
                problems.push(format!("{page} ({theme} theme): console error: {error}"));
            }
            for url in browser.requested_urls().await? {
                if !url.starts_with(base) && !url.starts_with("data:") && !url.starts_with("blob:")
                {
                    problems.push(format!(
                        "{page} ({theme} theme): request outside localhost: {url}"
                    ));
                }
            }
            found.insert((theme, page.to_owned()), violations);
        }
        problems.extend(check_keyboard(browser, base, theme).await?);
    }
    // Back to the default theme for whatever runs next.
    client
        .execute(r#"localStorage.removeItem("mdbook-theme");"#, vec![])
        .await?;
    write_report(&found)?;
    Ok(problems)
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

/// The script of the axe-core version xtask pins.
fn axe_script() -> Result<String> {
    let printed = common::xtask(&["axe-path"]);
    let path = printed
        .lines()
        .last()
        .context("`cargo xtask axe-path` printed nothing")?
        .trim()
        .to_owned();
    std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))
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

/// `target/browser/accessibility.md`: a table of counts per page and theme, then every
/// rule that failed, failing or not, with an element that fails it.
fn write_report(found: &BTreeMap<(&str, String), Vec<Violation>>) -> Result<()> {
    let mut report = String::from("# Accessibility (axe-core)\n\n");
    let failing = |violations: &[Violation]| violations.iter().filter(|v| v.fails()).count();
    let mut totals: BTreeMap<(&str, &str, &str), u64> = BTreeMap::new();
    for ((theme, _), violations) in found {
        for v in violations {
            *totals.entry((theme, &v.impact, &v.id)).or_default() += 1;
        }
    }
    writeln!(
        report,
        "Rules violated, by theme: on how many pages (of {} per theme).\n",
        found.len() / THEMES.len()
    )?;
    writeln!(
        report,
        "| theme | impact | rule | pages |\n|---|---|---|---|"
    )?;
    for ((theme, impact, id), pages) in &totals {
        writeln!(report, "| {theme} | {impact} | `{id}` | {pages} |")?;
    }
    if totals.is_empty() {
        writeln!(report, "| both | - | none | 0 |")?;
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
