//! The same policy and decision code as `#[cors]`, as a tower [`Layer`]: for an axum `Router`
//! served by `lambda_http::run`, and for any tower HTTP service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{HeaderValue, Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::decision::{self, Before};
use crate::error::{ConfigErrors, PolicySource};
use crate::origin::Origin;
use crate::policy::{LazyPolicy, Policy, Spec};
use crate::predicate::Predicate;

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
    policy: PolicyRef,
}

/// Where a layer's policy lives: in the `static` its macro call made (built on first use, so
/// [`check`](crate::check) sees it), or shared by the clones of a layer built at run time.
#[derive(Clone)]
enum PolicyRef {
    Static(&'static LazyPolicy),
    Shared(Arc<Policy>),
}

impl PolicyRef {
    fn get(&self) -> &Policy {
        match self {
            PolicyRef::Static(policy) => policy.get(),
            PolicyRef::Shared(policy) => policy,
        }
    }

    fn source(&self) -> PolicySource {
        match self {
            PolicyRef::Static(policy) => policy.source(),
            PolicyRef::Shared(policy) => policy.source,
        }
    }
}

impl CorsLayer {
    /// The layer of a `cors_layer!` call's policy.
    pub(crate) fn of_static(policy: &'static LazyPolicy) -> Self {
        Self {
            policy: PolicyRef::Static(policy),
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
    policy: PolicyRef,
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
        let state = match decision::before(self.policy.get(), &request) {
            Before::Respond(preflight) => State::Preflight {
                response: Some(preflight),
            },
            Before::Continue(after) => State::Inner {
                allow_origin: after.into_allow_origin(),
                future: self.inner.call(request),
                policy: self.policy.clone(),
            },
        };
        ResponseFuture { state }
    }
}

pin_project! {
    /// The future of a [`CorsService`]'s response.
    pub struct ResponseFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B> {
        Preflight { response: Option<Response<B>> },
        Inner {
            #[pin]
            future: F,
            policy: PolicyRef,
            allow_origin: Option<HeaderValue>,
        },
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

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProjection::Preflight { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => panic!("`ResponseFuture` polled after it completed"),
            },
            StateProjection::Inner {
                future,
                policy,
                allow_origin,
            } => {
                let mut response = std::task::ready!(future.poll(cx))?;
                let allow_origin = allow_origin.take();
                decision::apply(policy.get(), allow_origin, response.headers_mut());
                Poll::Ready(Ok(response))
            }
        }
    }
}

/// Builds a [`CorsLayer`] from a configuration known only at run time, with the same rules as
/// [`cors_layer!`](crate::cors_layer) and `#[cors]`: [`build`](Self::build) returns every
/// problem at once, each a [`ConfigError`](crate::ConfigError) with its kind, and never panics.
///
/// Each method takes what the attribute argument of the same name takes: origins are entries
/// as browsers send them (`https://app.example.com`, `https://*.example.com`, or `*` alone),
/// methods and header names as strings. The policy is built once, in `build`, and shared by
/// the layer's clones; [`check`](crate::check) does not see it, since `build` has already
/// returned its problems.
///
/// ```
/// use cors_runtime::{ConfigErrorKind, CorsLayer};
///
/// // Say, read from a parameter store at cold start.
/// let configured = ["https://app.example.com", "https://admin.example.com/"];
/// let errors = CorsLayer::builder()
///     .origins(configured)
///     .credentials(true)
///     .headers(["*"])
///     .build()
///     .unwrap_err();
/// let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
/// assert_eq!(
///     kinds,
///     [ConfigErrorKind::InvalidOrigin, ConfigErrorKind::WildcardWithCredentials],
/// );
/// assert_eq!(errors.iter().next().unwrap().fix(), Some("https://admin.example.com"));
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct CorsLayerBuilder {
    origins: Vec<String>,
    origins_env: Option<String>,
    origins_fn: Option<Predicate>,
    credentials: bool,
    allow_insecure_http: bool,
    methods: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    expose_headers: Vec<String>,
    max_age: Option<u64>,
    preflight: bool,
}

impl fmt::Debug for CorsLayerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsLayerBuilder")
            .field("origins", &self.origins)
            .field("origins_env", &self.origins_env)
            .field("origins_fn", &self.origins_fn)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Default for CorsLayerBuilder {
    fn default() -> Self {
        Self {
            origins: Vec::new(),
            origins_env: None,
            origins_fn: None,
            credentials: false,
            allow_insecure_http: false,
            methods: None,
            headers: None,
            expose_headers: Vec::new(),
            max_age: None,
            preflight: true,
        }
    }
}

/// `items` borrowed as the runtime's `Spec` takes them.
fn list(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl CorsLayerBuilder {
    /// The origins that may read responses (`origins = [...]`), added to any given before;
    /// `["*"]` for any origin.
    pub fn origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.origins.extend(strings(origins));
        self
    }

    /// An environment variable holding more origins, read once, in [`build`](Self::build)
    /// (`origins_env = "VAR"`).
    pub fn origins_env(mut self, variable: impl Into<String>) -> Self {
        self.origins_env = Some(variable.into());
        self
    }

    /// A predicate asked about origins the lists do not name (`origins_fn = path`): at most
    /// once per request, only about an origin exactly as a browser sends it, and never under
    /// `*`. A panic inside it refuses the origin (where the binary unwinds).
    ///
    /// ```
    /// use cors_runtime::{CorsLayer, Origin};
    ///
    /// let tenants = ["acme", "globex"];
    /// let layer = CorsLayer::builder()
    ///     .origins_fn(move |origin: &Origin| {
    ///         origin.scheme() == "https"
    ///             && origin.port().is_none()
    ///             && origin
    ///                 .host()
    ///                 .strip_suffix(".tenants.example.com")
    ///                 .is_some_and(|tenant| tenants.contains(&tenant))
    ///     })
    ///     .credentials(true)
    ///     .build()?;
    /// # Ok::<(), cors_runtime::ConfigErrors>(())
    /// ```
    pub fn origins_fn<F>(mut self, predicate: F) -> Self
    where
        F: Fn(&Origin) -> bool + Send + Sync + 'static,
    {
        self.origins_fn = Some(Predicate::Closure(Arc::new(predicate)));
        self
    }

    /// Whether requests with credentials (cookies) may read responses (`credentials`).
    pub fn credentials(mut self, credentials: bool) -> Self {
        self.credentials = credentials;
        self
    }

    /// With credentials, accept plain-http origins on hosts other than loopback ones
    /// (`allow_insecure_http`).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// `Access-Control-Allow-Methods` in preflight answers (`methods = [...]`).
    pub fn methods<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.methods = Some(strings(methods));
        self
    }

