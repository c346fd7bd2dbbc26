//! `#[cors]` and `cors_layer!` in the shapes users write, under clippy's strictest groups: an
//! expansion must not warn in a crate that denies `clippy::pedantic` and `clippy::nursery`,
//! since its warnings would point at the user's own code. CI lints this crate with `-D warnings`;
//! the README's quick start is linted the same way as `tests/src/bin/quick-start.rs`.

#![deny(clippy::pedantic, clippy::nursery)]

pub mod handlers;
pub mod router;
