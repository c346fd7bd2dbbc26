// The reference of `#[cors]`, one page per topic, each a Markdown file under `docs/`: these
// modules hold documentation only, and their examples run as this crate's doctests.
#![doc = include_str!("../docs/reference.md")]

#[doc = include_str!("../docs/reference/origins.md")]
pub mod origins {}

#[doc = include_str!("../docs/reference/origins_fn.md")]
pub mod origins_fn {}

#[doc = include_str!("../docs/reference/methods_and_headers.md")]
pub mod methods_and_headers {}

#[doc = include_str!("../docs/reference/responses.md")]
pub mod responses {}

#[doc = include_str!("../docs/reference/handler.md")]
pub mod handler {}

#[doc = include_str!("../docs/reference/expansion.md")]
pub mod expansion {}

#[doc = include_str!("../docs/reference/compile_errors.md")]
pub mod compile_errors {}
