//! The one future that carries a decision to the response, for `#[cors]` handlers and layers
//! alike: a preflight's answer, ready; or the handler's (or inner service's) future and the
//! decision for its response, finished by [`After::finish`] when it is ready.
//!
//! What differs between front ends is a type parameter, not another future: [`Shape`], how
//! the success value carries the headers, and [`OnFailure`], what becomes of an `Err` or a
//! panic. A layer is `CorsFuture<_, _, Direct, Propagate>`.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::Response;
use pin_project_lite::pin_project;

use crate::decision::After;
use crate::policy_source::PolicySource;

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

/// How a success value carries the headers: [`Direct`] for a `Response<B>`, which keeps its
/// type; with the `lambda` feature, `Converted` for any other `IntoResponse` value.
pub trait Shape<T, B> {
    /// What the future answers on success.
    type Output;
    /// The answer to a preflight (or a caught failure), with the headers already on it.
    fn response(response: Response<B>) -> Self::Output;
    /// The handler's value, with the headers put on it now or when it is converted.
    fn finish(value: T, after: After) -> Self::Output;
}

/// The success value is a `Response<B>`: the headers go straight onto it.
#[derive(Debug)]
pub struct Direct;

impl<B> Shape<Response<B>, B> for Direct {
    type Output = Response<B>;

    #[inline]
    fn response(response: Response<B>) -> Response<B> {
        response
    }

    #[inline]
    fn finish(value: Response<B>, after: After) -> Response<B> {
        after.finish(value)
    }
}

/// What becomes of an `Err` and of a panic: returned and propagated ([`Propagate`]), or, under
/// `catch_errors`, logged and answered with a `500` that carries the CORS headers.
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

/// An `Err` is returned unchanged and a panic propagates (a layer, and `#[cors]` without
/// `catch_errors`).
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

pin_project! {
    /// The future of a request under a CORS policy. `F` is the handler's (or inner service's)
    /// future, `B` the body of a preflight's answer, `S` the [`Shape`] of its success value and
    /// `C` what happens to a failure ([`OnFailure`]).
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
            after: Option<After>,
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
    pub fn handler(future: F, after: After) -> Self {
        Self {
            state: State::Handler {
                future,
                after: Some(after),
            },
            shape: PhantomData,
        }
    }
}

impl<F, B, S, C> fmt::Debug for CorsFuture<F, B, S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsFuture").finish_non_exhaustive()
    }
}

const POLLED_AFTER_COMPLETION: &str = "a CORS future polled after it completed";

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
