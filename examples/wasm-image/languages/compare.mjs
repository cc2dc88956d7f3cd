// Runs the chapter's three filters in the WebAssembly module of every language on the
// same picture, in Node.js. `cargo xtask ci wasm-languages` builds the modules into
// DIR and runs `node compare.mjs check DIR`: every language must give Rust's bytes.
// `cargo xtask bench-report wasm-image` runs `node compare.mjs bench DIR RUNS` and
// prints one JSON line per language and filter with the median time, then the same for
// SHA-256 of a large buffer: Rust's `sha2` crate in WebAssembly against the platform's
// own `crypto.subtle.digest`.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const FILTERS = ["grayscale", "box_blur", "sobel"];

// A picture every language gets the same bytes of: gradients, noise from a fixed
// seed, and alpha that varies, so that a filter that touches alpha is caught.
function picture(width, height) {
  const pixels = new Uint8Array(width * height * 4);
  let seed = 2026;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const at = (y * width + x) * 4;
      pixels[at] = Math.floor((x * 255) / width);
      pixels[at + 1] = Math.floor((y * 255) / height);
      pixels[at + 2] = seed & 0xff;
      pixels[at + 3] = (x ^ y) & 0xff;
    }
  }
  return pixels;
}

// Each language as the same three operations: put the picture in, run a filter in
// place, read the picture out. `run` is what is timed.
async function rust(dir) {
  const glue = await import(pathToFileURL(join(dir, "rust", "wasm_image.js")));
  const wasm = glue.initSync({ module: readFileSync(join(dir, "rust", "wasm_image_bg.wasm")) });
  let picture, length;
  // A fresh view each time: views go stale when the module's memory grows.
  const view = () => new Uint8Array(wasm.memory.buffer, picture.pixels_ptr(), length);
  return {
    load(pixels, width, height) {
      picture?.free();
      picture = new glue.Picture(width, height);
      length = pixels.length;
      view().set(pixels);
    },
    run(filter) {
      picture[filter]();
    },
    read: () => view().slice(),
  };
}

// C and AssemblyScript export `alloc` and filters that take an address in memory.
function inPlace(file, imports) {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), imports);
  let at, length, width, height;
  const view = () => new Uint8Array(exports.memory.buffer, at, length);
  return {
    load(pixels, w, h) {
      [length, width, height] = [pixels.length, w, h];
      at = exports.alloc(length);
      view().set(pixels);
    },
    run(filter) {
      if (exports[filter](at, width, height)) throw new Error(`${filter} ran out of memory`);
    },
    read: () => view().slice(),
  };
}

async function go(dir) {
  createRequire(import.meta.url)(join(dir, "go", "wasm_exec.js"));
  const runtime = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, "go", "filters.wasm")), runtime.importObject);
  runtime.run(instance); // registers the functions, then waits for calls
  const names = { grayscale: "goGrayscale", box_blur: "goBoxBlur", sobel: "goSobel" };
  let pixels, width, height;
  return {
    load(input, w, h) {
      [pixels, width, height] = [input.slice(), w, h];
    },
    run(filter) {
      globalThis[names[filter]](pixels, width, height);
    },
    read: () => pixels.slice(),
  };
}

async function languages(dir) {
  const abort = () => {
    throw new Error("AssemblyScript aborted");
  };
  return {
    Rust: await rust(dir),
    C: inPlace(join(dir, "c", "filters.wasm"), {}),
    AssemblyScript: inPlace(join(dir, "assemblyscript", "filters.wasm"), { env: { abort } }),
    Go: await go(dir),
  };
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const hex = (bytes) => Buffer.from(bytes).toString("hex");

// SHA-256 two ways: the module built with the `sha256` feature, and Web Crypto, the
// API browsers and Node.js share (`crypto.subtle`). Both take the bytes and return
// the digest; the module's call includes copying the bytes into its memory.
async function digests(dir) {
  const glue = await import(pathToFileURL(join(dir, "rust-sha256", "wasm_image.js")));
  glue.initSync({ module: readFileSync(join(dir, "rust-sha256", "wasm_image_bg.wasm")) });
  return {
    "Rust (`sha2`, WebAssembly)": async (bytes) => hex(glue.sha256(bytes)),
    "`crypto.subtle.digest`": async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes)),
  };
}

// A buffer of `length` bytes from a fixed seed.
function buffer(length) {
  const bytes = new Uint8Array(length);
  let seed = 7;
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; // 32-bit arithmetic, exact
    bytes[i] = seed >>> 24;
  }
  return bytes;
}

async function check(dir) {
  const [width, height] = [641, 479]; // odd sizes: no filter may assume a multiple of 4 or 16
  const input = picture(width, height);
  const problems = [];
  const all = await languages(dir);
  for (const filter of FILTERS) {
    const sums = {};
    for (const [name, language] of Object.entries(all)) {
      language.load(input, width, height);
      language.run(filter);
      sums[name] = sha256(language.read());
    }
    for (const [name, sum] of Object.entries(sums)) {
      if (sum !== sums.Rust) problems.push(`${name} ${filter}: ${sum}, Rust ${sums.Rust}`);
    }
    console.log(`${filter}: ${Object.keys(sums).join(", ")} give the same bytes? ${Object.values(sums).every((s) => s === sums.Rust)}`);
  }
  const data = buffer(1_000_003);
  const expected = sha256(data);
  for (const [name, digest] of Object.entries(await digests(dir))) {
    const got = await digest(data);
    console.log(`SHA-256, ${name}: ${got === expected ? "right" : "WRONG"}`);
    if (got !== expected) problems.push(`SHA-256 ${name}: ${got}, Node.js ${expected}`);
  }
  if (problems.length) {
    console.error(`outputs differ from Rust's:\n${problems.join("\n")}`);
    process.exit(1);
  }
}

async function bench(dir, runs) {
  const [width, height] = [2048, 2048];
  const input = picture(width, height);
  for (const [name, language] of Object.entries(await languages(dir))) {
    for (const filter of FILTERS) {
      const times = [];
      for (let run = 0; run <= runs; run++) {
        language.load(input, width, height);
        const started = performance.now();
        language.run(filter);
        const took = performance.now() - started;
        if (run > 0) times.push(took); // the first run warms up
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({ language: name, filter, median_ms: times[times.length >> 1] }));
    }
  }
  const data = buffer(64 * 1024 * 1024);
  for (const [name, digest] of Object.entries(await digests(dir))) {
    const times = [];
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      await digest(data);
      if (run > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ language: name, filter: "sha256", median_ms: times[times.length >> 1] }));
  }
}

const [mode, dir, runs] = process.argv.slice(2);
if (mode === "check" && dir) await check(dir);
else if (mode === "bench" && dir) await bench(dir, Number(runs ?? 15));
else {
  console.error("usage: node compare.mjs check DIR | bench DIR [RUNS]");
  process.exit(2);
}
process.exit(0); // Go's runtime would keep Node waiting for calls
