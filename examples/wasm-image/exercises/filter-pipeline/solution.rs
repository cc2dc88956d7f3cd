// Reference solution of the exercise "filter-pipeline" (see task.md beside this file).

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

/// Every filter has this type, so they can be chosen at run time and kept in a list.
type Filter = fn(&mut Image);

/// Runs the filters named in `names`, separated by commas, on the RGBA picture in
/// `pixels`, one after the other.
pub fn apply_pipeline(
    pixels: &mut [u8],
    width: u32,
    height: u32,
    names: &str,
) -> Result<(), PipelineError> {
    // Check everything before changing anything: a half-filtered picture is worse than
    // an error, because the page cannot tell which filters ran.
    let steps = names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(filter_named)
        .collect::<Result<Vec<Filter>, PipelineError>>()?;
    // The string's length is up to the page; the work it asks for must be bounded.
    if steps.len() > MAX_FILTERS {
        return Err(PipelineError::TooManyFilters { count: steps.len() });
    }
    let mut image = Image::new(pixels, width, height)?;
    for filter in steps {
        filter(&mut image);
    }
    Ok(())
}

fn filter_named(name: &str) -> Result<Filter, PipelineError> {
    match name {
        "grayscale" => Ok(filters::grayscale),
        "box_blur" => Ok(filters::box_blur),
        "sobel" => Ok(filters::sobel),
        unknown => Err(PipelineError::UnknownFilter(unknown.to_owned())),
    }
}
