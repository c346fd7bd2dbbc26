//! `#[tracing::instrument]` written below `#[cors]` instruments the handler as written: every
//! event it emits, before and after an `.await`, is inside its span, whose name is the
//! handler's; written above `#[cors]`, it instruments the whole CORS-wrapped handler, events
//! included.

use cors_runtime::cors;
use cors_runtime::testing::request;
use http::Method;
use lambda_http::{Body, Error, Request, Response};

#[cors(origins = ["https://app.example.com"])]
#[tracing::instrument(skip_all, fields(path = %event.uri().path()))]
async fn below(event: Request) -> Result<Response<Body>, Error> {
    tracing::info!("before the await");
    tokio::task::yield_now().await;
    tracing::info!("after the await");
    Ok(Response::new(Body::Empty))
}

#[tracing::instrument(skip_all)]
#[cors(origins = ["https://app.example.com"])]
async fn above(_event: Request) -> Result<String, Error> {
    tracing::info!("before the await");
    tokio::task::yield_now().await;
    tracing::info!("after the await");
    Ok("hello".to_owned())
}

/// The lines of `log` that are the handler's own events.
fn handler_events(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("the await"))
        .collect()
}

/// The answer allows the page's origin, and both of the handler's events are in the span that
/// `log` shows as `span`.
fn assert_allowed_in_span(response: &Response<Body>, log: &str, span: &str) {
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let events = handler_events(log);
    assert_eq!(events.len(), 2, "{log}");
    for line in events {
        assert!(line.contains(span), "{line}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn instrument_below_cors_keeps_the_handlers_events_in_its_span() {
    let event = request(Method::GET, "/notes/1")
        .origin("https://app.example.com")
        .build();
    let (response, log) = cors_tests::logs::capture(tracing::Level::INFO, below(event)).await;
    let response = response.expect("the handler answers");
    assert_allowed_in_span(&response, &log, "below{path=/notes/1}:");
}

#[tokio::test(flavor = "current_thread")]
async fn instrument_above_cors_spans_the_whole_handler() {
    let event = request(Method::GET, "/")
        .origin("https://app.example.com")
        .build();
    let (response, log) = cors_tests::logs::capture(tracing::Level::INFO, async {
        above(event)
            .await
            .expect("the handler answers")
            .into_response()
            .await
    })
    .await;
    assert_allowed_in_span(&response, &log, "above:");
}
