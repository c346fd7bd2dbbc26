//! A policy's arguments, as written, and the defaults of those not written.

use crate::policy_source::PolicySource;
use crate::predicate::Predicate;

/// The arguments of one policy: a `#[cors(...)]` or `cors_layer!(...)` call as the macro
/// generates them, or a `CorsLayerBuilder`'s settings. The
/// macro has already checked every literal with the same rules; the runtime checks them again
/// when it builds the policy anyway, so a hand-written `Spec` can never widen a whitelist
/// either.
#[derive(Debug)]
pub struct Spec<'a> {
    /// Where the policy was written, for messages.
    pub source: PolicySource,
    /// `origins = [...]` (or `["*"]` for `origins = "*"`); empty when not given.
    pub origins: &'a [&'a str],
    /// `origins_env = "VAR"`.
    pub origins_env: Option<&'a str>,
    /// `origins_fn = path`: asked about origins the lists do not name.
    pub origins_fn: Option<Predicate>,
    /// `credentials`.
    pub credentials: bool,
    /// `allow_insecure_http`: plain-http origins on non-loopback hosts with credentials.
    pub allow_insecure_http: bool,
    /// `methods = [...]`; `None` for the default.
    pub methods: Option<&'a [&'a str]>,
    /// `headers = [...]`; `None` to mirror what an allowed origin's preflight asks for.
    pub headers: Option<&'a [&'a str]>,
    /// `expose_headers = [...]`.
    pub expose_headers: &'a [&'a str],
    /// `max_age = N`; `None` for the default.
    pub max_age: Option<u64>,
    /// `preflight = false` hands preflights to the handler.
    pub preflight: bool,
}

impl<'a> Spec<'a> {
    /// The arguments of a policy written at `source` that sets none: no origin, the default
    /// methods, headers mirrored, the default max age, preflights answered. The one default
    /// of every argument.
    #[must_use]
    pub const fn new(source: PolicySource) -> Self {
        Spec {
            source,
            origins: &[],
            origins_env: None,
            origins_fn: None,
            credentials: false,
            allow_insecure_http: false,
            methods: None,
            headers: None,
            expose_headers: &[],
            max_age: None,
            preflight: true,
        }
    }
}

/// `Access-Control-Max-Age` when `max_age` is not given: ten minutes of preflight caching, short
/// enough that a tightened policy reaches browsers soon.
///
/// ```
/// use cors_runtime::{DEFAULT_MAX_AGE, cors, testing};
/// use lambda_http::http::Method;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let preflight = testing::preflight("https://app.example.com", Method::PUT)
///     .send_to(handler)
///     .await?;
/// assert_eq!(preflight.max_age(), Some(DEFAULT_MAX_AGE));
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_MAX_AGE: u64 = 600;
