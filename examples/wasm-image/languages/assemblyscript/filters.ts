// The chapter's three filters in AssemblyScript, for the comparison with Rust in
// "How does Rust compare?": the algorithms of `src/filters.rs`. The caller allocates
// the picture with `alloc` and passes its address; every filter works in place.
// Compiled with the `stub` runtime: memory is handed out and never collected.

export function alloc(len: usize): usize {
  return heap.alloc(len);
}

let scratch: usize = 0;
let scratchLen: usize = 0;

function scratchOf(len: usize): usize {
  if (len > scratchLen) {
    scratch = heap.alloc(len);
    scratchLen = len;
  }
  return scratch;
}

// BT.601 weights out of 256, as in Rust.
export function grayscale(pixels: usize, width: u32, height: u32): void {
  const bytes = <usize>width * <usize>height * 4;
  for (let i: usize = 0; i < bytes; i += 4) {
    const luma = (77 * <u32>load<u8>(pixels + i) +
      150 * <u32>load<u8>(pixels + i + 1) +
      29 * <u32>load<u8>(pixels + i + 2)) >> 8;
    store<u8>(pixels + i, luma);
    store<u8>(pixels + i + 1, luma);
    store<u8>(pixels + i + 2, luma);
  }
}

// sum / 9 for a sum of nine bytes, as a multiplication (see `divide_by_9` in Rust).
@inline
function divideBy9(sum: u32): u8 {
  return <u8>((sum * 7282) >> 16);
}

// A 3×3 box blur of the colour channels; border pixels and alpha are kept.
export function box_blur(pixels: usize, width: u32, height: u32): void {
  if (width < 3 || height < 3) return;
  const stride = <usize>width * 4;
  const source = scratchOf(stride * <usize>height + stride * 2);
  memory.copy(source, pixels, stride * <usize>height);
  const sums = source + stride * <usize>height;
  for (let y: usize = 1; y + 1 < <usize>height; y++) {
    const above = source + (y - 1) * stride;
    const row = above + stride;
    const below = row + stride;
    for (let i: usize = 0; i < stride; i++) {
      store<u16>(sums + i * 2,
        <u16>load<u8>(above + i) + <u16>load<u8>(row + i) + <u16>load<u8>(below + i));
    }
    const out = pixels + y * stride;
    for (let i: usize = 4; i < stride - 4; i++) {
      const sum = <u32>load<u16>(sums + (i - 4) * 2) + <u32>load<u16>(sums + i * 2) +
        <u32>load<u16>(sums + (i + 4) * 2);
      store<u8>(out + i, divideBy9(sum));
    }
    for (let i: usize = 3; i < stride; i += 4) store<u8>(out + i, load<u8>(row + i));
  }
}

// The luma of the pixel at (x + dx - 1, y + dy - 1). AssemblyScript's closures cannot
// capture local variables, so this is a function of its own.
@inline
function at(luma: usize, w: usize, x: usize, y: usize, dx: usize, dy: usize): i32 {
  return load<i32>(luma + ((y + dy - 1) * w + (x + dx - 1)) * 4);
}

// Sobel edge detection on the grayscale picture; border pixels become black.
export function sobel(pixels: usize, width: u32, height: u32): void {
  grayscale(pixels, width, height);
  const w = <usize>width;
  const h = <usize>height;
  const luma = scratchOf(w * h * 4);
  for (let i: usize = 0; i < w * h; i++) {
    store<i32>(luma + i * 4, <i32>load<u8>(pixels + i * 4));
  }
  for (let y: usize = 0; y < h; y++) {
    for (let x: usize = 0; x < w; x++) {
      let edge: i32 = 0;
      if (x > 0 && y > 0 && x + 1 < w && y + 1 < h) {
        const gx = at(luma, w, x, y, 2, 0) + 2 * at(luma, w, x, y, 2, 1) + at(luma, w, x, y, 2, 2) -
          at(luma, w, x, y, 0, 0) - 2 * at(luma, w, x, y, 0, 1) - at(luma, w, x, y, 0, 2);
        const gy = at(luma, w, x, y, 0, 2) + 2 * at(luma, w, x, y, 1, 2) + at(luma, w, x, y, 2, 2) -
          at(luma, w, x, y, 0, 0) - 2 * at(luma, w, x, y, 1, 0) - at(luma, w, x, y, 2, 0);
        edge = min(abs(gx) + abs(gy), 255);
      }
      const pixel = pixels + (y * w + x) * 4;
      store<u8>(pixel, <u8>edge);
      store<u8>(pixel + 1, <u8>edge);
      store<u8>(pixel + 2, <u8>edge);
    }
  }
}
