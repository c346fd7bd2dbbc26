//! What `#[cors]` checks of the code it wraps, at compile time: each trait is a requirement on
//! the handler's request parameter or on the function of `origins_fn = path`, whose error
//! message states the mistake and the fix at the token you wrote.
//!
//! You never implement or name these traits: they exist so that a mistake reads as what to
//! write (``origins_fn` takes a function `fn(&cors_runtime::Origin) -> bool`, and this one takes
//! `&str``) instead of a type mismatch inside generated code. Each is implemented for exactly
//! the types it accepts, through a blanket impl that the compiler does not list in its errors.
//!
//! ```compile_fail
//! use cors_runtime::cors;
//!
//! fn is_tenant(origin: &str) -> bool {
//!     origin.ends_with(".tenants.example.com")
//! }
//!
//! #[cors(origins_fn = is_tenant)]
//! async fn handler(_event: lambda_http::Request) -> Result<&'static str, lambda_http::Error> {
//!     Ok("hello")
//! }
//! ```

/// `Self` is `T`: the one way a check's blanket impl can require a single type.
#[doc(hidden)]
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

#[cfg(feature = "lambda")]
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
