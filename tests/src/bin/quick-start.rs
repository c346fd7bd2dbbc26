//! The README's quick start, word for word (`system/quick_start.rs` checks that it is): what a
//! new user's first function prints when it starts with a bad `ALLOWED_ORIGINS`. CI's clippy
//! lints it under the strictest groups, as a user's own crate might.

#![deny(warnings, clippy::pedantic, clippy::nursery)]

use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(format!(
        "hello from {}",
        event.uri().path()
    ))))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?; // every #[cors] policy in the binary, checked at cold start
    run(service_fn(handler)).await
}
