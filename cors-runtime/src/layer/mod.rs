//! The same policy and decision code as `#[cors]`, as a tower [`Layer`]: for an axum `Router`
//! served by `lambda_http::run` or `axum::serve`, and for any tower HTTP service.
//!
//! The layer holds where its policy is; each request is decided by the same code as a
//! `#[cors]` handler's and carried to its response by the same future.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::decision::{self, Before};
use crate::future::{CorsFuture, Direct, Propagate};
use crate::policy::{LazyPolicy, Policy, PolicyRef};
use crate::policy_source::PolicySource;

mod builder;

pub use builder::{CorsLayerBuilder, Seconds};

/// A CORS policy as a tower [`Layer`]: [`cors_layer!`](crate::cors_layer) makes one from
/// arguments checked at compile time, and [`CorsLayer::builder`] from a configuration known
/// only at run time.
///
/// The service it makes answers preflights itself (with an empty body of the inner service's
/// response body type, which needs [`Default`]) and puts the policy's headers on every other
/// response of the inner service, exactly as `#[cors]` does on a handler's. Bodies pass through
/// untouched, streaming ones included. The layer is cheap to clone: it holds a reference to its
/// policy, which is built once.
///
/// ```
/// use cors_runtime::{CorsLayer, cors_layer};
///
/// let layer: CorsLayer = cors_layer!(origins = ["https://app.example.com"], credentials);
/// assert_eq!(layer.policy().file(), file!());
/// ```
#[derive(Clone)]
#[must_use = "a layer does nothing until it wraps a service"]
pub struct CorsLayer {
    policy: LayerPolicy,
}

/// Where a layer's policy lives: in the `static` its macro call made (built on first use, so
/// [`check`](crate::check) sees it), or shared by the clones of a layer built at run time.
#[derive(Clone)]
enum LayerPolicy {
    Static(&'static LazyPolicy),
    Built(Arc<Policy>),
}

impl LayerPolicy {
    /// The policy a request is decided by.
    #[inline]
    fn resolve(&self) -> PolicyRef {
        match self {
            LayerPolicy::Static(policy) => policy.resolve(),
            LayerPolicy::Built(policy) => PolicyRef::Shared(Arc::clone(policy)),
        }
    }

    fn source(&self) -> PolicySource {
        match self {
            LayerPolicy::Static(policy) => policy.source(),
            LayerPolicy::Built(policy) => policy.source,
        }
    }
}

impl CorsLayer {
    /// The layer of a `cors_layer!` call's policy.
    pub(crate) fn of_static(policy: &'static LazyPolicy) -> Self {
        Self {
            policy: LayerPolicy::Static(policy),
        }
    }

    /// A builder for a policy known only at run time (read from a file or a parameter store at
    /// cold start). Prefer [`cors_layer!`](crate::cors_layer), which checks its arguments when
    /// the crate compiles.
    ///
    /// ```
    /// use cors_runtime::CorsLayer;
    ///
    /// let layer = CorsLayer::builder()
    ///     .origins(["https://app.example.com", "https://*.preview.example.com"])
    ///     .credentials(true)
    ///     .expose_headers(["x-request-id"])
    ///     .build()?;
    /// # Ok::<(), cors_runtime::ConfigErrors>(())
    /// ```
    pub fn builder() -> CorsLayerBuilder {
        CorsLayerBuilder::default()
    }

    /// Where the policy was written.
    #[must_use]
    pub fn policy(&self) -> PolicySource {
        self.policy.source()
    }
}

impl fmt::Debug for CorsLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsLayer")
            .field("policy", &self.policy.source())
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> CorsService<S> {
        CorsService {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// The service a [`CorsLayer`] makes around `S`.
#[derive(Clone)]
pub struct CorsService<S> {
    inner: S,
    policy: LayerPolicy,
}

impl<S: fmt::Debug> fmt::Debug for CorsService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsService")
            .field("policy", &self.policy.source())
            .field("inner", &self.inner)
            .finish()
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CorsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        ResponseFuture {
            inner: match decision::before(self.policy.resolve(), &request) {
                Before::Respond(preflight) => CorsFuture::preflight(preflight),
                Before::Continue(after) => CorsFuture::handler(self.inner.call(request), after),
            },
        }
    }
}

pin_project! {
    /// The future of a [`CorsService`]'s response: the same future as a `#[cors]` handler's,
    /// for a service that answers `Response<B>` and propagates its errors.
    pub struct ResponseFuture<F, B> {
        #[pin]
        inner: CorsFuture<F, B, Direct, Propagate>,
    }
}

impl<F, B> fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx)
    }
}
