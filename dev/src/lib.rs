//! Development tooling of cors-runtime (not published): what runs the example handlers
//! locally, for `cargo run -p cors-examples --bin demo` and for the system tests in `tests/`.
//!
//! # Layout
//!
//! One module per concept; the arrows are the only imports between them, so there is no
//! circle (the leaves import nothing of the crate):
//!
//! ```text
//! demo ──▶ local_api ──▶ tools ──▶ workspace
//!  │           └──▶ http_client, process, temp_dir, workspace
//!  └──▶ static_server, tools, workspace
//! ```
//!
//! - [`workspace`] (leaf): where things are: the workspace root, the target directory this
//!   program was built in, the `cargo` that runs it.
//! - [`process`] (leaf): local processes from `/proc`: a free port, whether a process tree
//!   listens on it, stopping a process tree.
//! - [`temp_dir`] (leaf): temporary directories removed on drop.
//! - [`http_client`] (leaf): a minimal blocking HTTP/1.1 client, to talk to the local servers
//!   without a browser.
//! - [`static_server`] (leaf): a static HTTP server on another local port, the "frontend"
//!   origin.
//! - [`tools`]: `cargo-lambda`, CORScanner and cfn-lint, from `PATH` or installed into a
//!   Python virtual environment under the target directory.
//! - [`local_api`]: an example handler under `cargo lambda watch --disable-cors`.
//! - [`demo`]: the demo (the example APIs plus `examples/frontend/` on a second origin, with
//!   `ALLOWED_ORIGINS` set to that origin), and the demo binary's `main`.
//!
//! The `footprint` binary (`src/bin/footprint/`) measures what `#[cors]` adds to a function's
//! stripped release binary and to its clean build:
//! `cargo run -p cors-dev --release --bin footprint -- size` (or `-- build`). Its `main.rs`
//! reads the command line and writes the report; `checkout.rs` reads the measured checkout's
//! dependency lines, `project.rs` writes the three measured projects, `command.rs` runs cargo
//! in them, `binary_size.rs` and `build_time.rs` are the two measurements.

pub mod demo;
pub mod http_client;
pub mod local_api;
pub mod process;
pub mod static_server;
pub mod temp_dir;
pub mod tools;
pub mod workspace;
