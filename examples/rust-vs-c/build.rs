//! Compiles the C box blur twice, at -O2 and at -O3, so both can be compared with Rust.
//! The optimisation level is set explicitly: otherwise the `cc` crate follows the Cargo
//! profile (-O0 in tests, -O3 in benchmarks) and the comparison would depend on it.

fn main() {
    println!("cargo::rerun-if-changed=c/box_blur.c");
    for level in [2, 3] {
        cc::Build::new()
            .file("c/box_blur.c")
            .opt_level(level)
            // The same source gives two functions: box_blur_o2 and box_blur_o3.
            .define("SUFFIX", format!("_o{level}").as_str())
            .compile(&format!("box_blur_o{level}"));
    }
}
