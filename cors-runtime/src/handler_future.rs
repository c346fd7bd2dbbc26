//! What a handler under `#[cors]` returns: the policy's decision is made when the handler is
//! called, before its future exists; a preflight is answered without creating it, and otherwise
//! the future holds the handler's own future and the decision, nothing else (no second copy of
//! the request), and puts the headers on the handler's response when it is ready.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use lambda_http::{Body, IntoResponse, Response};
use pin_project_lite::pin_project;

use crate::decision::After;
use crate::error::PolicySource;

/// A handler's `Result` under any name (`anyhow::Result<T>`, `io::Result<T>`, …).
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

/// How a handler's success value carries the headers: [`Direct`] for a `Response<B>`, which
/// keeps its type, [`Converted`] for any other `IntoResponse` value, which becomes a
/// [`CorsResponse`] that `lambda_http` converts once.
pub trait Shape<T, B> {
    /// What the handler under `#[cors]` returns on success.
    type Output;
    /// The answer to a preflight (or a caught failure), with the headers already on it.
    fn response(response: Response<B>) -> Self::Output;
    /// The handler's value, with the headers put on it now or when it is converted.
    fn finish(value: T, after: After<'static>) -> Self::Output;
}

/// The handler returns `Response<B>`: the headers go straight onto it.
#[derive(Debug)]
pub struct Direct;

impl<B> Shape<Response<B>, B> for Direct {
    type Output = Response<B>;

    #[inline]
    fn response(response: Response<B>) -> Response<B> {
        response
    }

    #[inline]
    fn finish(value: Response<B>, after: After<'static>) -> Response<B> {
        after.finish(value)
    }
}

/// The handler returns another `IntoResponse` value: it is converted once, by `lambda_http`,
/// and the headers go onto the result.
#[derive(Debug)]
pub struct Converted;

impl<T> Shape<T, Body> for Converted {
    type Output = CorsResponse<T>;

    fn response(response: Response<Body>) -> CorsResponse<T> {
        CorsResponse(Inner::Ready(response))
    }

    fn finish(value: T, after: After<'static>) -> CorsResponse<T> {
        CorsResponse(Inner::Value(value, after))
    }
}

/// What a handler under `#[cors]` that does not return `Response<…>` returns on success: its
/// own value (`impl IntoResponse`) and the CORS headers to put on the response `lambda_http`
/// makes of it. It implements [`lambda_http::IntoResponse`], so `lambda_http::run` converts the
/// value once, as it would without `#[cors]`.
///
/// In a test that calls the handler directly, [`into_response`](CorsResponse::into_response)
/// gives that response (or use [`testing`](crate::testing), which does it for you).
///
/// ```
/// use cors_runtime::cors;
/// use lambda_http::{Error, IntoResponse, Request};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<impl IntoResponse, Error> {
///     Ok(String::from("hello"))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let event = cors_runtime::testing::request(lambda_http::http::Method::GET, "/")
///     .origin("https://app.example.com")
///     .build();
/// let response = handler(event).await?.into_response().await;
/// assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
/// assert_eq!(response.headers()["vary"], "Origin");
/// # Ok(())
/// # }
/// ```
pub struct CorsResponse<T>(Inner<T>);

enum Inner<T> {
    /// A preflight's answer, or a caught failure's: headers already set.
    Ready(Response<Body>),
    /// The handler's value and the decision for its response.
    Value(T, After<'static>),
}

impl<T> fmt::Debug for CorsResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsResponse").finish_non_exhaustive()
    }
}

impl<T: IntoResponse> CorsResponse<T> {
    /// The response `lambda_http` would send: the value converted, with the CORS headers.
    pub async fn into_response(self) -> Response<Body> {
        IntoResponse::into_response(self).await
    }
}

