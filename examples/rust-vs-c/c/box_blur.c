/* A 3x3 box blur over an 8-bit grayscale image, as a C programmer would write it.
 * Border pixels are copied unchanged; every other pixel becomes the average of its
 * 3x3 neighbourhood (integer division, like the Rust version). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* build.rs compiles this file twice with -DSUFFIX=_o2 and -DSUFFIX=_o3. */
#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)

// ANCHOR: box_blur
void CONCAT(box_blur, SUFFIX)(const uint8_t *src, uint8_t *dst,
                              size_t width, size_t height) {
    memcpy(dst, src, width * height);
    for (size_t y = 1; y + 1 < height; y++) {
        for (size_t x = 1; x + 1 < width; x++) {
            unsigned sum = 0;
            for (size_t dy = 0; dy < 3; dy++)
                for (size_t dx = 0; dx < 3; dx++)
                    sum += src[(y + dy - 1) * width + (x + dx - 1)];
            dst[y * width + x] = (uint8_t)(sum / 9);
        }
    }
}
// ANCHOR_END: box_blur
