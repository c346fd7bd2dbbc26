//! UI tests of `#[cors]`: `tests/fail/*.rs` are the mistakes that must not compile, each with the
//! reviewed message in its `.stderr` (trybuild, `tests/ui.rs`); `tests/pass/*.rs` are the shapes
//! that must (`tests/pass.rs`).
//! `tests/docs_catalogue.rs` checks that the attribute's reference shows exactly these messages.
