//! `catch_errors`: a handler's `Err` or panic becomes a 500 that carries the same CORS headers
//! an allowed origin gets, so the browser shows the real failure instead of a CORS error; the
//! failure is logged through `tracing` and never exposed in the body.
//!
//! Controls: without `catch_errors` the same failures are invocation errors (API Gateway then
//! answers 502 without any CORS header) and panics propagate.

use cors_runtime::cors;
use cors_tests::events::{EventKind, Invocation, invoke};
use lambda_http::{Body, Error, Request, Response, service_fn};

const APP: &str = "https://app.example.com";
const SECRET: &str = "password=hunter2 at db.internal:5432";

fn fail_or_panic(event: &Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        p if p.ends_with("/fail") => Err(format!("database unreachable: {SECRET}").into()),
        p if p.ends_with("/panic") => panic!("handler bug: {SECRET}"),
        _ => Ok(Response::new(Body::from("ok"))),
    }
}

#[cors(origins = ["https://app.example.com"], credentials, catch_errors)]
async fn caught(event: Request) -> Result<Response<Body>, Error> {
    fail_or_panic(&event)
}

#[cors(origins = ["https://app.example.com"], credentials)]
async fn uncaught(event: Request) -> Result<Response<Body>, Error> {
    fail_or_panic(&event)
}

/// Everything `tracing` logs while `f` runs on this thread.
async fn logs_of<F: Future>(f: F) -> (F::Output, String) {
    cors_tests::logs::capture(tracing::Level::INFO, f).await
}

fn assert_readable_500(inv: &Invocation, kind: EventKind) {
    assert_eq!(inv.status(), 500, "{kind}");
    assert_eq!(
        inv.header_values("access-control-allow-origin"),
        [APP],
        "{kind}"
    );
    assert_eq!(
        inv.header_values("access-control-allow-credentials"),
        ["true"],
        "{kind}"
    );
    assert!(inv.header("vary").unwrap().contains("Origin"), "{kind}");
    let body = inv.body();
    assert_eq!(body, r#"{"message":"Internal Server Error"}"#, "{kind}");
    assert!(
        !body.contains("hunter2"),
        "{kind}: the error leaked into the body"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_err_becomes_a_500_the_page_can_read() {
    for kind in EventKind::ALL {
        let event = kind.event().path("/fail").header("origin", APP);
        let (inv, logs) = logs_of(invoke(service_fn(caught), &event)).await;
        assert_readable_500(&inv.expect("no invocation error"), kind);
        assert!(logs.contains("ERROR"), "{logs}");
        assert!(
            logs.contains("database unreachable"),
            "the error is logged: {logs}"
        );
        assert!(logs.contains("caught"), "the log names the handler: {logs}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_panic_becomes_a_500_the_page_can_read() {
    for kind in EventKind::ALL {
        let event = kind.event().path("/panic").header("origin", APP);
        let (inv, logs) = logs_of(invoke(service_fn(caught), &event)).await;
        assert_readable_500(&inv.expect("no invocation error"), kind);
        assert!(logs.contains("handler bug"), "the panic is logged: {logs}");
    }
}

#[tokio::test]
async fn a_refused_origin_gets_the_500_without_cors_headers() {
    let event = EventKind::HttpV2
        .event()
        .path("/fail")
        .header("origin", "https://evil.example");
    let inv = invoke(service_fn(caught), &event).await.unwrap();
    assert_eq!(inv.status(), 500);
    assert!(inv.header_values("access-control-allow-origin").is_empty());
    assert!(
        inv.header_values("access-control-allow-credentials")
            .is_empty()
    );
}

#[tokio::test]
async fn success_is_untouched() {
    let event = EventKind::RestV1.event().path("/ok").header("origin", APP);
    let inv = invoke(service_fn(caught), &event).await.unwrap();
    assert_eq!((inv.status(), inv.body().as_str()), (200, "ok"));
    assert_eq!(inv.header_values("access-control-allow-origin"), [APP]);
}

/// Control: without `catch_errors`, `Err` is an invocation error: no response at all, so API
/// Gateway answers 502 without CORS headers and the browser reports a CORS error.
#[tokio::test]
async fn control_without_catch_errors_the_err_is_an_invocation_error() {
    for kind in EventKind::ALL {
        let event = kind.event().path("/fail").header("origin", APP);
        let result = invoke(service_fn(uncaught), &event).await;
        assert!(result.is_err(), "{kind}: expected an invocation error");
    }
}

/// Control: without `catch_errors`, a panic propagates.
#[tokio::test]
async fn control_without_catch_errors_the_panic_propagates() {
    let event = EventKind::HttpV2
        .event()
        .path("/panic")
        .header("origin", APP);
    let task = tokio::spawn(async move { invoke(service_fn(uncaught), &event).await.map(|_| ()) });
    let joined = task.await;
    assert!(joined.is_err_and(|e| e.is_panic()));
}
