//! The event-kind suite of `event_kinds` against an axum `Router` under `cors_layer!`: real Lambda
//! event JSON for every `EventKind`, through `lambda_http`'s own `Adapter` on the router, checked
//! with the same table and the same expectations as the `#[cors]` handler.
//!
//! The router has several routes (`get`, `put`, `delete`) whose handlers run the suite's
//! business logic (its own `Vary`, and on `/sets-cors` CORS headers of its own), and the layer has
//! the attribute's settings. It must pass every case on every kind, made by the macro and by
//! `CorsLayer::builder()` alike. The controls, on the same router:
//!
//! - without CORS, which must fail exactly `PLAIN_FAILS`, as the handler without `#[cors]` does;
//! - under tower-http's `CorsLayer` configured the same way (the same origins, the pattern as a
//!   predicate, credentials, methods, headers, exposed headers, max age), which must fail exactly
//!   `tower_http_fails()`, among them for the reasons a browser or a cache would suffer from:
//!   `Access-Control-Allow-Credentials` sent to refused origins, a refused preflight answered with
//!   allow-methods and allow-headers, and its `Vary` added as a second line, which HTTP APIs,
//!   Function URLs, single-value ALBs and VPC Lattice drop.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use axum::routing::get;
use cors_runtime::{CorsLayer, cors_layer};
use cors_tests::events::{EventKind, invoke};
use cors_tests::reference::is_dns_label;
use http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer as TowerHttpCors};

use crate::event_kinds::{EVIL, PLAIN_FAILS, all_kinds, business, failures_of, preflight};

/// Every route runs the suite's business logic.
async fn handler(request: Request) -> Response {
    business(&request)
}

/// The API: `/items`, `/items/{id}` and `/sets-cors`. `/items` also answers a plain
/// `OPTIONS` (one without `Access-Control-Request-Method`, which is no preflight): the table's
/// case "options without request-method reaches the handler" needs a handler for it.
fn api() -> Router {
    Router::new()
        .route("/items", get(handler).put(handler).options(handler))
        .route("/items/{id}", get(handler).put(handler).delete(handler))
        .route("/sets-cors", get(handler).put(handler))
}

/// The router `lambda_http::run` would serve. API Gateway REST (payload 1.0) events carry the
/// stage in the path (`lambda_http` hands the app `/prod/items`), so the API is also nested under
/// `/prod`, as a REST deployment's router has to be.
fn router() -> Router {
    Router::new().merge(api()).nest("/prod", api())
}

/// The `#[cors]` handler's settings in `event_kinds`, as a layer.
fn layer() -> CorsLayer {
    cors_layer!(
        origins = ["https://app.example.com", "https://*.preview.example.com"],
        credentials,
        methods = ["GET", "PUT", "DELETE"],
        headers = ["content-type", "x-request-id"],
        expose_headers = ["x-request-id"],
        max_age = 600
    )
}

/// The same settings, known at run time.
fn built_layer() -> CorsLayer {
    CorsLayer::builder()
        .origins(["https://app.example.com", "https://*.preview.example.com"])
        .credentials(true)
        .methods(["GET", "PUT", "DELETE"])
        .headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .max_age(600)
        .build()
        .expect("a valid policy")
}

/// tower-http's `CorsLayer` configured the same way: tower-http has no patterns, so the origins
/// are a predicate (the listed origin, or one DNS label under `https://*.preview.example.com`).
fn tower_http_layer() -> TowerHttpCors {
    let allowed = |origin: &HeaderValue, _: &http::request::Parts| {
        let origin = origin.as_bytes();
        origin == b"https://app.example.com"
            || origin
                .strip_prefix(b"https://")
                .and_then(|rest| rest.strip_suffix(b".preview.example.com"))
                .and_then(|label| std::str::from_utf8(label).ok())
                .is_some_and(is_dns_label)
    };
    TowerHttpCors::new()
        .allow_origin(AllowOrigin::predicate(allowed))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::PUT, Method::DELETE])
        .allow_headers([
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600))
}

