//! A streaming handler for a Lambda Function URL with response streaming: the page reads the
//! body chunk by chunk with `response.body.getReader()`, which browsers allow cross-origin only
//! with CORS headers.
//!
//! `streaming` tells `#[cors]` that the handler returns `Response<B>` for a streaming body type
//! (here `lambda_runtime`'s channel body) instead of a buffered `lambda_http::Body`; preflights
//! are answered with an empty `B::default()`.
//!
//! `GET /stream?chunks=N` sends N lines, one every 100 ms.

use std::time::Duration;

use cors_runtime::cors;
use lambda_http::lambda_runtime::streaming::{Body, channel};
use lambda_http::{Error, Request, RequestExt, Response, run_with_streaming_response, service_fn};

#[cors(origins_env = "ALLOWED_ORIGINS", credentials, streaming)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let chunks: u32 = event
        .query_string_parameters_ref()
        .and_then(|params| params.first("chunks"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
        .min(100);
    let (mut sender, body) = channel();
    tokio::spawn(async move {
        for i in 1..=chunks {
            if sender
                .send_data(format!("chunk {i}\n").into())
                .await
                .is_err()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    Ok(Response::builder()
        .header("content-type", "text/plain; charset=utf-8")
        .body(body)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?;
    run_with_streaming_response(service_fn(handler)).await
}
