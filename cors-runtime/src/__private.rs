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

// ---------------------------------------------------------------------------------------------
// Compile-time checks of what the attribute's user wrote, each a trait whose error message
// (`on_unimplemented`) states the mistake and the fix in the user's words, at the user's token.
// Each is implemented through `Is`, a blanket impl that rustc does not recommend, so that the
// message never lists an impl of this module.

/// `Self` is `T`: the one way a check's blanket impl can require a single type.
pub trait Is<T> {
    /// `self`, as `T`.
    fn into_same(self) -> T;
}

impl<T> Is<T> for T {
    #[inline]
    fn into_same(self) -> T {
        self
    }
}

/// `#[cors]`'s request parameter is `lambda_http`'s `Request` (an axum handler, whose
/// preflights a router answers before any handler, needs `cors_layer!` on the router).
#[diagnostic::on_unimplemented(
    message = "`#[cors]` wraps a `lambda_http` handler, whose request is `lambda_http::Request`, not `{Self}`",
    label = "not `lambda_http::Request`",
    note = "for an axum handler, or another tower service, add `.layer(cors_layer!(…))` to the router instead, with the same arguments: in a router, preflights never reach a `get` handler, so `#[cors]` on one cannot answer them"
)]
pub trait LambdaRequest {
    /// Nothing: the check is that the impl exists.
    #[inline]
    fn check() {}
}

#[diagnostic::do_not_recommend]
impl<T: Is<lambda_http::Request>> LambdaRequest for T {}

/// `origins_fn = path`'s function takes one argument: the signature's check gets its types.
#[diagnostic::on_unimplemented(
    message = "`origins_fn` takes a function `fn(&cors_runtime::Origin) -> bool`, not `{Self}`",
    label = "not a function of one argument"
)]
pub trait OriginsFnSignature<A, R> {
    /// Calls the function.
    fn call(&self, argument: A) -> R;
}

#[diagnostic::do_not_recommend]
impl<F: Fn(A) -> R, A, R> OriginsFnSignature<A, R> for F {
    #[inline]
    fn call(&self, argument: A) -> R {
        self(argument)
    }
}

/// `origins_fn = path`'s function takes `&Origin`.
#[diagnostic::on_unimplemented(
    message = "`origins_fn` takes a function `fn(&cors_runtime::Origin) -> bool`, and this one takes `{Self}`",
    label = "takes `{Self}`, not `&cors_runtime::Origin`",
    note = "write `fn is_allowed(origin: &cors_runtime::Origin) -> bool`"
)]
pub trait OriginsFnInput<'a> {
    /// The request's origin, as the function's argument.
    fn from_origin(origin: &'a crate::Origin) -> Self;
}

#[diagnostic::do_not_recommend]
impl<'a, T> OriginsFnInput<'a> for T
where
    &'a crate::Origin: Is<T>,
{
    #[inline]
    fn from_origin(origin: &'a crate::Origin) -> T {
        origin.into_same()
    }
}

/// `origins_fn = path`'s function returns `bool`, at once (not a future).
#[diagnostic::on_unimplemented(
    message = "`origins_fn` takes a function `fn(&cors_runtime::Origin) -> bool`, and this one returns `{Self}`",
    label = "returns `{Self}`, not `bool`",
    note = "write `fn is_allowed(origin: &cors_runtime::Origin) -> bool`: it is asked during the request's decision, which does not wait, so it cannot be an `async fn`"
)]
pub trait OriginsFnOutput {
    /// The function's answer.
    fn into_bool(self) -> bool;
}

#[diagnostic::do_not_recommend]
impl<T: Is<bool>> OriginsFnOutput for T {
    #[inline]
    fn into_bool(self) -> bool {
        self.into_same()
    }
}
