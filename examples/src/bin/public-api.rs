//! A public, read-only API: any page may read it, without credentials.
//!
//! `origins = "*"` answers `Access-Control-Allow-Origin: *` on every response. Browsers refuse
//! that for credentialed requests, so a page calling with `credentials: "include"` is blocked:
//! a public API has no business reading cookies.

use cors_runtime::cors;
use lambda_http::{Error, IntoResponse, Request, RequestExt, run, service_fn};
use serde_json::json;

/// `GET /hello?name=…`: a greeting, readable from any origin.
#[cors(origins = "*", methods = ["GET"])]
async fn handler(event: Request) -> Result<impl IntoResponse, Error> {
    let name = event
        .query_string_parameters_ref()
        .and_then(|params| params.first("name"))
        .unwrap_or("stranger")
        .to_owned();
    Ok(json!({ "message": format!("hello, {name}") }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?;
    run(service_fn(handler)).await
}
