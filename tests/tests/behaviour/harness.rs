//! Tests of the event harness itself (`cors_tests::events`), with plain handlers and no CORS.
//!
//! Besides checking the harness, these pin down what `lambda_http` 1.3 does with repeated
//! headers for each kind of event, facts the CORS library's design relies on:
//!
//! * a header repeated in the handler's `http::Response` survives only for REST (payload
//!   1.0) and multi-value ALB; HTTP API, Function URLs, single-value ALB and VPC Lattice get
//!   the FIRST value only (`set-cookie` aside, which payload 2.0 moves to `cookies`), so
//!   `Vary` must be merged into one value;
//! * a repeated request header reaches the handler differently per kind (see
//!   `repeated_origin_request_header_as_seen_by_the_handler`).

use std::convert::Infallible;

use cors_tests::events::{EventBuilder, EventKind, Invocation, invoke};
use http::{Response, StatusCode};
use lambda_http::request::LambdaRequest;
use lambda_http::{Body, Request, service_fn};
use serde_json::{Map, Value, json};

const A: &str = "https://a.example.com";
const B: &str = "https://b.example.com";

/// Echoes what the handler received: method, path and every header with all its values.
async fn echo(req: Request) -> Result<Response<Body>, Infallible> {
    let mut headers = Map::new();
    for name in req.headers().keys() {
        let values = req
            .headers()
            .get_all(name)
            .iter()
            .map(|value| Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        headers.insert(name.as_str().to_owned(), Value::Array(values));
    }
    let seen = json!({
        "method": req.method().as_str(),
        "path": req.uri().path(),
        "headers": headers,
        "body": String::from_utf8_lossy(req.body().as_ref()),
    });
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(seen.to_string()))
        .expect("valid response"))
}

/// What `echo` saw for `event`.
async fn seen_by_handler(event: &EventBuilder) -> Value {
    let invocation = invoke(service_fn(echo), event).await.unwrap();
    assert_eq!(invocation.status(), 200);
    serde_json::from_str(&invocation.body()).expect("echo body is JSON")
}

