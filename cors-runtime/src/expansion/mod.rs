//! What the expansions of `#[cors]` and `cors_layer!` call, and only that: `__private` names
//! these items (and nothing else), so that generated code has one seam into this crate.
//!
//! - this file: the policy's source, the decision, the layer and the predicate, as the
//!   expansions' `static` policy reaches them;
//! - `bounds.rs`: the bounds that turn a mistake in a handler's signature into an error
//!   that says what to write;
//! - `failure.rs`: `catch_errors`, what becomes of a handler's `Err` or panic;
//! - `converted.rs`: a handler that returns another `IntoResponse` than `Response<B>`
//!   (with the `lambda` feature).

mod bounds;
#[cfg(feature = "lambda")]
mod converted;
mod failure;

pub use bounds::{Captures, PreflightBody};
#[cfg(feature = "lambda")]
pub use converted::{Converted, HandlerOutput, converted};
pub use failure::{CatchWithEmpty, CatchWithJson};

use crate::decision::{After, Before};
use crate::layer::CorsLayer;
use crate::policy::LazyPolicy;
use crate::policy_source::PolicySource;
use crate::predicate::Predicate;

/// The source of `#[cors]` on `handler`, written at `file:line`.
#[must_use]
pub const fn attribute_source(
    handler: &'static str,
    file: &'static str,
    line: u32,
) -> PolicySource {
    PolicySource::attribute(handler, file, line)
}

/// The source of a `cors_layer!` call written at `file:line`.
#[must_use]
pub const fn layer_source(file: &'static str, line: u32) -> PolicySource {
    PolicySource::layer(file, line)
}

/// The predicate of `origins_fn = path`: a plain function of exactly this signature.
#[must_use]
pub const fn origins_fn(function: fn(&crate::Origin) -> bool) -> Predicate {
    Predicate::Function(function)
}

/// The layer of a `cors_layer!` call, backed by the `static` policy it declared.
pub fn layer(policy: &'static LazyPolicy) -> CorsLayer {
    CorsLayer::of_static(policy)
}

/// Categorises `request`: a preflight is answered, anything else continues to the handler.
#[inline]
pub fn before<B: PreflightBody, T>(
    policy: &'static LazyPolicy,
    request: &http::Request<T>,
) -> Before<B> {
    crate::decision::before(policy.resolve(), request)
}

/// The decision under a `preflight = false` policy: the handler answers every request, so its
/// body type needs no empty value.
#[inline]
pub fn actual<T>(policy: &'static LazyPolicy, request: &http::Request<T>) -> After {
    crate::decision::actual(policy.resolve(), request)
}
