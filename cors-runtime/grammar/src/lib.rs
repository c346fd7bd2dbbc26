//! The grammar of a `#[cors]` policy: what an allowed origin, method or header name may be.
//!
//! This crate is the one definition that both sides of `cors-runtime` use:
//!
//! - `cors-macro` calls it at compile time on the literals of `#[cors(origins = [...], ...)]`,
//!   turning every error into a compile error that points at the literal;
//! - `cors-runtime` calls it at cold start on the value of the `origins_env` variable
//!   ([`rules::check_origins_variable`], which a linter of deploy templates calls too), and per
//!   request on an `Origin` header a predicate is asked about ([`CanonicalOrigin`]).
//!
//! A procedural macro crate can only export macros, so the shared rules cannot live in the macro
//! crate, and the macro cannot depend on the runtime crate (which depends on it to re-export the
//! attribute). A third crate that both depend on is the only way the two can never disagree.
//!
//! It is an implementation detail of `cors-runtime`: its API may change in any release.
//!
//! # Layout
//!
//! One file per concept, each module's tests beside it (`tests.rs`). An *entry* is what a policy
//! lists (`https://*.example.com`, `*`); an *origin* is what a request's `Origin` header carries.
//!
//! - `origin/`: allowed-origin entries and request origins. `scheme.rs` (`http`, `https`, their
//!   ports), `host.rs` (what a host may be: a name DNS can resolve, and the one loopback rule),
//!   `entry.rs` ([`OriginEntry`]: reading an entry, whether it is trustworthy), `pattern.rs`
//!   (`*.`, `**.`, `:*`: where a wildcard may stand and under which names), `fast.rs` (the
//!   common shapes of an entry read without the WHATWG URL parser), `error.rs` (why an entry is
//!   refused, in words both sides print), `list.rs` (splitting an origins variable into its
//!   entries), `request.rs` ([`CanonicalOrigin`]: a request's `Origin` read as browsers write
//!   it).
//! - `method.rs`, `header.rs`: the `methods`, `headers` and `expose_headers` entries.
//! - `rules.rs`: the rules of a whole policy ([`rules::check`]) and their [`rules::Problem`]s;
//!   `rules/variable.rs`: an origins variable's whole value (its shape, repetitions).
//! - `public_suffix.rs`: the Public Suffix List lookups that keep a pattern from crossing a
//!   public suffix, over the generated `public_suffix/table.rs`.
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
