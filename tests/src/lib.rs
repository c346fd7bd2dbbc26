//! Test support for cors-runtime: real Lambda event JSON fed through `lambda_http`'s own
//! event handling, captured logs, and headless Chromium for the browser tests (which run the
//! example APIs through `cors_dev::local_api`).
//!
//! The tests themselves are three binaries: `tests/behaviour/` (everything in process, through
//! real events and the per-request path), `tests/system/` (tests that start processes:
//! browsers, `cargo lambda watch`, a CORS scanner, cfn-lint, cargo itself) and
//! `tests/allocations.rs` (alone, because it installs a counting global allocator).

pub mod browser;
pub mod events;
pub mod fetch;
pub mod logs;
pub mod reference;
pub mod root_tools;
pub mod star_matrix;
