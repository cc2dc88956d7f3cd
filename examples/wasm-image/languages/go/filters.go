// The chapter's three filters in Go, for the comparison with Rust in "How does Rust
// compare?": the algorithms of `src/filters.rs`. Compiled with `GOOS=js GOARCH=wasm`;
// Go's own `wasm_exec.js` starts the program, which registers one JavaScript function
// per filter. Go's WebAssembly cannot lend its memory to JavaScript the way Rust, C and
// AssemblyScript do, so each function copies the picture in and back (syscall/js).
package main

import "syscall/js"

// BT.601 weights out of 256, as in Rust.
func grayscale(pixels []byte) {
	for i := 0; i+3 < len(pixels); i += 4 {
		luma := byte((77*uint32(pixels[i]) + 150*uint32(pixels[i+1]) + 29*uint32(pixels[i+2])) >> 8)
		pixels[i], pixels[i+1], pixels[i+2] = luma, luma, luma
	}
}

// divideBy9 is sum / 9 for a sum of nine bytes, as a multiplication (see
// `divide_by_9` in Rust).
func divideBy9(sum uint32) byte {
	return byte((sum * 7282) >> 16)
}

// boxBlur is a 3×3 box blur of the colour channels; border pixels and alpha are kept.
func boxBlur(pixels []byte, width, height int) {
	if width < 3 || height < 3 {
		return
	}
	stride := width * 4
	source := append([]byte(nil), pixels...)
	sums := make([]uint16, stride)
	for y := 1; y+1 < height; y++ {
		above := source[(y-1)*stride : y*stride]
		row := source[y*stride : (y+1)*stride]
		below := source[(y+1)*stride : (y+2)*stride]
		for i := range sums {
			sums[i] = uint16(above[i]) + uint16(row[i]) + uint16(below[i])
		}
		out := pixels[y*stride : (y+1)*stride]
		for i := 4; i < stride-4; i++ {
			out[i] = divideBy9(uint32(sums[i-4]) + uint32(sums[i]) + uint32(sums[i+4]))
		}
		for i := 3; i < stride; i += 4 {
			out[i] = row[i]
		}
	}
}

// sobel is Sobel edge detection on the grayscale picture; border pixels become black.
func sobel(pixels []byte, width, height int) {
	grayscale(pixels)
	luma := make([]int32, width*height)
	for i := range luma {
		luma[i] = int32(pixels[i*4])
	}
	abs := func(v int32) int32 {
		if v < 0 {
			return -v
		}
		return v
	}
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			var edge int32
			if x > 0 && y > 0 && x+1 < width && y+1 < height {
				at := func(dx, dy int) int32 { return luma[(y+dy-1)*width+(x+dx-1)] }
				gx := at(2, 0) + 2*at(2, 1) + at(2, 2) - at(0, 0) - 2*at(0, 1) - at(0, 2)
				gy := at(0, 2) + 2*at(1, 2) + at(2, 2) - at(0, 0) - 2*at(1, 0) - at(2, 0)
				edge = abs(gx) + abs(gy)
				if edge > 255 {
					edge = 255
				}
			}
			p := (y*width + x) * 4
			pixels[p], pixels[p+1], pixels[p+2] = byte(edge), byte(edge), byte(edge)
		}
	}
}

// export registers `filter` as the JavaScript function `name(pixels, width, height)`,
// which filters the Uint8Array `pixels` in place.
func export(name string, filter func(pixels []byte, width, height int)) {
	js.Global().Set(name, js.FuncOf(func(this js.Value, args []js.Value) any {
		array, width, height := args[0], args[1].Int(), args[2].Int()
		pixels := make([]byte, array.Length())
		js.CopyBytesToGo(pixels, array)
		filter(pixels, width, height)
		js.CopyBytesToJS(array, pixels)
		return nil
	}))
}

func main() {
	export("goGrayscale", func(p []byte, _, _ int) { grayscale(p) })
	export("goBoxBlur", boxBlur)
	export("goSobel", sobel)
	select {} // keep the functions callable
}