#[tokio::test]
async fn router_under_the_layer_passes_every_case_on_every_event_kind() {
    let failed = failures_of(router().layer(layer())).await;
    assert!(failed.is_empty(), "failed: {failed:#?}");
}

#[tokio::test]
async fn router_under_a_built_layer_passes_every_case_on_every_event_kind() {
    let failed = failures_of(router().layer(built_layer())).await;
    assert!(failed.is_empty(), "failed: {failed:#?}");
}

#[tokio::test]
async fn control_router_without_cors_fails_the_named_cases() {
    let failed: BTreeSet<_> = failures_of(router()).await.into_keys().collect();
    assert_eq!(failed, all_kinds(PLAIN_FAILS));
}

/// tower-http sends `Access-Control-Allow-Credentials: true` (and `Vary`) whatever the origin,
/// answers every `OPTIONS` as a preflight (with allow-methods and allow-headers, whatever the
/// origin), adds its allow-origin and credentials over the handler's own CORS headers but leaves
/// the others (a refused origin keeps the handler's `*`), reads only the first of two `Origin`
/// values, and appends its `Vary` as a line of its own: where the platform keeps one value per
/// response header, the handler's line wins and `Origin` is lost.
fn tower_http_fails() -> BTreeSet<(String, &'static str)> {
    let mut expected = all_kinds(&[
        // `Access-Control-Allow-Credentials: true` reaches the refused origin.
        "unlisted origin gets no cors headers",
        "look-alike origins are refused",
        "scheme downgrade is refused",
        "null origin is refused",
        "origin-less response varies on origin",
        "two origin values are refused",
        // The handler's allow-methods/allow-headers/max-age stay; on a refused origin its `*`.
        "handler's own cors headers are replaced",
        "handler's own cors headers never reach a refused origin",
        // allow-methods and allow-headers (and credentials) for the refused origin's preflight.
        "preflight from unlisted origin is refused without the handler",
        // Every `OPTIONS` is answered as a preflight: the handler never runs.
        "options without request-method reaches the handler",
    ]);
    for kind in EventKind::ALL {
        // A second `Vary` line survives only where the platform keeps repeated headers.
        if !kind.keeps_repeated_response_headers() {
            for case in [
                "vary merges origin into the handler's own",
                "refusal varies on origin",
            ] {
                expected.insert((kind.to_string(), case));
            }
        }
    }
    expected
}

#[tokio::test]
async fn control_tower_http_configured_the_same_way_fails_the_named_cases() {
    let failed = failures_of(router().layer(tower_http_layer())).await;
    let names: BTreeSet<_> = failed.keys().cloned().collect();
    assert_eq!(names, tower_http_fails());
    // The three mistakes a browser or a cache suffers from, for the reason named, on every kind.
    let why = |kind: EventKind, case: &'static str| {
        failed
            .get(&(kind.to_string(), case))
            .unwrap_or_else(|| panic!("{kind}: {case} passed"))
    };
    for kind in EventKind::ALL {
        assert!(
            why(kind, "unlisted origin gets no cors headers")
                .starts_with("access-control-allow-credentials sent to a refused origin"),
            "{kind}"
        );
        assert!(
            why(
                kind,
                "preflight from unlisted origin is refused without the handler"
            )
            .contains("sent to a refused origin"),
            "{kind}"
        );
        // The check stops at the first header; the refused preflight also carries the rest.
        let refused = invoke(
            router().layer(tower_http_layer()),
            &preflight(kind, EVIL, "PUT", "content-type"),
        )
        .await
        .unwrap();
        for name in [
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            assert!(
                !refused.header_values(name).is_empty(),
                "{kind}: tower-http's refused preflight without {name}"
            );
        }
        if !kind.keeps_repeated_response_headers() {
            assert!(
                why(kind, "vary merges origin into the handler's own").contains("lacks Origin"),
                "{kind}"
            );
        }
    }
}
