//! Real local HTTP servers for browser tests: [`LocalApi`] (an example handler under
//! `cargo lambda watch --disable-cors`), [`StaticServer`] (a frontend origin) and
//! [`http_request`].
//!
//! The code lives in `cors_examples::local` (`examples/src/local.rs`), so that
//! `cargo run -p cors-examples --bin demo` runs the APIs and the frontend exactly the way the
//! browser tests do; this module re-exports it under its old name.

pub use cors_examples::local::*;
