//! `cors_runtime::testing`: the requests it builds are what a browser sends, the outcome it
//! reads is what a browser would read, and both agree with the real path through Lambda events.

use cors_runtime::cors;
use cors_runtime::testing::{self, CorsOutcome};
use cors_tests::events::{EventKind, invoke};
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response, service_fn};

const APP: &str = "https://app.example.com";

#[cors(
    origins = ["https://app.example.com", "https://*.preview.example.com"],
    credentials,
    methods = ["GET", "PUT"],
    expose_headers = ["x-request-id"],
)]
async fn notes(event: Request) -> Result<Response<Body>, Error> {
    if event.uri().path() == "/fail" {
        return Err("the handler failed".into());
    }
    Ok(Response::builder()
        .header("x-request-id", "42")
        .body(Body::from(format!(
            "{} {}",
            event.method(),
            event.uri().path()
        )))?)
}

#[cors(origins = "*", headers = ["content-type"], max_age = 0)]
async fn public(_event: Request) -> Result<&'static str, Error> {
    Ok("public")
}

#[cors(origins = ["https://app.example.com"], preflight = false)]
async fn answers_its_own_preflights(event: Request) -> Result<Response<Body>, Error> {
    let mut response = Response::new(Body::Empty);
    if event.method() == Method::OPTIONS {
        *response.status_mut() = StatusCode::OK;
        response
            .headers_mut()
            .insert("access-control-allow-methods", "PATCH".parse()?);
    }
    Ok(response)
}

fn response(headers: &[(&str, &str)]) -> Response<Body> {
    let mut builder = Response::builder();
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::Empty).unwrap()
}

#[test]
fn request_is_what_the_browser_sends() {
    let request: Request = testing::request(Method::PATCH, "/notes/1?draft=true")
        .origin("https://wrong.example")
        .origin(APP)
        .header("content-type", "application/json")
        .header("x-trace", "a")
        .header("x-trace", "b")
        .body("{}")
        .into();
    assert_eq!(request.method(), Method::PATCH);
    assert_eq!(request.uri().path(), "/notes/1");
    assert_eq!(request.uri().query(), Some("draft=true"));
    assert_eq!(
        request
            .headers()
            .get_all("origin")
            .iter()
            .collect::<Vec<_>>(),
        [APP]
    );
    assert_eq!(
        request
            .headers()
            .get_all("x-trace")
            .iter()
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(request.body(), &Body::from("{}"));
    assert!(
        !request
            .headers()
            .contains_key("access-control-request-method")
    );

    let same_origin = testing::request(Method::GET, "/").build();
    assert!(same_origin.headers().is_empty());
    assert_eq!(same_origin.body(), &Body::Empty);
}

#[test]
fn preflight_is_what_the_browser_sends() {
    let request = testing::preflight(APP, Method::PUT).build();
    assert_eq!(request.method(), Method::OPTIONS);
    assert_eq!(request.uri(), "/");
    assert_eq!(request.headers()["origin"], APP);
    assert_eq!(request.headers()["access-control-request-method"], "PUT");
    assert!(
        !request
            .headers()
            .contains_key("access-control-request-headers")
    );

    // Lowercase, sorted, without duplicates or spaces, as Chromium and Firefox send it.
    let request = testing::preflight(APP, Method::DELETE)
        .request_headers(["X-Custom", "content-type", "x-custom"])
        .path("/notes/1")
        .build();
    assert_eq!(request.uri(), "/notes/1");
    assert_eq!(
        request.headers()["access-control-request-headers"],
        "content-type,x-custom"
    );
    let cleared = testing::preflight(APP, Method::DELETE)
        .request_headers(["x-custom"])
        .request_headers(Vec::<String>::new())
        .build();
    assert!(
        !cleared
            .headers()
            .contains_key("access-control-request-headers")
    );
}

#[test]
#[should_panic(expected = "`x custom` is not a valid header name")]
fn an_invalid_header_name_is_a_test_bug() {
    let _ = testing::preflight(APP, Method::PUT).request_headers(["x custom"]);
}

#[test]
#[should_panic(expected = "is not a valid value for the `origin` header")]
fn an_invalid_origin_is_a_test_bug() {
    let _ = testing::request(Method::GET, "/").origin("https://app.example.com\n");
}

#[test]
#[should_panic(expected = "is not a valid path or URI")]
fn an_invalid_path_is_a_test_bug() {
    let _ = testing::request(Method::GET, "no spaces please");
}

#[tokio::test]
async fn allowed_origin() {
    for origin in [APP, "https://pr-12.preview.example.com"] {
        let outcome = testing::request(Method::PUT, "/notes/1")
            .origin(origin)
            .send_to(notes)
            .await
            .unwrap();
        assert_eq!(outcome.status(), StatusCode::OK);
        assert_eq!(outcome.allowed_origin(), Some(origin));
        assert!(outcome.allows_credentials());
        assert_eq!(outcome.exposed_headers(), ["x-request-id"]);
        assert!(outcome.varies_on_origin());
        assert_eq!(outcome.vary(), ["Origin"]);
        // Preflight-only headers are not on actual responses.
        assert!(outcome.allowed_methods().is_empty());
        assert_eq!(outcome.max_age(), None);
        assert_eq!(outcome.headers()["x-request-id"], "42");
    }
}

#[tokio::test]
async fn refused_and_origin_less_requests_get_no_cors_headers() {
    let refused = [
        Some("https://evil.example"),
        Some("https://app.example.com.evil.example"),
        Some("http://app.example.com"),
        Some("null"),
        None,
    ];
    for origin in refused {
        let mut request = testing::request(Method::GET, "/notes");
        if let Some(origin) = origin {
            request = request.origin(origin);
        }
        let outcome = request.send_to(notes).await.unwrap();
        assert_eq!(outcome.status(), StatusCode::OK, "{origin:?}");
        assert_eq!(outcome.allowed_origin(), None, "{origin:?}");
        assert!(!outcome.allows_credentials(), "{origin:?}");
        assert!(outcome.exposed_headers().is_empty(), "{origin:?}");
        assert!(outcome.varies_on_origin(), "{origin:?}");
    }
}

#[tokio::test]
async fn preflights() {
    let allowed = testing::preflight(APP, Method::PUT)
        .request_headers(["content-type", "x-custom"])
        .send_to(notes)
        .await
        .unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(allowed.allowed_origin(), Some(APP));
    assert!(allowed.allows_credentials());
    assert_eq!(allowed.allowed_methods(), ["GET", "PUT"]);
    assert_eq!(allowed.allowed_headers(), ["content-type", "x-custom"]);
    assert_eq!(allowed.max_age(), Some(600));
    assert!(allowed.varies_on_origin());
    assert!(allowed.varies_on("Access-Control-Request-Headers"));
    // The handler did not run: its header is absent.
    assert!(!allowed.headers().contains_key("x-request-id"));

    // The origin is allowed, the method is not: the lists let the console name the cause.
    let wrong_method = testing::preflight(APP, Method::DELETE)
        .send_to(notes)
        .await
        .unwrap();
    assert_eq!(wrong_method.allowed_origin(), Some(APP));
    assert!(!wrong_method.allowed_methods().contains(&"DELETE"));

    let refused = testing::preflight("https://evil.example", Method::PUT)
        .send_to(notes)
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NO_CONTENT);
    assert_eq!(refused.allowed_origin(), None);
    assert!(refused.allowed_methods().is_empty());
    assert!(refused.varies_on_origin());
}

