//! [`with_env`]: a value of an origins variable for one future, without touching the process
//! environment.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use crate::policy::Override;

/// Runs `future` as if the environment variable `variable` held `value`, for every CORS policy
/// that reads it (`#[cors(origins_env = ...)]`, `cors_layer!(origins_env = ...)`, a builder's
/// `origins_env` built inside, and [`check`](crate::check)): each such policy is built anew
/// from that value, once, on its first use inside `future`.
///
/// Only `future` sees the value: other tests, running at the same time on other threads or
/// interleaved on this one, see theirs or the process environment; nothing is written to the
/// environment. An inner `with_env` for the same variable wins.
///
/// ```
/// use cors_runtime::{cors, testing};
/// use lambda_http::http::Method;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins_env = "ALLOWED_ORIGINS")]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let from = |origin| testing::request(Method::GET, "/").origin(origin).send_to(handler);
/// let staging = testing::with_env("ALLOWED_ORIGINS", "https://staging.example.com", async {
///     (from("https://staging.example.com").await, from("https://app.example.com").await)
/// });
/// let (staging, app) = staging.await;
/// assert_eq!(staging?.allowed_origin(), Some("https://staging.example.com"));
/// assert_eq!(app?.allowed_origin(), None);
/// # Ok(())
/// # }
/// ```
pub fn with_env<F: Future>(variable: &str, value: &str, future: F) -> WithEnv<F> {
    WithEnv {
        future,
        scope: Override::new(variable, Some(value)),
    }
}

/// Runs `future` as if the environment variable `variable` were not set, for every CORS policy
/// that reads it: see [`with_env`].
///
/// ```standalone_crate
/// use cors_runtime::{ConfigErrorKind, cors, testing};
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"], origins_env = "EXTRA_ORIGINS")]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let errors = testing::without_env("EXTRA_ORIGINS", async { cors_runtime::check() })
///     .await
///     .unwrap_err();
/// assert_eq!(errors.iter().next().unwrap().kind(), ConfigErrorKind::EnvVariableNotSet);
/// # }
/// ```
pub fn without_env<F: Future>(variable: &str, future: F) -> WithEnv<F> {
    WithEnv {
        future,
        scope: Override::new(variable, None),
    }
}

pin_project! {
    /// The future of [`with_env`] and [`without_env`]: `F`, with the variable's value in force
    /// while it is polled.
    #[must_use = "futures do nothing unless polled"]
    pub struct WithEnv<F> {
        #[pin]
        future: F,
        scope: Arc<Override>,
    }
}

impl<F> fmt::Debug for WithEnv<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithEnv")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl<F: Future> Future for WithEnv<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let future = this.future;
        Override::scope(this.scope, || future.poll(cx))
    }
}
