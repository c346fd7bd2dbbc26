//! The seam between `#[cors]`'s expansion and this crate. Not public API: only generated code
//! calls it, and it may change in any release (the macro crate is pinned to this exact version).

use std::future::{Future, Ready, ready};
use std::pin::Pin;

pub use inventory;
pub use lambda_http;

pub use crate::decision::{After, Before};
pub use crate::error::PolicySource;
use crate::layer::CorsLayer;
pub use crate::policy::{LazyPolicy, Spec};
pub use crate::predicate::Predicate;
pub use crate::registry::Registered;

use lambda_http::{Body, IntoResponse, Response};

/// A body type `#[cors]` can answer a preflight with: it needs an empty value.
#[diagnostic::on_unimplemented(
    message = "`#[cors]` answers preflights with an empty body, and `{Self}` has none (no `Default`)",
    label = "`{Self}` does not implement `Default`",
    note = "use a body type with an empty value (lambda_http's streaming `Body` has one), implement `Default` for `{Self}`, or add `preflight = false` to let the handler answer preflights"
)]
pub trait PreflightBody: Default {}

impl<B: Default> PreflightBody for B {}

/// The predicate of `origins_fn = path`: a plain function of exactly this signature.
pub const fn origins_fn(function: fn(&crate::Origin) -> bool) -> Predicate {
    Predicate::Function(function)
}

/// The layer of a `cors_layer!` call, backed by the `static` policy it declared.
pub fn layer(policy: &'static LazyPolicy) -> CorsLayer {
    CorsLayer::of_static(policy)
}

/// Categorises `request`: a preflight is answered, anything else continues to the handler.
pub fn before<B: PreflightBody, T>(
    policy: &'static LazyPolicy,
    request: &http::Request<T>,
) -> Before<'static, B> {
    crate::decision::before(policy.get(), request)
}

/// The decision under a `preflight = false` policy: the handler answers every request, so its
/// body type needs no empty value.
pub fn actual<T>(policy: &'static LazyPolicy, request: &http::Request<T>) -> After<'static> {
    crate::decision::actual(policy.get(), request)
}

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

/// What a buffered handler may return on success.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a response: a `#[cors]` handler returns `Result<T, E>` with `T: lambda_http::IntoResponse`",
    label = "`{Self}` does not implement `lambda_http::IntoResponse`",
    note = "return `Response<Body>`, `String`, `&'static str`, `serde_json::Value` or another `IntoResponse` type; for a streaming body, add `streaming` to `#[cors(...)]`"
)]
pub trait HandlerOutput: IntoResponse {}

impl<T: IntoResponse> HandlerOutput for T {}

/// Anything else goes through `lambda_http::IntoResponse`, as `lambda_http::run` would do.
pub trait ViaIntoResponse<T> {
    /// The response `lambda_http` would make of the value.
    fn take_response(&mut self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>>
    where
        T: HandlerOutput;
}

impl<T> ViaIntoResponse<T> for &mut Output<T> {
    fn take_response(&mut self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>>
    where
        T: HandlerOutput,
    {
        match self.0.take() {
            Some(value) => value.into_response(),
            None => Box::pin(ready(Response::default())),
        }
    }
}

/// With `catch_errors`: the response for a handler that returned `Err` or panicked, a 500 with
/// API Gateway's own error body and no detail of the failure (the log has it).
pub fn error_response() -> Response<Body> {
    let mut response = Response::new(Body::from(r#"{"message":"Internal Server Error"}"#));
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// With `catch_errors` on a streaming handler: a 500 with an empty body of the handler's type.
pub fn empty_error_response<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}

/// Logs a handler's `Err` turned into a 500.
pub fn log_error<E: std::fmt::Debug>(policy: &LazyPolicy, error: &E) {
    tracing::error!(
        target: "cors_runtime",
        policy = %policy.source(),
        error = ?error,
        "handler returned an error; answering 500 with CORS headers"
    );
}

/// Logs a handler's panic turned into a 500.
pub fn log_panic(policy: &LazyPolicy, payload: &(dyn std::any::Any + Send)) {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>");
    tracing::error!(
        target: "cors_runtime",
        policy = %policy.source(),
        panic = message,
        "handler panicked; answering 500 with CORS headers"
    );
}

/// Runs `future` to completion, turning a panic in any of its polls into `Err(payload)`.
///
/// Unwind safety: after a panic the future is never polled again, only dropped, and nothing
/// here observes state it may have left half-updated. State the handler shares with later
/// invocations is the handler's to guard, as it would be under `lambda_runtime`'s own panic
/// handling (a poisoned `Mutex` stays poisoned).
pub async fn catch_unwind<F: Future>(
    future: F,
) -> Result<F::Output, Box<dyn std::any::Any + Send>> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(output)) => std::task::Poll::Ready(Ok(output)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(payload) => std::task::Poll::Ready(Err(payload)),
        }
    })
    .await
}
