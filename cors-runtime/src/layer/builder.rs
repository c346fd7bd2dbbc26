//! [`CorsLayerBuilder`]: a layer's policy from a configuration known only at run time, checked
//! by the same rules as the macros' arguments.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{CorsLayer, LayerPolicy};
use crate::error::ConfigErrors;
use crate::origin::Origin;
use crate::policy::{Policy, Spec};
use crate::policy_source::PolicySource;
use crate::predicate::Predicate;

/// Builds a [`CorsLayer`] from a configuration known only at run time, with the same rules as
/// [`cors_layer!`](crate::cors_layer) and `#[cors]`: [`build`](Self::build) returns every
/// problem at once, each a [`ConfigError`](crate::ConfigError) with its kind, and never panics.
///
/// Each method takes what the attribute argument of the same name takes: origins are entries
/// as browsers send them (`https://app.example.com`, `https://*.example.com`, or `*` alone);
/// methods and header names as the `http` crate's [`Method`](http::Method) and
/// [`HeaderName`](http::HeaderName) or as strings; `max_age` as a
/// [`Duration`](std::time::Duration) or in seconds. The policy is built once, in `build`, and
/// shared by the layer's clones; [`check`](crate::check) does not see it, since `build` has
/// already returned its problems.
///
/// ```
/// use std::time::Duration;
///
/// use cors_runtime::CorsLayer;
/// use http::{Method, header};
///
/// let layer = CorsLayer::builder()
///     .origins(["https://app.example.com"])
///     .methods([Method::GET, Method::PUT])
///     .headers([header::CONTENT_TYPE, header::AUTHORIZATION])
///     .expose_headers(["x-request-id"])
///     .max_age(Duration::from_secs(600))
///     .build()?;
/// # Ok::<(), cors_runtime::ConfigErrors>(())
/// ```
///
/// Every problem comes back at once, each with its kind:
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
#[derive(Clone, Default)]
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
    /// `None` until set: the default is [`Spec::new`]'s, as for every argument not given.
    preflight: Option<bool>,
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

/// `items` borrowed as the runtime's `Spec` takes them.
fn list(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    items
        .into_iter()
        .map(|item| item.as_ref().to_owned())
        .collect()
}

/// A length of time `max_age` takes: a [`Duration`] (whole seconds: a fraction is dropped) or
/// a number of seconds (`u64`).
pub trait Seconds: sealed::Sealed {
    /// The whole seconds.
    fn whole_seconds(self) -> u64;
}

impl Seconds for u64 {
    fn whole_seconds(self) -> u64 {
        self
    }
}

impl Seconds for Duration {
    fn whole_seconds(self) -> u64 {
        self.as_secs()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for u64 {}
    impl Sealed for std::time::Duration {}
}

impl CorsLayerBuilder {
    /// The origins that may read responses (`origins = [...]`), added to any given before;
    /// `["*"]` for any origin.
    pub fn origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
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
        I::Item: AsRef<str>,
    {
        self.methods = Some(strings(methods));
        self
    }

    /// `Access-Control-Allow-Headers` in preflight answers (`headers = [...]`); without it, what
    /// an allowed origin's preflight asks for is reflected.
    pub fn headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.headers = Some(strings(headers));
        self
    }

    /// `Access-Control-Expose-Headers` on actual responses (`expose_headers = [...]`).
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.expose_headers = strings(headers);
        self
    }

    /// `Access-Control-Max-Age` in preflight answers (`max_age = N`): a [`Duration`] or a
    /// number of seconds.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let layer = cors_runtime::CorsLayer::builder()
    ///     .origins(["https://app.example.com"])
    ///     .max_age(Duration::from_secs(3600)) // or `.max_age(3600)`
    ///     .build()?;
    /// # Ok::<(), cors_runtime::ConfigErrors>(())
    /// ```
    pub fn max_age(mut self, max_age: impl Seconds) -> Self {
        self.max_age = Some(max_age.whole_seconds());
        self
    }

    /// Whether the layer answers preflights (`preflight = false` hands them to the service).
    pub fn preflight(mut self, answer: bool) -> Self {
        self.preflight = Some(answer);
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
        let defaults = Spec::new(PolicySource::built_here());
        let spec = Spec {
            origins: &origins,
            origins_env: self.origins_env.as_deref(),
            origins_fn: self.origins_fn.clone(),
            credentials: self.credentials,
            allow_insecure_http: self.allow_insecure_http,
            methods: methods.as_deref(),
            headers: headers.as_deref(),
            expose_headers: &expose_headers,
            max_age: self.max_age,
            preflight: self.preflight.unwrap_or(defaults.preflight),
            ..defaults
        };
        let policy = Policy::from_environment(&spec);
        if !policy.errors.is_empty() {
            return Err(policy.errors);
        }
        Ok(CorsLayer {
            policy: LayerPolicy::Built(Arc::new(policy)),
        })
    }
}
