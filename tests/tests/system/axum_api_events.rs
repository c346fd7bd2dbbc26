//! The `axum-api` example (an axum `Router` under `cors_layer!`) as it runs deployed: its binary
//! under `cargo lambda watch`, invoked through the Lambda invoke API with the real event JSON of
//! every service (`cors_tests::events`), so that `lambda_http::run`'s own event handling makes
//! the request its router sees.
//!
//! An API Gateway REST API (payload 1.0) puts its stage in the event (`prod` here), and
//! `lambda_http` keeps it in the request's path (`/prod/notes`) unless the function's
//! environment has `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH`. Without it no route of the router
//! matches, so every request gets axum's `404`, while the CORS layer, which answers preflights
//! before routing, still answers them: the page's preflights pass and its first real call
//! fails. The example's documentation says to set the variable; the first test runs every
//! route on every kind of event with it, the second shows what happens without it.

use cors_dev::local_api::LocalApi;
use cors_tests::events::{EventBuilder, EventKind, Invocation};

const ALLOWED: &str = "https://app.example.com";

/// What the documentation says to set behind a REST API.
const IGNORE_STAGE: (&str, &str) = ("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true");

fn start(extra_env: &[(&str, &str)]) -> LocalApi {
    let mut env = vec![("ALLOWED_ORIGINS", ALLOWED)];
    env.extend_from_slice(extra_env);
    LocalApi::start("axum-api", &env).unwrap_or_else(|e| panic!("axum-api: {e}"))
}

/// `event` sent to the function; the answer read as the event's service reads it.
fn invoke(api: &LocalApi, event: &EventBuilder) -> Invocation {
    let response = api
        .invoke(&event.build().to_string())
        .unwrap_or_else(|e| panic!("invoking axum-api: {e}\n{}", api.log()));
    assert_eq!(response.status, 200, "the invoke API: {}", response.text());
    let raw = serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("not a proxy response ({e}): {}", response.text()));
    Invocation::from_response(event.kind(), raw)
}

fn request(kind: EventKind, method: &str, path: &str) -> EventBuilder {
    kind.event()
        .method(method)
        .path(path)
        .header("Origin", ALLOWED)
}

fn preflight(kind: EventKind, path: &str) -> EventBuilder {
    request(kind, "OPTIONS", path)
        .header("Access-Control-Request-Method", "PUT")
        .header(
            "Access-Control-Request-Headers",
            "content-type,x-request-id",
        )
}

#[test]
fn every_route_answers_on_every_kind_of_event_with_the_stage_setting() {
    let api = start(&[IGNORE_STAGE]);
    for kind in EventKind::ALL {
        let id = format!("note-{}", kind.fixture_name().trim_end_matches(".json"));
        let note = format!("/notes/{id}");

        let preflight = invoke(&api, &preflight(kind, &note));
        assert_eq!(preflight.status(), 204, "{kind}: preflight of PUT {note}");
        assert_eq!(
            preflight.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );

        let put = invoke(
            &api,
            &request(kind, "PUT", &note)
                .header("Content-Type", "application/json")
                .header("x-request-id", "42")
                .body(r#"{"text":"hello"}"#),
        );
        assert_eq!(put.status(), 200, "{kind}: PUT {note}: {}", put.body());
        assert_eq!(put.header("x-note-version").as_deref(), Some("1"), "{kind}");
        assert_eq!(
            put.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );

        let read = invoke(&api, &request(kind, "GET", &note));
        assert_eq!(read.status(), 200, "{kind}: GET {note}: {}", read.body());
        assert!(read.body().contains("hello"), "{kind}: {}", read.body());

        let list = invoke(&api, &request(kind, "GET", "/notes"));
        assert_eq!(list.status(), 200, "{kind}: GET /notes: {}", list.body());
        assert!(list.body().contains(&id), "{kind}: {}", list.body());
        assert_eq!(
            list.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );
        assert_eq!(list.header("vary").as_deref(), Some("Origin"), "{kind}");

        // The handler ran: not logged in (without the fixture's headers, whose HTTP API
        // event carries a session cookie).
        let session = invoke(
            &api,
            &request(kind, "GET", "/session").without_fixture_headers(),
        );
        assert_eq!(
            session.status(),
            401,
            "{kind}: GET /session: {}",
            session.body()
        );
    }
}

#[test]
fn without_the_stage_setting_a_rest_api_gets_404_on_every_route_but_preflights_pass() {
    let api = start(&[]);
    let rest = EventKind::RestV1;
    for (method, path) in [("GET", "/notes"), ("GET", "/session"), ("GET", "/count")] {
        let answer = invoke(&api, &request(rest, method, path));
        assert_eq!(
            answer.status(),
            404,
            "{method} {path} on a REST API: the router saw /prod{path}"
        );
        // The layer's headers are on the 404: the page can read it, and sees a 404.
        assert_eq!(
            answer.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );
    }
    let passed = invoke(&api, &preflight(rest, "/notes/1"));
    assert_eq!(
        passed.status(),
        204,
        "the layer answers the preflight before routing"
    );

    // The same router behind the other services, where the path has no stage.
    for kind in [
        EventKind::HttpV2,
        EventKind::FunctionUrl,
        EventKind::AlbMultiValue,
    ] {
        let list = invoke(&api, &request(kind, "GET", "/notes"));
        assert_eq!(list.status(), 200, "{kind}: GET /notes: {}", list.body());
    }
}
