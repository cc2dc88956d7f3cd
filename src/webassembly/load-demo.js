// Loaded on every page (book.toml, `additional-js`): starts the WebAssembly demo
// wherever its markup appears, which is the WebAssembly chapter and the print page.
// A `<script src="demo.js">` in the chapter would break on the print page, which
// lives one folder up; mdBook's `path_to_root` is right on both.
// A relative import would resolve against this script's own URL, so resolve it
// against the page's.
if (document.getElementById("wasm-demo")) {
  import(new URL(`${path_to_root}webassembly/demo.js`, document.baseURI).href);
}