/// The values of request header `name` (lower case) that `echo` saw.
fn seen_values(seen: &Value, name: &str) -> Vec<String> {
    seen["headers"][name]
        .as_array()
        .map(|values| {
            values
                .iter()
                .map(|value| value.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A response repeating `vary` and `set-cookie`, with one `content-type`.
async fn repeated_headers(_req: Request) -> Result<Response<Body>, Infallible> {
    Ok(Response::builder()
        .header("content-type", "text/plain")
        .header("vary", "Origin")
        .header("vary", "Accept-Encoding")
        .header("set-cookie", "a=1")
        .header("set-cookie", "b=2")
        .body(Body::from("ok"))
        .expect("valid response"))
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------
// Fixtures and the builder
// ---------------------------------------------------------------------------------------

#[test]
fn every_fixture_is_recognised_as_its_kind_by_us_and_by_lambda_http() {
    for kind in EventKind::ALL {
        let template = kind.template();
        assert_eq!(
            EventKind::detect(&template),
            Some(kind),
            "{}",
            kind.fixture_name()
        );
        let request: LambdaRequest = serde_json::from_str(kind.fixture())
            .unwrap_or_else(|err| panic!("{}: {err}", kind.fixture_name()));
        let origin = format!("{:?}", request.request_origin());
        let expected = match kind {
            EventKind::RestV1 => "ApiGatewayV1",
            EventKind::HttpV2 | EventKind::FunctionUrl => "ApiGatewayV2",
            EventKind::AlbMultiValue | EventKind::AlbSingleValue => "Alb",
            EventKind::VpcLatticeV2 => "VpcLatticeV2",
        };
        assert_eq!(origin, expected, "{kind}");
    }
}

#[test]
fn builder_without_changes_reproduces_the_fixture() {
    for kind in EventKind::ALL {
        assert_eq!(kind.event().build(), kind.template(), "{kind}");
    }
}

#[test]
fn builder_output_is_recognised_as_its_kind() {
    for kind in EventKind::ALL {
        let event = kind
            .event()
            .method("OPTIONS")
            .path("/")
            .header("Origin", A)
            .without_fixture_headers()
            .build();
        assert_eq!(EventKind::detect(&event), Some(kind), "{kind}: {event}");
    }
}

#[test]
fn builder_places_a_repeated_header_where_each_service_does() {
    let build = |kind: EventKind| kind.event().header("Origin", A).header("origin", B).build();

    let rest = build(EventKind::RestV1);
    assert_eq!(
        rest["headers"]["Origin"],
        json!(B),
        "REST `headers` has the last value"
    );
    assert_eq!(rest["multiValueHeaders"]["Origin"], json!([A, B]));

    for kind in [EventKind::HttpV2, EventKind::FunctionUrl] {
        let event = build(kind);
        assert_eq!(
            event["headers"]["origin"],
            json!(format!("{A},{B}")),
            "{kind}"
        );
        assert!(event["headers"].get("Origin").is_none(), "{kind}");
        assert!(event.get("multiValueHeaders").is_none(), "{kind}");
    }

    let alb_multi = build(EventKind::AlbMultiValue);
    assert_eq!(alb_multi["multiValueHeaders"]["origin"], json!([A, B]));
    assert!(alb_multi.get("headers").is_none());

    let alb_single = build(EventKind::AlbSingleValue);
    assert_eq!(
        alb_single["headers"]["origin"],
        json!(B),
        "ALB keeps the last value"
    );
    assert!(alb_single.get("multiValueHeaders").is_none());

    let lattice = build(EventKind::VpcLatticeV2);
    assert_eq!(lattice["headers"]["origin"], json!([A, B]));
}

#[test]
fn builder_sets_method_and_path_in_every_field() {
    let rest = EventKind::RestV1
        .event()
        .method("put")
        .path("/items/7")
        .build();
    assert_eq!(rest["httpMethod"], "PUT");
    assert_eq!(rest["requestContext"]["httpMethod"], "PUT");
    assert_eq!(rest["path"], "/items/7");
    assert_eq!(rest["requestContext"]["path"], "/prod/items/7");
    assert_eq!(rest["pathParameters"], json!({"proxy": "items/7"}));

    let root = EventKind::RestV1.event().path("/").build();
    assert_eq!(root["resource"], "/");
    assert_eq!(root["pathParameters"], Value::Null);

    for kind in [EventKind::HttpV2, EventKind::FunctionUrl] {
        let event = kind
            .event()
            .method(http::Method::DELETE)
            .path("/items/7")
            .build();
        assert_eq!(event["rawPath"], "/items/7", "{kind}");
        assert_eq!(
            event["requestContext"]["http"]["method"], "DELETE",
            "{kind}"
        );
        assert_eq!(
            event["requestContext"]["http"]["path"], "/items/7",
            "{kind}"
        );
    }

    for kind in [EventKind::AlbMultiValue, EventKind::AlbSingleValue] {
        let event = kind.event().method("PATCH").path("/a/b").build();
        assert_eq!(event["httpMethod"], "PATCH", "{kind}");
        assert_eq!(event["path"], "/a/b", "{kind}");
    }

    let lattice = EventKind::VpcLatticeV2
        .event()
        .method("POST")
        .path("/a")
        .build();
    assert_eq!(lattice["method"], "POST");
    assert_eq!(lattice["path"], "/a");
}

#[tokio::test]
async fn a_test_header_replaces_the_fixture_header_of_the_same_name() {
    for kind in EventKind::ALL {
        let seen = seen_by_handler(&kind.event().header("HOST", "api.example.com")).await;
        assert_eq!(
            seen_values(&seen, "host"),
            strings(&["api.example.com"]),
            "{kind}"
        );
    }
}

#[test]
fn without_fixture_headers_sends_only_the_test_headers() {
    for kind in EventKind::ALL {
        let event = kind
            .event()
            .without_fixture_headers()
            .header("Origin", A)
            .build();
        let field = if kind == EventKind::AlbMultiValue {
            "multiValueHeaders"
        } else {
            "headers"
        };
        let headers = event[field].as_object().unwrap();
        assert_eq!(headers.len(), 1, "{kind}: {event}");
        assert!(event.get("cookies").is_none(), "{kind}");
    }
}

#[test]
#[should_panic(expected = "query string")]
fn builder_rejects_query_strings() {
    let _ = EventKind::HttpV2.event().path("/items?x=1");
}

// ---------------------------------------------------------------------------------------
// Request side: what the handler receives
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn fixture_request_arrives_as_get_items() {
    for kind in EventKind::ALL {
        let seen = seen_by_handler(&kind.event()).await;
        assert_eq!(seen["method"], "GET", "{kind}");
        // lambda_http prefixes the REST stage (unless AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH);
        // payload 2.0 fixtures use the `$default` stage, which it does not prefix.
        let path = if kind == EventKind::RestV1 {
            "/prod/items"
        } else {
            "/items"
        };
        assert_eq!(seen["path"], path, "{kind}");
        assert!(seen_values(&seen, "origin").is_empty(), "{kind}");
        assert_eq!(seen_values(&seen, "user-agent").len(), 1, "{kind}");
    }
}

#[tokio::test]
async fn request_bodies_arrive() {
    for kind in EventKind::ALL {
        let event = kind
            .event()
            .method("POST")
            .header("Content-Type", "application/json")
            .body(r#"{"name":"widget"}"#);
        let seen = seen_by_handler(&event).await;
        assert_eq!(seen["method"], "POST", "{kind}");
        assert_eq!(seen["body"], r#"{"name":"widget"}"#, "{kind}");
    }
}

#[tokio::test]
async fn single_origin_arrives_as_one_value_for_every_kind() {
    for kind in EventKind::ALL {
        let seen = seen_by_handler(&kind.event().header("Origin", A)).await;
        assert_eq!(seen_values(&seen, "origin"), strings(&[A]), "{kind}");
    }
}

#[tokio::test]
async fn repeated_origin_request_header_as_seen_by_the_handler() {
    for kind in EventKind::ALL {
        let event = kind.event().header("Origin", A).header("Origin", B);
        let seen = seen_by_handler(&event).await;
        let joined = format!("{A},{B}");
        let expected: Vec<String> = match kind {
            // lambda_http starts from `multiValueHeaders` [A, B] and then `extend`s it with
            // `headers`, which REPLACES every value of a name present there: only the last
            // value (from `headers`) reaches the handler.
            EventKind::RestV1 => strings(&[B]),
            // API Gateway / Lambda join repeated headers with ","; lambda_http does not split.
            EventKind::HttpV2 | EventKind::FunctionUrl => vec![joined],
            EventKind::AlbMultiValue | EventKind::VpcLatticeV2 => strings(&[A, B]),
            // The ALB itself keeps only the last value.
            EventKind::AlbSingleValue => strings(&[B]),
        };
        assert_eq!(seen_values(&seen, "origin"), expected, "{kind}");
    }
}

#[tokio::test]
async fn rest_v1_handler_sees_multi_value_headers_only_without_a_headers_entry() {
    // Same event with `headers` removed: now both values arrive.
    let mut event = EventKind::RestV1
        .event()
        .header("Origin", A)
        .header("Origin", B)
        .build();
    event.as_object_mut().unwrap().remove("headers");
    let invocation = invoke(service_fn(echo), &event).await.unwrap();
    let seen: Value = serde_json::from_str(&invocation.body()).unwrap();
    assert_eq!(seen_values(&seen, "origin"), strings(&[A, B]));

    // And `headers` wins over `multiValueHeaders` even when they disagree.
    let mut event = EventKind::RestV1.event().header("Origin", A).build();
    event["headers"]["Origin"] = json!(B);
    let invocation = invoke(service_fn(echo), &event).await.unwrap();
    let seen: Value = serde_json::from_str(&invocation.body()).unwrap();
    assert_eq!(seen_values(&seen, "origin"), strings(&[B]));
}

#[tokio::test]
async fn preflight_request_arrives_intact() {
    for kind in EventKind::ALL {
        let event = kind
            .event()
            .method("OPTIONS")
            .header("Origin", A)
            .header("Access-Control-Request-Method", "PUT")
            .header("Access-Control-Request-Headers", "content-type,x-api-key");
        let seen = seen_by_handler(&event).await;
        assert_eq!(seen["method"], "OPTIONS", "{kind}");
        assert_eq!(seen_values(&seen, "origin"), strings(&[A]), "{kind}");
        assert_eq!(
            seen_values(&seen, "access-control-request-method"),
            strings(&["PUT"]),
            "{kind}"
        );
        assert_eq!(
            seen_values(&seen, "access-control-request-headers"),
            strings(&["content-type,x-api-key"]),
            "{kind}"
        );
    }
}

#[tokio::test]
async fn header_names_are_case_insensitive_for_the_handler() {
    for kind in EventKind::ALL {
        let seen = seen_by_handler(&kind.event().header("ORIGIN", A)).await;
        assert_eq!(seen_values(&seen, "origin"), strings(&[A]), "{kind}");
    }
    // The REST API keeps the client's spelling in the event; the others lower-case.
    let rest = EventKind::RestV1.event().header("ORIGIN", A).build();
    assert_eq!(rest["headers"]["ORIGIN"], json!(A));
    let http = EventKind::HttpV2.event().header("ORIGIN", A).build();
    assert_eq!(http["headers"]["origin"], json!(A));
}

#[tokio::test]
async fn payload_v2_cookies_arrive_as_one_cookie_header() {
    for kind in [EventKind::HttpV2, EventKind::FunctionUrl] {
        let event = kind
            .event()
            .header("Cookie", "a=1; b=2")
            .header("Cookie", "c=3");
        let built = event.build();
        assert_eq!(built["cookies"], json!(["a=1", "b=2", "c=3"]), "{kind}");
        assert!(built["headers"].get("cookie").is_none(), "{kind}");
        let seen = seen_by_handler(&event).await;
        assert_eq!(
            seen_values(&seen, "cookie"),
            strings(&["a=1; b=2; c=3"]),
            "{kind}"
        );
    }
    let seen = seen_by_handler(&EventKind::HttpV2.event()).await;
    assert_eq!(
        seen_values(&seen, "cookie"),
        strings(&["session=0123456789abcdef; theme=dark"])
    );
}

#[tokio::test]
async fn non_ascii_request_header_values_arrive_as_utf8_bytes() {
    // `http` accepts obs-text bytes, so the value reaches the handler, but as bytes that
    // `HeaderValue::to_str` refuses.
    let value = "https://bücher.example";
    let handler = service_fn(|req: Request| async move {
        let origin = req.headers().get("origin").expect("origin arrives");
        let bytes = origin.as_bytes().to_vec();
        Ok::<_, Infallible>(format!("{}|{}", origin.to_str().is_ok(), bytes.len()))
    });
    for kind in EventKind::ALL {
        let invocation = invoke(handler, &kind.event().header("Origin", value))
            .await
            .unwrap();
        assert_eq!(
            invocation.body(),
            format!("false|{}", value.len()),
            "{kind}"
        );
    }
}

#[test]
fn lambda_http_rejects_an_event_with_a_control_character_in_a_header_value() {
    // The whole event fails to deserialize: the invocation errors, the handler never runs.
    for kind in EventKind::ALL {
        let event = kind
            .event()
            .header("Origin", "https://a.example.com\u{1}")
            .build();
        let parsed = serde_json::from_str::<LambdaRequest>(&event.to_string());
        assert!(parsed.is_err(), "{kind}: {parsed:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Response side: what the service sends to the browser
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn repeated_response_headers_as_serialized_by_lambda_http() {
    for kind in EventKind::ALL {
        let invocation = invoke(service_fn(repeated_headers), &kind.event())
            .await
            .unwrap();
        let raw = invocation.raw();
        let both = strings(&["Origin", "Accept-Encoding"]);
        let first = strings(&["Origin"]);
        let cookies = strings(&["a=1", "b=2"]);
        match kind {
            EventKind::RestV1 => {
                assert_eq!(raw["headers"], json!({}), "{kind}: {raw}");
                assert_eq!(raw["multiValueHeaders"]["vary"], json!(both), "{kind}");
                assert_eq!(
                    raw["multiValueHeaders"]["set-cookie"],
                    json!(cookies),
                    "{kind}"
                );
                assert_eq!(invocation.header_values("Vary"), both, "{kind}");
                assert_eq!(invocation.header_values("Set-Cookie"), cookies, "{kind}");
            }
            EventKind::HttpV2 | EventKind::FunctionUrl => {
                assert_eq!(raw["headers"]["vary"], json!("Origin"), "{kind}: {raw}");
                assert!(raw["headers"].get("set-cookie").is_none(), "{kind}");
                assert_eq!(raw["multiValueHeaders"], json!({}), "{kind}");
                assert_eq!(raw["cookies"], json!(cookies), "{kind}");
                assert_eq!(invocation.header_values("Vary"), first, "{kind}");
                assert_eq!(invocation.header_values("Set-Cookie"), cookies, "{kind}");
            }
            EventKind::AlbMultiValue | EventKind::AlbSingleValue => {
                // lambda_http fills both fields; the target group setting picks one.
                assert_eq!(raw["headers"]["vary"], json!("Origin"), "{kind}: {raw}");
                assert_eq!(raw["headers"]["set-cookie"], json!("a=1"), "{kind}");
                assert_eq!(raw["multiValueHeaders"]["vary"], json!(both), "{kind}");
                assert_eq!(
                    raw["multiValueHeaders"]["set-cookie"],
                    json!(cookies),
                    "{kind}"
                );
                assert_eq!(raw["statusDescription"], json!("200 OK"), "{kind}");
                if kind == EventKind::AlbMultiValue {
                    assert_eq!(invocation.header_values("Vary"), both, "{kind}");
                    assert_eq!(invocation.header_values("Set-Cookie"), cookies, "{kind}");
                } else {
                    assert_eq!(invocation.header_values("Vary"), first, "{kind}");
                    assert_eq!(
                        invocation.header_values("Set-Cookie"),
                        strings(&["a=1"]),
                        "{kind}"
                    );
                }
            }
            EventKind::VpcLatticeV2 => {
                assert_eq!(raw["headers"]["vary"], json!("Origin"), "{kind}: {raw}");
                assert_eq!(raw["headers"]["set-cookie"], json!("a=1"), "{kind}");
                assert!(raw.get("multiValueHeaders").is_none(), "{kind}");
                assert!(raw.get("cookies").is_none(), "{kind}");
                assert_eq!(invocation.header_values("Vary"), first, "{kind}");
                assert_eq!(
                    invocation.header_values("Set-Cookie"),
                    strings(&["a=1"]),
                    "{kind}"
                );
            }
        }
        assert_eq!(
            invocation.header_values("vary").len() == 2,
            kind.keeps_repeated_response_headers(),
            "{kind}"
        );
        assert_eq!(
            invocation.header("content-type").as_deref(),
            Some("text/plain"),
            "{kind}"
        );
        assert_eq!(invocation.body(), "ok", "{kind}");
    }
}

#[tokio::test]
async fn a_merged_vary_value_reaches_the_browser_intact_for_every_kind() {
    let handler = service_fn(|_req: Request| async {
        Response::builder()
            .header("vary", "Origin, Access-Control-Request-Method")
            .body(Body::Empty)
    });
    for kind in EventKind::ALL {
        let invocation = invoke(handler, &kind.event()).await.unwrap();
        assert_eq!(
            invocation.header("Vary").as_deref(),
            Some("Origin, Access-Control-Request-Method"),
            "{kind}: {}",
            invocation.raw()
        );
    }
}

#[tokio::test]
#[should_panic(expected = "would reach the browser 2 times")]
async fn header_panics_when_a_header_would_arrive_twice() {
    let handler = service_fn(|_req: Request| async {
        Response::builder()
            .header("access-control-allow-origin", A)
            .header("access-control-allow-origin", B)
            .body(Body::Empty)
    });
    let invocation = invoke(handler, &EventKind::RestV1.event()).await.unwrap();
    let _ = invocation.header("Access-Control-Allow-Origin");
}

#[tokio::test]
async fn status_body_and_absent_headers() {
    let handler = service_fn(|_req: Request| async {
        Response::builder()
            .status(StatusCode::NO_CONTENT)
            .body(Body::Empty)
    });
    for kind in EventKind::ALL {
        let invocation = invoke(handler, &kind.event()).await.unwrap();
        assert_eq!(invocation.kind(), kind);
        assert_eq!(invocation.status(), 204, "{kind}");
        assert_eq!(invocation.body(), "", "{kind}");
        assert_eq!(
            invocation.header("access-control-allow-origin"),
            None,
            "{kind}"
        );
        assert!(invocation.header_values("vary").is_empty(), "{kind}");
        assert!(
            invocation.headers().is_empty(),
            "{kind}: {}",
            invocation.raw()
        );
    }
}

#[tokio::test]
async fn binary_bodies_are_base64_decoded() {
    let bytes: Vec<u8> = vec![0, 159, 146, 150, 255];
    let handler = service_fn(|_req: Request| {
        let bytes = bytes.clone();
        async move { Ok::<_, Infallible>(bytes) }
    });
    for kind in EventKind::ALL {
        let invocation = invoke(handler, &kind.event()).await.unwrap();
        assert_eq!(invocation.raw()["isBase64Encoded"], json!(true), "{kind}");
        assert_eq!(invocation.body_bytes(), bytes, "{kind}");
    }
}

#[tokio::test]
async fn handlers_may_borrow_test_state() {
    let greeting = String::from("hello from borrowed state");
    let handler = service_fn(|_req: Request| {
        let greeting = &greeting;
        async move { Ok::<_, Infallible>(greeting.clone()) }
    });
    let invocation = invoke(handler, &EventKind::HttpV2.event()).await.unwrap();
    assert_eq!(invocation.body(), greeting);
}

#[tokio::test]
async fn handler_errors_are_returned() {
    let handler = service_fn(|_req: Request| async { Err::<String, _>("boom") });
    let result = invoke(handler, &EventKind::AlbSingleValue.event()).await;
    assert_eq!(result.err(), Some("boom"));
}

#[tokio::test]
async fn invoke_accepts_json_text_values_and_builders() {
    let handler = service_fn(|_req: Request| async { Ok::<_, Infallible>("ok") });
    let from_text = invoke(handler, EventKind::FunctionUrl.fixture())
        .await
        .unwrap();
    let from_value = invoke(handler, &EventKind::FunctionUrl.template())
        .await
        .unwrap();
    let from_builder = invoke(handler, &EventKind::FunctionUrl.event())
        .await
        .unwrap();
    for invocation in [from_text, from_value, from_builder] {
        assert_eq!(invocation.kind(), EventKind::FunctionUrl);
        assert_eq!(invocation.event(), &EventKind::FunctionUrl.template());
        assert_eq!(invocation.body(), "ok");
    }
}

#[test]
fn rest_v1_reader_merges_headers_into_multi_value_headers_like_api_gateway() {
    let raw = json!({
        "statusCode": 200,
        "headers": {"Vary": "Origin", "X-Only-Single": "1"},
        "multiValueHeaders": {"vary": ["Origin", "Accept-Encoding"], "x-extra": ["a"]},
        "isBase64Encoded": false
    });
    let invocation = Invocation::from_response(EventKind::RestV1, raw.clone());
    assert_eq!(
        invocation.header_values("vary"),
        strings(&["Origin", "Accept-Encoding"])
    );
    assert_eq!(invocation.header("x-only-single").as_deref(), Some("1"));
    assert_eq!(invocation.header("X-EXTRA").as_deref(), Some("a"));

    // An ALB reads only the field its target group is configured for.
    let single = Invocation::from_response(EventKind::AlbSingleValue, raw.clone());
    assert_eq!(single.header_values("vary"), strings(&["Origin"]));
    assert_eq!(single.header("x-extra"), None);
    let multi = Invocation::from_response(EventKind::AlbMultiValue, raw);
    assert_eq!(multi.header("x-only-single"), None);
}
