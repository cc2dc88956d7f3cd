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
  if (document.getElementById(id)) {
    import(new URL(`${path_to_root}${script}`, document.baseURI).href);
  }
}
