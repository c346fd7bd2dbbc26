//! The grammar of a `#[cors]` policy: what an allowed origin, method or header name may be.
//!
//! This crate is the one definition that both sides of `cors-runtime` use:
//!
//! - `cors-macro` calls it at compile time on the literals of `#[cors(origins = [...], ...)]`,
//!   turning every error into a compile error that points at the literal;
//! - `cors-runtime` calls it at cold start on the entries of the `origins_env` variable.
//!
//! A procedural macro crate can only export macros, so the shared rules cannot live in the macro
//! crate, and the macro cannot depend on the runtime crate (which depends on it to re-export the
//! attribute). A third crate that both depend on is the only way the two can never disagree.
//!
//! It is an implementation detail of `cors-runtime`: its API may change in any release.
//!
//! ```
//! use cors_grammar::{OriginEntry, OriginEntryError};
//!
//! assert_eq!(
//!     OriginEntry::parse("https://app.example.com").unwrap(),
//!     OriginEntry::Exact("https://app.example.com".into()),
//! );
//! let err = OriginEntry::parse("https://App.example.com/").unwrap_err();
//! assert_eq!(err.fix(), Some("https://app.example.com"));
//! ```

#![warn(missing_docs)]

mod header;
mod method;
mod origin;
pub mod public_suffix;
pub mod rules;

pub use header::{HeaderError, HeaderList, HeaderNameEntry};
pub use method::{MethodEntry, MethodError};
pub use origin::{
    CanonicalOrigin, HostPattern, OriginEntry, OriginEntryError, OriginEntryProblem, OriginPattern,
    PortPattern, Scheme, split_origin_list,
};

/// The largest `max_age` accepted, in seconds: Firefox's cap (Chromium caps at 7200).
pub const MAX_AGE_LIMIT: u64 = 86_400;
