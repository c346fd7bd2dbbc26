//! Development tooling of cors-runtime (not published): what runs the example handlers
//! locally, for `cargo run -p cors-examples --bin demo` and for the system tests in `tests/`.
//!
//! - [`local`]: an example handler under `cargo lambda watch --disable-cors`, a static
//!   frontend server on another origin, a small HTTP client, temporary directories, and the
//!   stopping of process trees.
//! - [`demo`]: the demo (the example APIs plus `examples/frontend/` on a second origin, with
//!   `ALLOWED_ORIGINS` set to that origin), and the demo binary's `main`.
//! - [`tools`]: `cargo-lambda`, CORScanner and cfn-lint, from `PATH` or installed into a
//!   Python virtual environment under the target directory.
//!
//! The `footprint` binary (`src/bin/footprint.rs`) measures what `#[cors]` adds to a function's
//! stripped release binary and to its clean build:
//! `cargo run -p cors-dev --release --bin footprint -- size` (or `-- build`).

pub mod demo;
pub mod local;
pub mod tools;