#[tokio::test]
async fn any_origin() {
    let outcome = testing::request(Method::GET, "/")
        .origin("https://anywhere.example")
        .send_to(public)
        .await
        .unwrap();
    assert_eq!(outcome.allowed_origin(), Some("*"));
    assert!(!outcome.allows_credentials());
    assert!(!outcome.varies_on_origin());

    let origin_less = testing::request(Method::GET, "/")
        .send_to(public)
        .await
        .unwrap();
    assert_eq!(origin_less.allowed_origin(), Some("*"));

    let preflight = testing::preflight("https://anywhere.example", Method::PUT)
        .request_headers(["content-type"])
        .send_to(public)
        .await
        .unwrap();
    assert_eq!(preflight.allowed_origin(), Some("*"));
    assert_eq!(preflight.allowed_headers(), ["content-type"]);
    assert_eq!(preflight.max_age(), Some(0));
    assert!(preflight.vary().is_empty());
}

#[tokio::test]
async fn preflight_false_hands_preflights_to_the_handler() {
    let outcome = testing::preflight(APP, Method::PATCH)
        .send_to(answers_its_own_preflights)
        .await
        .unwrap();
    assert_eq!(outcome.status(), StatusCode::OK);
    assert_eq!(outcome.allowed_origin(), Some(APP));
    assert_eq!(outcome.allowed_methods(), ["PATCH"]);
    assert!(outcome.varies_on_origin());
}

#[tokio::test]
async fn handler_errors_come_back_unchanged() {
    let error = testing::request(Method::GET, "/fail")
        .origin(APP)
        .send_to(notes)
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "the handler failed");
}

#[tokio::test]
async fn build_then_call_keeps_the_body() {
    let response = notes(testing::request(Method::GET, "/notes").origin(APP).build())
        .await
        .unwrap();
    assert_eq!(response.body(), &Body::from("GET /notes"));
    assert_eq!(
        CorsOutcome::of(&response).allowed_origin(),
        Some(APP),
        "{:?}",
        CorsOutcome::of(&response)
    );
}

