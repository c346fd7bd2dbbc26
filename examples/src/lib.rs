//! Support code of the examples: running them locally, the way `cargo run -p cors-examples
//! --bin demo` and the browser tests (`tests/tests/browser.rs`) do.
//!
//! - [`local`]: an example handler under `cargo lambda watch --disable-cors`, a static
//!   frontend server on another origin, and a small HTTP client.
//! - [`demo`]: the demo itself (the example APIs plus `examples/frontend/` on a second
//!   origin, with `ALLOWED_ORIGINS` set to that origin).

pub mod demo;
pub mod local;
