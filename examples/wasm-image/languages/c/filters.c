// The chapter's three filters in C, for the comparison with Rust in "How does Rust
// compare?": the algorithms of `src/filters.rs`, line for line, for clang's wasm32
// target without a C library. The caller allocates the picture with `alloc` and passes
// its address; every filter works in place.

#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

// The linker puts the heap after the program's own data; memory grows from there.
extern unsigned char __heap_base;
static uintptr_t heap_end;

// Hands out `len` bytes that are never freed: a picture, or scratch space that a
// later call reuses when it is large enough. Returns 0 when memory cannot grow.
static void *grab(size_t len) {
    if (heap_end == 0) heap_end = (uintptr_t)&__heap_base;
    uintptr_t start = (heap_end + 15) & ~(uintptr_t)15;
    uintptr_t end = start + len;
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have) {
        size_t pages = (end - have + 65535) / 65536;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    }
    heap_end = end;
    return (void *)start;
}

EXPORT("alloc") uint8_t *alloc(size_t len) { return grab(len); }

static uint8_t *scratch;
static size_t scratch_len;

static uint8_t *scratch_of(size_t len) {
    if (len > scratch_len) {
        scratch = grab(len);
        scratch_len = scratch ? len : 0;
    }
    return scratch;
}

// BT.601 weights out of 256, as in Rust.
EXPORT("grayscale") void grayscale(uint8_t *pixels, uint32_t width, uint32_t height) {
    size_t bytes = (size_t)width * height * 4;
    for (size_t i = 0; i < bytes; i += 4) {
        uint32_t luma = (77u * pixels[i] + 150u * pixels[i + 1] + 29u * pixels[i + 2]) >> 8;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = (uint8_t)luma;
    }
}

// sum / 9 for a sum of nine bytes, as a multiplication (see `divide_by_9` in Rust).
static inline uint8_t divide_by_9(uint32_t sum) { return (uint8_t)((sum * 7282u) >> 16); }

// A 3×3 box blur of the colour channels; border pixels and alpha are kept.
// Returns 1 when memory for the copy cannot be had.
EXPORT("box_blur") int box_blur(uint8_t *pixels, uint32_t width, uint32_t height) {
    if (width < 3 || height < 3) return 0;
    size_t stride = (size_t)width * 4;
    uint8_t *source = scratch_of(stride * height + stride * sizeof(uint16_t));
    if (!source) return 1;
    __builtin_memcpy(source, pixels, stride * height);
    uint16_t *sums = (uint16_t *)(source + stride * height);
    for (size_t y = 1; y + 1 < height; y++) {
        const uint8_t *above = source + (y - 1) * stride;
        const uint8_t *row = above + stride;
        const uint8_t *below = row + stride;
        for (size_t i = 0; i < stride; i++) sums[i] = above[i] + row[i] + below[i];
        uint8_t *out = pixels + y * stride;
        for (size_t i = 4; i < stride - 4; i++)
            out[i] = divide_by_9((uint32_t)sums[i - 4] + sums[i] + sums[i + 4]);
        for (size_t i = 3; i < stride; i += 4) out[i] = row[i];
    }
    return 0;
}

// Sobel edge detection on the grayscale picture; border pixels become black.
EXPORT("sobel") int sobel(uint8_t *pixels, uint32_t width, uint32_t height) {
    grayscale(pixels, width, height);
    size_t count = (size_t)width * height;
    int32_t *luma = (int32_t *)scratch_of(count * sizeof(int32_t));
    if (!luma) return 1;
    for (size_t i = 0; i < count; i++) luma[i] = pixels[i * 4];
    for (size_t y = 0; y < height; y++) {
        for (size_t x = 0; x < width; x++) {
            int32_t edge = 0;
            if (x > 0 && y > 0 && x + 1 < width && y + 1 < height) {
#define AT(dx, dy) luma[(y + (dy) - 1) * width + (x + (dx) - 1)]
                int32_t gx = AT(2, 0) + 2 * AT(2, 1) + AT(2, 2) - AT(0, 0) - 2 * AT(0, 1) - AT(0, 2);
                int32_t gy = AT(0, 2) + 2 * AT(1, 2) + AT(2, 2) - AT(0, 0) - 2 * AT(1, 0) - AT(2, 0);
#undef AT
                edge = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
                if (edge > 255) edge = 255;
            }
            uint8_t *pixel = pixels + (y * width + x) * 4;
            pixel[0] = pixel[1] = pixel[2] = (uint8_t)edge;
        }
    }
    return 0;
}
