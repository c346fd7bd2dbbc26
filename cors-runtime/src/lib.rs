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
//! For an axum `Router` (one function serving a whole API, or a server anywhere),
//! [`cors_layer!`] is the same policy as a tower layer: `.layer(cors_layer!(origins_env =
//! "ALLOWED_ORIGINS", credentials))`.
//!
//! - Configurations no browser accepts (`*` with credentials, a malformed or non-canonical
//!   origin, a lowercase method) are compile errors pointing at the offending token.
//! - The whitelist is read from the environment once per cold start, never per request; a bad
//!   entry is reported with its fix and left out (fail closed).
//! - The per-request path adds no allocation to refused and Origin-less requests (nor to allowed
//!   exact origins) once the response has headers, and its cost does not grow with the whitelist.
//!
//! The attribute's reference, with every argument and its default, is on [`cors`](macro@cors);
//! the layer's on [`cors_layer!`]; the rest of it, page by page, in [`reference`](mod@reference).
//!
//! # Features
//!
//! - `lambda` (on by default): [`#[cors]`](macro@cors) on `lambda_http` handlers, the
//!   `lambda_http` requests of [`testing`], [`CorsResponse`]. Without it
//!   (`cors-runtime = { version = "0.1", default-features = false }`) the crate does not depend
//!   on `lambda_http` at all: [`cors_layer!`], [`CorsLayer`] and its builder, [`check`] and
//!   [`Origin`] serve any tower HTTP service, such as an axum router under `axum::serve` — the
//!   same checked policy on a server as on Lambda.
//!
//! # Layout
//!
//! Both front ends, the attribute and the layer, build the same policy and send every request
//! down the same path:
//!
//! 1. **Policy** (`policy/`): the arguments (`spec.rs`, with the one default of each) and the
//!    origins variable (`env.rs`, the one read of the environment) are checked by the rules of
//!    `cors-grammar` into an immutable `Policy` (`mod.rs`), once: the `static` of a macro call
//!    on first use (`lazy.rs`), or a builder's in `build` (`layer/builder.rs`). Each setting
//!    owns its meaning: `allowed_origins/` (the list, its patterns, why a refusal, the closest
//!    entry), `allow_methods.rs`, `allow_headers/` (with the parsing of what a preflight asks
//!    for), `predicate.rs` (`origins_fn`), `vary.rs`.
//! 2. **Decision** (`decision.rs`): a request is categorised; a preflight is answered at once;
//!    for any other request the headers are decided before the handler runs, in an `After`
//!    that holds the policy (`policy/reference.rs`).
//! 3. **Response** (`future.rs`): one future carries the decision to the handler's (or inner
//!    service's) response and finishes it through `After::finish`, the one door. The handler's
//!    shape and failure handling are type parameters of that future (`expansion/`), and the
//!    layer (`layer/`) uses the same future.
//!
//! Around the path: the public types in files of their own (`origin.rs`, `policy_source.rs`,
//! `error.rs`, `cors_response.rs`), `registry.rs` ([`check`]), [`testing`] (requests, the
//! outcome, `with_env`), [`signatures`] (what `#[cors]` checks of the code it wraps), the
//! reference pages (`reference.rs`, `docs/`), and `__private.rs`, which only names what
//! expansions call. Two leaves serve several modules: `comma_list.rs` and `panic.rs`.

#![warn(missing_docs)]

mod allow_headers;
mod allow_methods;
mod allowed_origins;
mod comma_list;
#[cfg(feature = "lambda")]
mod cors_response;
mod decision;
mod error;
mod expansion;
mod future;
pub mod layer;
mod origin;
mod panic;
mod policy;
mod policy_source;
mod predicate;
mod registry;
pub mod signatures;
mod vary;

#[doc(hidden)]
pub mod __for_tests;
#[doc(hidden)]
pub mod __private;
pub mod reference;
pub mod testing;

pub use allow_methods::DEFAULT_METHODS;
#[cfg(feature = "lambda")]
#[doc = include_str!("../docs/cors.md")]
pub use cors_macro::cors;
#[doc = include_str!("../docs/cors_layer.md")]
pub use cors_macro::cors_layer;
/// `#[cors]` needs the `lambda` feature (on by default): without it, this attribute is a compile
/// error that says so. [`cors_layer!`] works without it.
#[cfg(not(feature = "lambda"))]
pub use cors_macro::cors_requires_lambda as cors;
#[cfg(feature = "lambda")]
pub use cors_response::CorsResponse;
pub use error::{ConfigError, ConfigErrorKind, ConfigErrors};
pub use layer::CorsLayer;
pub use origin::Origin;
pub use policy::DEFAULT_MAX_AGE;
pub use policy_source::PolicySource;
pub use registry::check;