#[tokio::test]
async fn shared_state_through_a_closure() {
    struct State(&'static str);

    #[cors(origins = ["https://app.example.com"])]
    async fn with_state(state: &State, _event: Request) -> Result<String, Error> {
        Ok(state.0.to_owned())
    }

    let state = State("hello");
    let outcome = testing::request(Method::GET, "/")
        .origin(APP)
        .send_to(|event| with_state(&state, event))
        .await
        .unwrap();
    assert_eq!(outcome.allowed_origin(), Some(APP));
}

/// What a browser reads, so a test can compare two paths.
type Read<'a> = (
    u16,
    Option<&'a str>,
    bool,
    Vec<&'a str>,
    Vec<&'a str>,
    Vec<&'a str>,
    Option<u64>,
    Vec<&'a str>,
);

fn read(outcome: &CorsOutcome) -> Read<'_> {
    (
        outcome.status().as_u16(),
        outcome.allowed_origin(),
        outcome.allows_credentials(),
        outcome.allowed_methods(),
        outcome.allowed_headers(),
        outcome.exposed_headers(),
        outcome.max_age(),
        outcome.vary(),
    )
}

/// The helper's shortcut and the real path (event JSON through `lambda_http`, response read as
/// the service reads it) give the browser the same CORS headers, for every kind of event.
#[tokio::test]
async fn agrees_with_real_events() {
    let cases: [(&str, Option<&str>, &[&str]); 6] = [
        ("GET", Some(APP), &[]),
        ("PUT", Some("https://pr-3.preview.example.com"), &[]),
        ("GET", Some("https://evil.example"), &[]),
        ("GET", None, &[]),
        ("OPTIONS", Some(APP), &["x-custom"]),
        ("OPTIONS", Some("https://evil.example"), &[]),
    ];
    for kind in EventKind::ALL {
        for (method, origin, request_headers) in cases {
            let preflight = method == "OPTIONS";
            let mut helper = if preflight {
                testing::preflight(origin.unwrap(), Method::PUT)
                    .request_headers(request_headers.iter().copied())
                    .path("/items")
            } else {
                testing::request(method.parse().unwrap(), "/items")
            };
            let mut event = kind.event().without_fixture_headers().method(method);
            if let Some(origin) = origin {
                helper = helper.origin(origin);
                event = event.header("origin", origin);
            }
            if preflight {
                event = event.header("access-control-request-method", "PUT");
                if !request_headers.is_empty() {
                    event =
                        event.header("access-control-request-headers", request_headers.join(","));
                }
            }

            let shortcut = helper.send_to(notes).await.unwrap();
            let invocation = invoke(service_fn(notes), &event).await.unwrap();
            let mut real = Response::builder().status(invocation.status());
            for (name, value) in invocation.headers() {
                real = real.header(name, value);
            }
            let real = CorsOutcome::of(&real.body(()).unwrap());
            assert_eq!(
                read(&shortcut),
                read(&real),
                "{kind}: {method} from {origin:?}"
            );
        }
    }
}

#[test]
fn outcome_reads_headers_as_browsers_do() {
    // Two allow-origin lines are refused by browsers: no allowed origin.
    let twice = response(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-origin", APP),
    ]);
    assert_eq!(CorsOutcome::of(&twice).allowed_origin(), None);

    // Credentials only for exactly `true`.
    for (value, allowed) in [("true", true), ("TRUE", false), ("1", false), ("", false)] {
        let outcome = CorsOutcome::of(&response(&[("access-control-allow-credentials", value)]));
        assert_eq!(outcome.allows_credentials(), allowed, "{value:?}");
    }

    // Lists over several lines, with spaces and empty entries.
    let lists = response(&[
        ("access-control-allow-methods", "GET,  PUT ,"),
        ("access-control-allow-methods", "DELETE"),
        ("access-control-allow-headers", "*"),
        ("access-control-expose-headers", "x-a, x-b"),
        ("vary", "Accept-Encoding"),
        ("vary", "ORIGIN"),
        ("access-control-max-age", "ten"),
    ]);
    let outcome = CorsOutcome::of(&lists);
    assert_eq!(outcome.allowed_methods(), ["GET", "PUT", "DELETE"]);
    assert_eq!(outcome.allowed_headers(), ["*"]);
    assert_eq!(outcome.exposed_headers(), ["x-a", "x-b"]);
    assert_eq!(outcome.vary(), ["Accept-Encoding", "ORIGIN"]);
    assert!(outcome.varies_on_origin());
    assert!(!outcome.varies_on("accept-language"));
    assert_eq!(outcome.max_age(), None);

    let star = CorsOutcome::of(&response(&[("vary", "*")]));
    assert!(star.varies_on_origin());
}

#[test]
fn debug_shows_status_and_cors_headers_only() {
    let outcome = CorsOutcome::of(&response(&[
        ("content-type", "text/plain"),
        ("access-control-allow-origin", APP),
        ("vary", "Origin"),
    ]));
    let debug = format!("{outcome:?}");
    assert_eq!(
        debug,
        r#"CorsOutcome { status: 200, access-control-allow-origin: "https://app.example.com", vary: "Origin" }"#
    );
}
