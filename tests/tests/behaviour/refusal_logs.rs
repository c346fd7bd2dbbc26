//! Each refused request leaves a `tracing` debug event saying why, so "blocked by CORS policy"
//! in a browser can be traced to its cause in the function's logs.

use cors_runtime::cors;
use cors_runtime::testing::{preflight, request};
use http::Method;
use lambda_http::{Body, Error, Request, Response};

#[cors(
    origins = ["https://app.example.com"],
    credentials,
    methods = ["GET", "PUT"],
    headers = ["content-type"]
)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

/// What `tracing` logs at DEBUG while `request` goes through `handler` (called inside the
/// capture: the decision, and its log, are made when the handler is called).
async fn debug_log(request: Request) -> String {
    let (response, log) =
        cors_tests::logs::capture(tracing::Level::DEBUG, async { handler(request).await }).await;
    response.unwrap();
    log
}

#[tokio::test(flavor = "current_thread")]
async fn an_unlisted_origin_is_logged_with_the_closest_listed_one() {
    for (origin, closest) in [
        ("http://app.example.com", true),
        ("https://app.example.com:8443", true),
        ("https://APP.example.com", true),
        ("https://evil.example", false),
    ] {
        let log = debug_log(request(Method::GET, "/").origin(origin).build()).await;
        assert!(log.contains("DEBUG"), "{log}");
        assert!(
            log.contains("CORS refused: origin not listed"),
            "{origin}: {log}"
        );
        assert!(log.contains("policy=#[cors] on `handler`"), "{log}");
        assert!(log.contains(origin), "the log names the origin: {log}");
        assert_eq!(
            log.contains("`https://app.example.com`"),
            closest,
            "{origin}: {log}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn null_and_duplicate_origins_are_logged_with_their_reason() {
    let log = debug_log(request(Method::GET, "/").origin("null").build()).await;
    assert!(log.contains("`Origin: null` is never allowed"), "{log}");

    let mut twice = request(Method::GET, "/")
        .origin("https://app.example.com")
        .build();
    twice
        .headers_mut()
        .append("origin", "https://app.example.com".parse().unwrap());
    let log = debug_log(twice).await;
    assert!(log.contains("more than one Origin header"), "{log}");
}

#[tokio::test(flavor = "current_thread")]
async fn preflights_log_the_method_or_header_not_allowed() {
    let log = debug_log(preflight("https://app.example.com", Method::DELETE).build()).await;
    assert!(log.contains("CORS refused: method not allowed"), "{log}");

    let log = debug_log(
        preflight("https://app.example.com", Method::PUT)
            .request_headers(["content-type", "x-secret"])
            .build(),
    )
    .await;
    assert!(
        log.contains("CORS refused: header not allowed: `x-secret`"),
        "{log}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn allowed_requests_log_no_refusal() {
    let log = debug_log(
        request(Method::GET, "/")
            .origin("https://app.example.com")
            .build(),
    )
    .await;
    assert!(!log.contains("CORS refused"), "{log}");
    let log = debug_log(preflight("https://app.example.com", Method::PUT).build()).await;
    assert!(!log.contains("CORS refused"), "{log}");
}
