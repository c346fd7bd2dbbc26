//! `#[cors(streaming)]` on a response-streaming handler, through `lambda_http`'s own streaming
//! adapter with a Function URL event: the same policy, the same preflight answer.

use cors_runtime::cors;
use cors_tests::events::EventKind;
use futures_util::StreamExt;
use lambda_http::lambda_runtime::streaming::{Body, channel};
use lambda_http::request::LambdaRequest;
use lambda_http::{
    Context, Error, LambdaEvent, Request, Response, Service, StreamAdapter, service_fn,
};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"], credentials, expose_headers = ["x-chunks"], streaming)]
async fn stream(_event: Request) -> Result<Response<Body>, Error> {
    let (mut sender, body) = channel();
    tokio::spawn(async move {
        for i in 1..=3 {
            sender
                .send_data(format!("chunk {i}\n").into())
                .await
                .unwrap();
        }
    });
    Ok(Response::builder()
        .header("x-chunks", "3")
        .header("vary", "Accept-Encoding")
        .body(body)?)
}

struct Streamed {
    status: u16,
    headers: http::HeaderMap,
    body: String,
}

async fn call(event: serde_json::Value) -> Streamed {
    let request: LambdaRequest = serde_json::from_value(event).unwrap();
    let mut adapter = StreamAdapter::from(service_fn(stream));
    let response = adapter
        .call(LambdaEvent::new(request, Context::default()))
        .await
        .unwrap();
    let prelude = response.metadata_prelude;
    let mut body = String::new();
    let mut chunks = response.stream;
    while let Some(chunk) = chunks.next().await {
        body.push_str(std::str::from_utf8(&chunk.unwrap()).unwrap());
    }
    Streamed {
        status: prelude.status_code.as_u16(),
        headers: prelude.headers,
        body,
    }
}

#[tokio::test]
async fn an_allowed_origin_reads_the_stream() {
    let event = EventKind::FunctionUrl
        .event()
        .path("/stream")
        .header("origin", APP)
        .build();
    let streamed = call(event).await;
    assert_eq!(streamed.status, 200);
    assert_eq!(streamed.headers["access-control-allow-origin"], APP);
    assert_eq!(streamed.headers["access-control-allow-credentials"], "true");
    assert_eq!(
        streamed.headers["access-control-expose-headers"],
        "x-chunks"
    );
    assert_eq!(streamed.headers["vary"], "Accept-Encoding, Origin");
    assert_eq!(streamed.body, "chunk 1\nchunk 2\nchunk 3\n");
}

#[tokio::test]
async fn a_refused_origin_gets_the_stream_without_cors_headers() {
    let event = EventKind::FunctionUrl
        .event()
        .path("/stream")
        .header("origin", "https://evil.example")
        .build();
    let streamed = call(event).await;
    assert!(
        streamed
            .headers
            .get("access-control-allow-origin")
            .is_none()
    );
    assert!(
        streamed
            .headers
            .get("access-control-allow-credentials")
            .is_none()
    );
    assert_eq!(streamed.headers["vary"], "Accept-Encoding, Origin");
}

#[tokio::test]
async fn a_preflight_is_answered_with_an_empty_body() {
    let event = EventKind::FunctionUrl
        .event()
        .method("OPTIONS")
        .path("/stream")
        .header("origin", APP)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-custom")
        .build();
    let streamed = call(event).await;
    assert_eq!(streamed.status, 204);
    assert_eq!(streamed.headers["access-control-allow-origin"], APP);
    assert_eq!(streamed.headers["access-control-allow-headers"], "x-custom");
    assert_eq!(streamed.body, "");
}
