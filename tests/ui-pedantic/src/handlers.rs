//! Handlers under `#[cors]`, served as users serve them: every argument, an underscore-named
//! request, generics, state parameters, `impl IntoResponse`, streaming, `catch_errors`,
//! `preflight = false`.

use std::fmt::Display;

use cors_runtime::{Origin, cors};
use lambda_http::lambda_runtime::streaming::{Body as StreamingBody, channel};
use lambda_http::{
    Body, Error, IntoResponse, Request, Response, run, run_with_streaming_response, service_fn,
};

/// Shared state, passed before the request.
#[derive(Debug)]
pub struct State {
    /// What the handlers answer.
    pub greeting: String,
}

/// `origins_fn`'s predicate.
#[must_use]
pub fn is_tenant(origin: &Origin) -> bool {
    origin.host().ends_with(".tenants.example.com")
}

/// An unused request, named with an underscore.
#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
async fn unused_request(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from("hello")))
}

/// Every argument at once.
#[cors(
    origins = ["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"],
    origins_env = "EXTRA_ALLOWED_ORIGINS",
    origins_fn = is_tenant,
    credentials,
    methods = ["GET", "PUT", "DELETE"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    max_age = 600,
    preflight = true,
    crate = "::cors_runtime"
)]
async fn every_argument(event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(event.uri().path().to_owned())))
}

/// Any origin, with `*` lists.
#[cors(origins = "*", methods = ["*"], headers = ["*"], expose_headers = ["*"])]
async fn public(_: Request) -> Result<impl IntoResponse, Error> {
    Ok("hello")
}

/// State before the request, a mutable request, `impl IntoResponse`.
#[cors(origins = ["https://app.example.com"])]
async fn with_state(state: &State, mut event: Request) -> Result<impl IntoResponse, Error> {
    event.headers_mut().remove("cookie");
    Ok(format!("{} {}", state.greeting, event.uri().path()))
}

/// Generic over the state, with an `impl Trait` parameter and an elided lifetime.
#[cors(origins = ["https://app.example.com"], credentials)]
async fn generic<T: Display + Sync>(
    state: &T,
    suffix: impl Display + Send,
    _event: Request,
) -> Result<String, Error> {
    Ok(format!("{state}{suffix}"))
}

/// A JSON body, and errors answered with a `500` that carries the CORS headers.
#[cors(origins = ["https://app.example.com"], catch_errors)]
async fn caught(event: Request) -> Result<impl IntoResponse, Error> {
    if event.uri().path() == "/fail" {
        return Err("boom".into());
    }
    Ok(serde_json::json!({ "ok": true }))
}

/// A streaming response.
#[cors(origins_env = "ALLOWED_ORIGINS", credentials, streaming, catch_errors)]
async fn streaming(_event: Request) -> Result<Response<StreamingBody>, Error> {
    let (_sender, body) = channel();
    Ok(Response::new(body))
}

/// Preflights answered by the handler.
#[cors(origins = ["https://app.example.com"], expose_headers = ["x-request-id"], preflight = false)]
async fn own_preflights(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

/// Serves every handler above, as a `main` would (never called: serving needs the Lambda
/// runtime API).
///
/// # Errors
///
/// When the runtime fails.
pub async fn serve() -> Result<(), Error> {
    let state = State {
        greeting: String::from("hello"),
    };
    run(service_fn(unused_request)).await?;
    run(service_fn(every_argument)).await?;
    run(service_fn(public)).await?;
    run(service_fn(|event| with_state(&state, event))).await?;
    run(service_fn(|event| generic(&state.greeting, "!", event))).await?;
    run(service_fn(caught)).await?;
    run(service_fn(own_preflights)).await?;
    run_with_streaming_response(service_fn(streaming)).await
}
