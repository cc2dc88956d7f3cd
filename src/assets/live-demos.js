// Loaded on every page (book.toml, `additional-js`): starts a chapter's live demo
// wherever its markup appears, which is that chapter's page and the print page.
// A `<script src="demo.js">` in the chapter would break on the print page, which
// lives one folder up; mdBook's `path_to_root` is right on both.
// A relative import would resolve against this script's own URL, so resolve it
// against the page's.
const liveDemos = {
  "wasm-demo": "webassembly/demo.js",
  "bevy-demo": "game-engines/demo.js",
};
for (const [id, script] of Object.entries(liveDemos)) {
  const root = document.getElementById(id);
  if (root) {
    const url = new URL(`${path_to_root}${script}`, document.baseURI);
    import(url.href).catch((error) => demoDidNotLoad(root, url, error));
  }
}

// A demo's script failed to load, most likely because its module is missing. While
// `cargo xtask serve` builds the demos, it leaves a file named BUILDING in their pkg/
// folders: then the status line says to wait, and otherwise what went wrong.
async function demoDidNotLoad(root, script, error) {
  const status = root.querySelector(".demo-status");
  if (!status) return;
  const building = await fetch(new URL("pkg/BUILDING", script), { method: "HEAD" })
    .then((response) => response.ok, () => false);
  status.dataset.state = building ? "building" : "failed";
  status.textContent = building
    ? "This demo is still being built on your machine (cargo xtask serve prints when " +
      "it is ready); reload the page then."
    : `The demo did not load: ${error}`;
}