impl<T: IntoResponse> IntoResponse for CorsResponse<T> {
    fn into_response(self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
        match self.0 {
            Inner::Ready(response) => Box::pin(std::future::ready(response)),
            Inner::Value(value, after) => {
                let response = value.into_response();
                Box::pin(async move { after.finish(response.await) })
            }
        }
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

/// What becomes of a handler's `Err` and panics: returned and propagated ([`Propagate`]), or
/// logged and answered with a `500` that carries the CORS headers (`catch_errors`).
pub trait OnFailure<B, E> {
    /// Whether failures are caught (`poll` catches panics, `error` answers).
    const CATCHES: bool;

    /// Polls the handler's future; `None` when it panicked (and the panic was logged).
    fn poll<F: Future>(
        future: Pin<&mut F>,
        cx: &mut Context<'_>,
        policy: PolicySource,
    ) -> Poll<Option<F::Output>>;

    /// What the handler's `Err` becomes: itself, or a `500` answer.
    fn error(error: E, policy: PolicySource) -> Result<Response<B>, E>;

    /// The answer to a panic (only asked after `poll` caught one).
    fn panicked() -> Response<B>;
}

/// Without `catch_errors`: an `Err` is returned unchanged and a panic propagates.
#[derive(Debug)]
pub struct Propagate;

impl<B, E> OnFailure<B, E> for Propagate {
    const CATCHES: bool = false;

    #[inline]
    fn poll<F: Future>(
        future: Pin<&mut F>,
        cx: &mut Context<'_>,
        _: PolicySource,
    ) -> Poll<Option<F::Output>> {
        future.poll(cx).map(Some)
    }

    #[inline]
    fn error(error: E, _: PolicySource) -> Result<Response<B>, E> {
        Err(error)
    }

    fn panicked() -> Response<B> {
        unreachable!("`Propagate` lets panics unwind")
    }
}

/// `catch_errors` on a buffered handler: API Gateway's own JSON error body.
#[derive(Debug)]
pub struct CatchWithJson;

/// `catch_errors` on a streaming handler: an empty body of its type.
#[derive(Debug)]
pub struct CatchWithEmpty;

/// The `500` of a caught failure, with `body`.
fn internal_error<B>(body: B, json: bool) -> Response<B> {
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    if json {
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
    }
    response
}

/// Polls `future`, catching a panic in the poll.
///
/// Unwind safety: after a panic the handler's future is never polled again, only dropped, and
/// nothing here observes state it may have left half-updated. State the handler shares with
/// later invocations is the handler's to guard, as it would be under `lambda_runtime`'s own
/// panic handling (a poisoned `Mutex` stays poisoned).
fn poll_catching<F: Future>(
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
    policy: PolicySource,
) -> Poll<Option<F::Output>> {
    match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
        Ok(poll) => poll.map(Some),
        Err(payload) => {
            log_panic(policy, &*payload);
            Poll::Ready(None)
        }
    }
}

/// `OnFailure` for a `catch_errors` strategy: `poll` catches panics, an `Err` is logged and
/// answered like a panic, with `$panicked` (a `Response<B>` for the `B` bound by `$body`).
macro_rules! catching {
    ($strategy:ty, B: $body:path, $panicked:expr) => {
        impl<B: $body, E: fmt::Debug> OnFailure<B, E> for $strategy {
            const CATCHES: bool = true;

            #[inline]
            fn poll<F: Future>(
                future: Pin<&mut F>,
                cx: &mut Context<'_>,
                policy: PolicySource,
            ) -> Poll<Option<F::Output>> {
                poll_catching(future, cx, policy)
            }

            #[inline]
            fn error(error: E, policy: PolicySource) -> Result<Response<B>, E> {
                log_error(policy, &error);
                Ok(<Self as OnFailure<B, E>>::panicked())
            }

            fn panicked() -> Response<B> {
                $panicked
            }
        }
    };
}

catching!(
    CatchWithJson,
    B: From<&'static str>,
    internal_error(B::from(r#"{"message":"Internal Server Error"}"#), true)
);
catching!(CatchWithEmpty, B: Default, internal_error(B::default(), false));

/// Logs a handler's `Err` turned into a 500.
fn log_error<E: fmt::Debug>(policy: PolicySource, error: &E) {
    tracing::error!(
        target: "cors_runtime",
        policy = %policy,
        error = ?error,
        "handler returned an error; answering 500 with CORS headers"
    );
}

/// A panic's message: its payload when that is a string.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}

/// Logs a handler's panic turned into a 500.
fn log_panic(policy: PolicySource, payload: &(dyn std::any::Any + Send)) {
    tracing::error!(
        target: "cors_runtime",
        policy = %policy,
        panic = panic_message(payload),
        "handler panicked; answering 500 with CORS headers"
    );
}

pin_project! {
    /// The future a handler under `#[cors]` returns. `F` is the handler's own future, `B` the
    /// body of a preflight's answer, `S` the [`Shape`] of its success value and `C` what
    /// happens to a failure ([`OnFailure`]).
    pub struct CorsFuture<F, B, S, C> {
        #[pin]
        state: State<F, B>,
        shape: PhantomData<fn() -> (S, C)>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B> {
        /// Answered without calling the handler.
        Preflight { response: Option<Response<B>> },
        /// The handler's future, and the decision for its response.
        Handler {
            #[pin]
            future: F,
            after: Option<After<'static>>,
        },
    }
}

impl<F, B, S, C> CorsFuture<F, B, S, C> {
    /// A preflight, answered.
    #[inline]
    pub fn preflight(response: Response<B>) -> Self {
        Self {
            state: State::Preflight {
                response: Some(response),
            },
            shape: PhantomData,
        }
    }

    /// The handler's future, and the decision `after` for its response.
    #[inline]
    pub fn handler(future: F, after: After<'static>) -> Self {
        Self {
            state: State::Handler {
                future,
                after: Some(after),
            },
            shape: PhantomData,
        }
    }
}

/// [`CorsFuture::handler`] for a handler whose success value is not a `Response<…>`: its type is
/// checked here, where a mistake reads best.
#[inline]
pub fn converted<F, C>(future: F, after: After<'static>) -> CorsFuture<F, Body, Converted, C>
where
    F: Future,
    F::Output: HandlerResult,
    <F::Output as HandlerResult>::Ok: HandlerOutput,
{
    CorsFuture::handler(future, after)
}

impl<F, B, S, C> fmt::Debug for CorsFuture<F, B, S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsFuture").finish_non_exhaustive()
    }
}

const POLLED_AFTER_COMPLETION: &str = "a `#[cors]` handler's future polled after it completed";

impl<F, B, S, C> Future for CorsFuture<F, B, S, C>
where
    F: Future,
    F::Output: HandlerResult,
    S: Shape<<F::Output as HandlerResult>::Ok, B>,
    C: OnFailure<B, <F::Output as HandlerResult>::Error>,
{
    type Output = Result<S::Output, <F::Output as HandlerResult>::Error>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (future, after) = match self.project().state.project() {
            StateProjection::Preflight { response } => {
                let response = response.take().expect(POLLED_AFTER_COMPLETION);
                return Poll::Ready(Ok(S::response(response)));
            }
            StateProjection::Handler { future, after } => (future, after),
        };
        if !C::CATCHES {
            // The common case, in as few moves of the response as possible.
            return match ready!(future.poll(cx)).into_result() {
                Ok(value) => {
                    let after = after.take().expect(POLLED_AFTER_COMPLETION);
                    Poll::Ready(Ok(S::finish(value, after)))
                }
                Err(error) => Poll::Ready(Err(error)),
            };
        }
        let policy = after.as_ref().expect(POLLED_AFTER_COMPLETION).source();
        let outcome = ready!(C::poll(future, cx, policy));
        let after = after.take().expect(POLLED_AFTER_COMPLETION);
        Poll::Ready(match outcome.map(HandlerResult::into_result) {
            Some(Ok(value)) => Ok(S::finish(value, after)),
            Some(Err(error)) => {
                C::error(error, policy).map(|failed| S::response(after.finish(failed)))
            }
            None => Ok(S::response(after.finish(C::panicked()))),
        })
    }
}
