// Wrong attempt: checks every name before running any filter, but never counts them.
// Why it is wrong: task.md says "a list of more than `MAX_FILTERS` filters returns
// `PipelineError::TooManyFilters`"; any number of known names is run.

use thiserror::Error;
use wasm_image::filters;
use wasm_image::{FilterError, Image};

/// The longest list accepted: each filter is a full pass over the picture.
pub const MAX_FILTERS: usize = 8;

/// Why a pipeline was refused. An export would return it as `Result<(), JsError>`,
/// and JavaScript would see the message.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PipelineError {
    #[error("unknown filter {0:?}; the filters are grayscale, box_blur and sobel")]
    UnknownFilter(String),
    #[error("{count} filters is more than the {MAX_FILTERS} allowed")]
    TooManyFilters { count: usize },
    #[error(transparent)]
    Image(#[from] FilterError),
}

/// Runs the filters named in `names`, separated by commas, on the RGBA picture in
/// `pixels`, one after the other.
pub fn apply_pipeline(
    pixels: &mut [u8],
    width: u32,
    height: u32,
    names: &str,
) -> Result<(), PipelineError> {
    let mut image = Image::new(pixels, width, height)?;
    // Every name is checked before the first filter runs.
    let pipeline = names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(filter)
        .collect::<Result<Vec<_>, _>>()?;
    for run in pipeline {
        run(&mut image);
    }
    Ok(())
}

/// The filter called `name`.
fn filter(name: &str) -> Result<fn(&mut Image), PipelineError> {
    match name {
        "grayscale" => Ok(filters::grayscale),
        "box_blur" => Ok(filters::box_blur),
        "sobel" => Ok(filters::sobel),
        _ => Err(PipelineError::UnknownFilter(name.to_owned())),
    }
}
