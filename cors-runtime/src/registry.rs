//! Every `#[cors]` and `cors_layer!` policy in the binary, so `main` can check them all at
//! start-up.

use crate::error::ConfigErrors;
use crate::policy::LazyPolicy;

/// One policy, registered by the expansion of `#[cors]` or `cors_layer!`.
#[derive(Debug)]
pub struct Registered(pub &'static LazyPolicy);

inventory::collect!(Registered);

/// Builds every `#[cors]` and `cors_layer!` policy in the binary now, reading their environment
/// variables, and returns every configuration problem found. (A layer built at run time with
/// [`CorsLayer::builder`](crate::CorsLayer::builder) returned its problems when it was built.)
///
/// Inside [`testing::with_env`](crate::testing::with_env), the policies that read the variable
/// it sets are checked with its value.
///
/// Without this call each policy is built on its first request, and its problems are
/// logged then through `tracing` (the offending entries left out: fail closed). Calling it first
/// thing in `main` turns a misconfigured deployment into a cold-start failure with a clear
/// message instead:
///
/// ```no_run
/// # async fn handler(_: lambda_http::Request) -> Result<&'static str, lambda_http::Error> { Ok("") }
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_http::Error> {
///     cors_runtime::check()?;
///     lambda_http::run(lambda_http::service_fn(handler)).await
/// }
/// ```
///
/// A missing or empty `origins_env` variable is an error too, since it leaves the handler with
/// fewer origins than intended:
///
/// ```standalone_crate
/// use cors_runtime::cors;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"], origins_env = "CHECK_EXAMPLE_ORIGINS")]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// // `CHECK_EXAMPLE_ORIGINS` is not set.
/// let errors = cors_runtime::check().unwrap_err();
/// assert_eq!(
///     errors.to_string(),
///     "#[cors] on `handler`: CHECK_EXAMPLE_ORIGINS is not set, so only the origins listed in \
///      the attribute are allowed; set it to the allowed origins, separated by whitespace \
///      and/or commas, e.g. `https://app.example.com https://admin.example.com (or `*` for any origin)`",
/// );
/// ```
pub fn check() -> Result<(), ConfigErrors> {
    let mut errors = ConfigErrors::default();
    for Registered(policy) in inventory::iter::<Registered> {
        errors.extend(policy.resolve().errors().iter().cloned());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
