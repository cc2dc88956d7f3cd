// Input for rustfmt: the same file formatted with two style editions.
use std::num::{NonZeroU16, NonZeroU64, NonZeroU8};

fn main() {
    let sizes: (NonZeroU8, NonZeroU16, NonZeroU64) = (
        NonZeroU8::MIN,
        NonZeroU16::MIN,
        NonZeroU64::MIN,
    );
    println!("{sizes:?}");
}
