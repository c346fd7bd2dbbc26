//! The seam between `#[cors]`'s expansion and this crate. Not public API: only generated code
//! calls it, and it may change in any release (the macro crate is pinned to this exact version).

use std::future::{Future, Ready, ready};
use std::pin::Pin;

pub use inventory;
pub use lambda_http;

pub use crate::decision::{After, Before};
pub use crate::policy::{LazyPolicy, Policy, Spec};
pub use crate::registry::Registered;

use lambda_http::{Body, IntoResponse, Response};

/// Categorises `request`: a preflight is answered, anything else continues to the handler.
pub fn before<B: Default, T>(
    policy: &'static LazyPolicy,
    request: &http::Request<T>,
) -> Before<'static, B> {
    crate::decision::before(policy.get(), request)
}

/// The same decision under a policy built by [`Policy::build`] (for property tests and fuzzing).
pub use crate::decision::before as before_with;

/// What a handler returns: a `Result` under any name (`anyhow::Result<T>`, `io::Result<T>`, …).
pub trait HandlerResult {
    /// The success type.
    type Ok;
    /// The error type.
    type Error;
    /// The value as a `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Error>;
}

impl<T, E> HandlerResult for Result<T, E> {
    type Ok = T;
    type Error = E;
    fn into_result(self) -> Self {
        self
    }
}

/// The handler's success value on its way to a `Response<Body>`.
///
/// Generated code calls `(&mut Output(Some(value))).take_response()`: for a
/// `Response<Body>`, method resolution picks [`AlreadyResponse`] (found at the first step, by
/// value, and needing no `Box`); for anything else it takes one more reference and picks
/// [`ViaIntoResponse`]. The value's type is concrete where the expansion makes the call, so this
/// chooses at compile time.
#[derive(Debug)]
pub struct Output<T>(pub Option<T>);

/// `Response<Body>` needs no conversion.
pub trait AlreadyResponse {
    /// The response, ready at once.
    fn take_response(&mut self) -> Ready<Response<Body>>;
}

impl AlreadyResponse for Output<Response<Body>> {
    fn take_response(&mut self) -> Ready<Response<Body>> {
        ready(self.0.take().unwrap_or_default())
    }
}

/// Anything else goes through `lambda_http::IntoResponse`, as `lambda_http::run` would do.
pub trait ViaIntoResponse {
    /// The response `lambda_http` would make of the value.
    fn take_response(&mut self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>>;
}

impl<T: IntoResponse> ViaIntoResponse for &mut Output<T> {
    fn take_response(&mut self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
        match self.0.take() {
            Some(value) => value.into_response(),
            None => Box::pin(ready(Response::default())),
        }
    }
}
