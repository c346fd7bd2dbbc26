//! `catch_errors`: a handler's `Err` or panic becomes a `500` that carries the CORS headers the
//! origin gets, logged through `tracing`, with no detail in the body.

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use http::Response;

use crate::future::OnFailure;
use crate::policy_source::PolicySource;

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

/// Logs a handler's panic turned into a 500.
fn log_panic(policy: PolicySource, payload: &(dyn std::any::Any + Send)) {
    tracing::error!(
        target: "cors_runtime",
        policy = %policy,
        panic = crate::panic::message(payload),
        "handler panicked; answering 500 with CORS headers"
    );
}