    /// `Access-Control-Allow-Headers` in preflight answers (`headers = [...]`); without it, what
    /// an allowed origin's preflight asks for is reflected.
    pub fn headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.headers = Some(strings(headers));
        self
    }

    /// `Access-Control-Expose-Headers` on actual responses (`expose_headers = [...]`).
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.expose_headers = strings(headers);
        self
    }

    /// `Access-Control-Max-Age` in preflight answers, in seconds (`max_age = N`).
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Whether the layer answers preflights (`preflight = false` hands them to the service).
    pub fn preflight(mut self, answer: bool) -> Self {
        self.preflight = answer;
        self
    }

    /// Checks the configuration, reads the origins variable if one was given, and builds the
    /// layer; or returns every problem found. Messages name this call's place in the source.
    #[track_caller]
    pub fn build(self) -> Result<CorsLayer, ConfigErrors> {
        let origins = list(&self.origins);
        let methods = self.methods.as_deref().map(list);
        let headers = self.headers.as_deref().map(list);
        let expose_headers = list(&self.expose_headers);
        let spec = Spec {
            source: PolicySource::built_here(),
            origins: &origins,
            origins_env: self.origins_env.as_deref(),
            origins_fn: self.origins_fn.clone(),
            credentials: self.credentials,
            allow_insecure_http: self.allow_insecure_http,
            methods: methods.as_deref(),
            headers: headers.as_deref(),
            expose_headers: &expose_headers,
            max_age: self.max_age,
            preflight: self.preflight,
        };
        let env = self.origins_env.as_deref().map(std::env::var_os);
        let policy = Policy::build(&spec, env.as_ref().map(|value| value.as_deref()));
        if !policy.errors.is_empty() {
            return Err(policy.errors);
        }
        Ok(CorsLayer {
            policy: PolicyRef::Shared(Arc::new(policy)),
        })
    }
}
