//! Calling a `#[cors]` handler or a layered router in a unit test, and reading what a browser
//! would see.
//!
//! An annotated handler is an ordinary `async fn` taking a [`lambda_http::Request`], so a test
//! can call it directly: [`request`] and [`preflight`] build the request a browser would send
//! (without any Lambda event JSON), and [`CorsOutcome`] reads the CORS headers of the answer.
//! [`TestRequest::send_to`] does both in one call:
//!
//! ```
//! use cors_runtime::{cors, testing};
//! use lambda_http::http::Method;
//! use lambda_http::{Body, Error, Request, Response};
//!
//! #[cors(origins = ["https://app.example.com"], credentials, methods = ["GET", "PUT"])]
//! async fn handler(_event: Request) -> Result<Response<Body>, Error> {
//!     Ok(Response::new(Body::from("hello")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! // In your own tests: `#[tokio::test] async fn put_from_the_app() -> Result<(), Error> {`
//! let preflight = testing::preflight("https://app.example.com", Method::PUT)
//!     .request_headers(["content-type"])
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(preflight.allowed_origin(), Some("https://app.example.com"));
//! assert!(preflight.allows_credentials());
//! assert_eq!(preflight.allowed_methods(), ["GET", "PUT"]);
//! assert_eq!(preflight.allowed_headers(), ["content-type"]);
//!
//! let put = testing::request(Method::PUT, "/notes/1")
//!     .origin("https://app.example.com")
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(put.allowed_origin(), Some("https://app.example.com"));
//! assert!(put.varies_on_origin());
//!
//! let elsewhere = testing::request(Method::GET, "/")
//!     .origin("https://evil.example")
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(elsewhere.allowed_origin(), None);
//! # Ok(())
//! # }
//! ```
//!
//! To check the body or status as well, call the handler with [`TestRequest::build`] and read
//! the response with [`CorsOutcome::of`].
//!
//! # A policy read from the environment
//!
//! A policy with `origins_env` reads its variable once per process, and the tests of a test
//! binary share a process (and run on several threads). To test the production attribute with
//! a value of its variable, wrap the test's future in [`with_env`]: every policy that reads
//! that variable decides the requests made inside it as if the variable held that value, on
//! this future only, whatever other tests do at the same time and in whatever order they run.
//! Nothing is written to the process environment (no `unsafe { std::env::set_var }`).
//!
//! ```standalone_crate
//! use cors_runtime::{cors, testing};
//! use lambda_http::http::Method;
//! use lambda_http::{Body, Error, Request, Response};
//!
//! #[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
//! async fn handler(_event: Request) -> Result<Response<Body>, Error> {
//!     Ok(Response::new(Body::from("hello")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! let outcome = testing::with_env("ALLOWED_ORIGINS", "https://app.example.com", async {
//!     testing::request(Method::GET, "/")
//!         .origin("https://app.example.com")
//!         .send_to(handler)
//!         .await
//! })
//! .await?;
//! assert_eq!(outcome.allowed_origin(), Some("https://app.example.com"));
//! assert!(outcome.allows_credentials());
//!
//! // The variable's problems, as `cors_runtime::check()` reports them at cold start:
//! let errors = testing::with_env("ALLOWED_ORIGINS", "https://app.example.com/", async {
//!     cors_runtime::check()
//! })
//! .await
//! .unwrap_err();
//! assert_eq!(errors.iter().next().unwrap().fix(), Some("https://app.example.com"));
//! # Ok(())
//! # }
//! ```
//!
//! # An axum router under `cors_layer!`
//!
//! A router is a tower service: send the requests to `app.clone().oneshot(request)`
//! (`tower::ServiceExt`), and read the response the same way.
//!
//! ```
//! use axum::Router;
//! use axum::routing::get;
//! use cors_runtime::{cors_layer, testing};
//! use lambda_http::http::Method;
//! use tower::ServiceExt as _;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), std::convert::Infallible> {
//! let app = Router::new()
//!     .route("/notes", get(|| async { "[]" }))
//!     .layer(cors_layer!(origins = ["https://app.example.com"], credentials));
//!
//! let preflight = testing::preflight("https://app.example.com", Method::PUT)
//!     .path("/notes")
//!     .request_headers(["content-type"])
//!     .send_to(|request| app.clone().oneshot(request))
//!     .await?;
//! assert_eq!(preflight.status(), 204);
//! assert_eq!(preflight.allowed_origin(), Some("https://app.example.com"));
//!
//! let get = testing::request(Method::GET, "/notes")
//!     .origin("https://app.example.com")
//!     .send_to(|request| app.clone().oneshot(request))
//!     .await?;
//! assert_eq!(get.status(), 200);
//! assert!(get.allows_credentials());
//! # Ok(())
//! # }
//! ```
//!
//! # What the requests are
//!
//! The requests are what a browser sends, nothing more: no Lambda request context, no `Host`
//! header unless you add one with [`TestRequest::header`], and no parsed query string
//! (`lambda_http::RequestExt::with_query_string_parameters` on the built request adds one).
//! For the path through real API Gateway, ALB or Function URL events, run the function under
//! `cargo lambda watch --disable-cors`.

mod env;
mod outcome;
#[cfg(feature = "lambda")]
mod request;

pub use env::{WithEnv, with_env, without_env};
pub use outcome::CorsOutcome;
#[cfg(feature = "lambda")]
pub use request::{Answer, TestRequest, preflight, request};
