//! CORS for AWS Lambda handlers that is hard to get wrong.
//!
//! With API Gateway's Lambda proxy integration, HTTP APIs, Function URLs and ALB, the function
//! itself must answer CORS: reflect an allowed `Origin` byte for byte, never send `*` with
//! cookies, add `Vary: Origin` to every answer that depends on the origin, answer preflights.
//! [`#[cors]`](macro@cors) on a [`lambda_http`] handler does all of it:
//!
//! ```no_run
//! # #![deny(warnings, unused)] // the quick start compiles without a warning
//! use cors_runtime::cors;
//! use lambda_http::{Body, Error, Request, Response, run, service_fn};
//!
//! #[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
//! async fn handler(event: Request) -> Result<Response<Body>, Error> {
//!     Ok(Response::new(Body::from(format!("hello from {}", event.uri().path()))))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     cors_runtime::check()?; // every #[cors] policy in the binary, at cold start
//!     run(service_fn(handler)).await
//! }
//! ```
//!
//! - Configurations no browser accepts (`*` with credentials, a malformed or non-canonical
//!   origin, a lowercase method) are compile errors pointing at the offending token.
//! - The whitelist is read from the environment once per cold start, never per request; a bad
//!   entry is reported with its fix and left out (fail closed).
//! - The per-request path adds no allocation to refused and Origin-less requests (nor to allowed
//!   exact origins) once the response has headers, and its cost does not grow with the whitelist.
//!
//! The attribute's reference, with every argument and its default, is on [`cors`](macro@cors);
//! the rest of it, page by page, in [`reference`](mod@reference).

#![warn(missing_docs)]

mod allowed_origins;
mod decision;
mod error;
mod handler_future;
pub mod layer;
mod origin;
mod policy;
mod predicate;
mod registry;
mod vary;

#[doc(hidden)]
pub mod __for_tests;
#[doc(hidden)]
pub mod __private;
pub mod reference;
pub mod testing;

#[doc = include_str!("../docs/cors.md")]
pub use cors_macro::cors;
#[doc = include_str!("../docs/cors_layer.md")]
pub use cors_macro::cors_layer;
pub use error::{ConfigError, ConfigErrorKind, ConfigErrors, PolicySource};
pub use handler_future::CorsResponse;
pub use layer::CorsLayer;
pub use origin::Origin;
pub use policy::{DEFAULT_MAX_AGE, DEFAULT_METHODS};
pub use registry::check;
