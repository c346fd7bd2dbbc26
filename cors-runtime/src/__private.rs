//! The seam between `#[cors]`'s expansion and this crate. Not public API: only generated code
//! calls it, and it may change in any release (the macro crate is pinned to this exact version).

pub use inventory;
pub use lambda_http;

pub use crate::decision::{After, Before};
pub use crate::error::PolicySource;
pub use crate::handler_future::{
    CatchWithEmpty, CatchWithJson, Converted, CorsFuture, Direct, HandlerOutput, HandlerResult,
    Propagate, converted,
};
use crate::layer::CorsLayer;
pub use crate::policy::{LazyPolicy, Spec};
pub use crate::predicate::Predicate;
pub use crate::registry::Registered;

/// A body type `#[cors]` can answer a preflight with: it needs an empty value.
#[diagnostic::on_unimplemented(
    message = "`#[cors]` answers preflights with an empty body, and `{Self}` has none (no `Default`)",
    label = "`{Self}` does not implement `Default`",
    note = "use a body type with an empty value (lambda_http's streaming `Body` has one), implement `Default` for `{Self}`, or add `preflight = false` to let the handler answer preflights"
)]
pub trait PreflightBody: Default {}

impl<B: Default> PreflightBody for B {}

/// A bound that makes an `impl Trait` capture the lifetimes in `T` (for an outer function with
/// an `impl Trait` parameter, where `use<…>` cannot name every parameter).
pub trait Captures<T: ?Sized> {}

impl<T: ?Sized, U: ?Sized> Captures<T> for U {}

/// The predicate of `origins_fn = path`: a plain function of exactly this signature.
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
) -> Before<'static, B> {
    crate::decision::before(policy.get(), request)
}

/// The decision under a `preflight = false` policy: the handler answers every request, so its
/// body type needs no empty value.
#[inline]
pub fn actual<T>(policy: &'static LazyPolicy, request: &http::Request<T>) -> After<'static> {
    crate::decision::actual(policy.get(), request)
}
