//! Compiles the C counterpart of the use-after-free, so the example can call it.

fn main() {
    println!("cargo::rerun-if-changed=c/use_after_free.c");
    cc::Build::new()
        .file("c/use_after_free.c")
        // Unoptimised, so the dangling read stays in the machine code exactly as written.
        .opt_level(0)
        // GCC 12 can warn about this very simple case (-Wuse-after-free). We keep the
        // build quiet: the point is that the C compiler still produces a program.
        .warnings(false)
        .compile("use_after_free");
}
