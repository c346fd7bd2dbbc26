//! How `cors_layer!` combines with the rest of an axum app, each claim of
//! `cors-runtime/docs/cors_layer.md` ("Where it goes") checked through real events
//! (`lambda_http`'s own `Adapter`, so a header line the service drops is dropped here too):
//!
//! - layer order: a layer adding its own `Vary` outside the CORS layer adds a second line, which
//!   HTTP APIs, Function URLs, single-value ALBs and VPC Lattice drop; inside, the CORS layer
//!   merges it into one line;
//! - `Router::route_layer`: preflights to existing routes answered, a path without a route gets
//!   axum's `404` without CORS headers; `MethodRouter::layer` covers its route only;
//! - a router-wide layer around a per-route or nested one: the outer one decides every request;
//! - one policy per group of routes by merging separately layered routers, and what a path no
//!   group routes gets.

use std::task::{Context, Poll};

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use axum::routing::get;
use cors_runtime::cors_layer;
use cors_tests::events::{EventBuilder, EventKind, Invocation, invoke};
use http::HeaderValue;
use http::header::VARY;
use tower::{Layer, Service};

use crate::event_kinds::{APP, EVIL, tokens};

async fn handler() -> Response {
    Response::builder()
        .header("x-handler", "ran")
        .body("ok".into())
        .unwrap()
}

fn get_from(kind: EventKind, path: &str, origin: &str) -> EventBuilder {
    kind.event().path(path).header("origin", origin)
}

fn preflight_from(kind: EventKind, path: &str, origin: &str) -> EventBuilder {
    kind.event()
        .method("OPTIONS")
        .path(path)
        .header("origin", origin)
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "content-type")
}

/// `event` through `app`, as `lambda_http::run(app)` would serve it. A REST API (payload 1.0)
/// event's path carries the stage (`lambda_http` hands the app `/prod/...`), so for those the app
/// is nested under `/prod`, as a REST deployment's router has to be.
async fn send(app: &Router, event: &EventBuilder) -> Invocation {
    let app = match event.kind() {
        EventKind::RestV1 => Router::new().nest("/prod", app.clone()),
        _ => app.clone(),
    };
    invoke(app, event).await.unwrap()
}

/// Every `access-control-*` header the browser would receive.
fn cors_headers(inv: &Invocation) -> Vec<(String, String)> {
    let mut headers = inv.headers();
    headers.retain(|(name, _)| name.starts_with("access-control-"));
    headers
}

fn allow_origin(inv: &Invocation) -> Option<String> {
    inv.header("access-control-allow-origin")
}

fn handler_ran(inv: &Invocation) -> bool {
    inv.header_values("x-handler") == ["ran"]
}

// ---------------------------------------------------------------------------------------------
// Layer order.

/// What a compression layer does to `Vary` (tower-http's `CompressionLayer` appends
/// `Vary: accept-encoding` to every response it may compress), or with `Replace`, what a layer
/// setting a header of its own does.
#[derive(Clone, Copy)]
enum AddsVary {
    Append,
    Replace,
}

impl<S> Layer<S> for AddsVary {
    type Service = AddsVaryService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AddsVaryService { inner, how: *self }
    }
}

#[derive(Clone)]
struct AddsVaryService<S> {
    inner: S,
    how: AddsVary,
}

impl<S, B> Service<Request> for AddsVaryService<S>
where
    S: Service<Request, Response = Response<B>> + Send,
    S::Future: Send + 'static,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Response<B>, S::Error>> + Send + 'static>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let future = self.inner.call(request);
        let how = self.how;
        Box::pin(async move {
            let mut response = future.await?;
            let value = HeaderValue::from_static("accept-encoding");
            match how {
                AddsVary::Append => response.headers_mut().append(VARY, value),
                AddsVary::Replace => response.headers_mut().insert(VARY, value).is_some(),
            };
            Ok(response)
        })
    }
}

fn notes() -> Router {
    Router::new().route("/notes/{id}", get(handler).put(handler))
}

#[tokio::test]
async fn a_vary_added_outside_the_layer_is_a_second_line_that_single_value_kinds_drop() {
    let cors = || cors_layer!(origins = ["https://app.example.com"]);
    let outside = notes().layer(cors()).layer(AddsVary::Append);
    let inside = notes().layer(AddsVary::Append).layer(cors());
    let replaced = notes().layer(cors()).layer(AddsVary::Replace);
    for kind in EventKind::ALL {
        let event = get_from(kind, "/notes/1", APP);

        // Outside: the CORS layer's line, then the other layer's. Where the platform keeps one
        // value per header, the second line (here `accept-encoding`) never reaches the cache.
        let inv = send(&outside, &event).await;
        assert!(handler_ran(&inv), "{kind}");
        let lines = inv.header_values("vary");
        if kind.keeps_repeated_response_headers() {
            assert_eq!(lines, ["Origin", "accept-encoding"], "{kind}");
        } else {
            assert_eq!(lines, ["Origin"], "{kind}: accept-encoding dropped");
        }

        // Inside: merged into one line, which every kind delivers.
        let inv = send(&inside, &event).await;
        assert_eq!(
            inv.header_values("vary"),
            ["accept-encoding, Origin"],
            "{kind}"
        );
        assert_eq!(allow_origin(&inv).as_deref(), Some(APP), "{kind}");

        // A layer outside that sets `Vary` itself replaces the CORS layer's: `Origin` is lost.
        let inv = send(&replaced, &event).await;
        assert_eq!(inv.header_values("vary"), ["accept-encoding"], "{kind}");
    }
}

// ---------------------------------------------------------------------------------------------
// `route_layer` and `MethodRouter::layer`.

#[tokio::test]
async fn route_layer_answers_preflights_to_routes_and_leaves_unrouted_paths_to_axum() {
    let app = notes().route_layer(cors_layer!(
        origins = ["https://app.example.com"],
        credentials
    ));
    let kind = EventKind::HttpV2;

    // A preflight to an existing route: answered, although the route has no `OPTIONS` (axum's
    // `405` for the route's other methods is under the route layer too).
    let inv = send(&app, &preflight_from(kind, "/notes/1", APP)).await;
    assert_eq!(inv.status(), 204);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    assert!(!handler_ran(&inv));
    // A method the route lacks: the layer still decorates axum's `405`.
    let inv = send(&app, &get_from(kind, "/notes/1", APP).method("DELETE")).await;
    assert_eq!(inv.status(), 405);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));

    let inv = send(&app, &get_from(kind, "/notes/1", APP)).await;
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    assert!(handler_ran(&inv));

    // A path without a route: axum's `404`, no CORS header, no `Vary`, for a preflight too.
    for event in [
        get_from(kind, "/nowhere", APP),
        preflight_from(kind, "/nowhere", APP),
    ] {
        let inv = send(&app, &event).await;
        assert_eq!(inv.status(), 404);
        assert!(cors_headers(&inv).is_empty(), "{:?}", inv.headers());
        assert!(inv.header_values("vary").is_empty());
    }

    // `Router::layer` instead: the same `404`, readable by the page.
    let app = notes().layer(cors_layer!(
        origins = ["https://app.example.com"],
        credentials
    ));
    let inv = send(&app, &get_from(kind, "/nowhere", APP)).await;
    assert_eq!(inv.status(), 404);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    let inv = send(&app, &preflight_from(kind, "/nowhere", APP)).await;
    assert_eq!(inv.status(), 204);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
}

#[tokio::test]
async fn method_router_layer_covers_its_route_only() {
    let app = Router::new()
        .route(
            "/notes/{id}",
            get(handler)
                .put(handler)
                .layer(cors_layer!(origins = ["https://app.example.com"])),
        )
        .route("/health", get(handler));
    let kind = EventKind::FunctionUrl;

    let inv = send(&app, &preflight_from(kind, "/notes/1", APP)).await;
    assert_eq!(inv.status(), 204);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    let inv = send(&app, &get_from(kind, "/notes/1", APP)).await;
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    assert!(handler_ran(&inv));

    // The other route has no CORS at all: axum's `405` to the preflight, nothing on the GET.
    let inv = send(&app, &preflight_from(kind, "/health", APP)).await;
    assert_eq!(inv.status(), 405);
    assert!(cors_headers(&inv).is_empty());
    let inv = send(&app, &get_from(kind, "/health", APP)).await;
    assert!(handler_ran(&inv));
    assert!(cors_headers(&inv).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Layers around layers.

const INNER: &str = "https://inner.example.com";
const OUTER: &str = "https://outer.example.com";

#[tokio::test]
async fn the_outer_layer_decides_every_request() {
    let inner = || {
        cors_layer!(
            origins = ["https://inner.example.com"],
            expose_headers = ["x-inner"]
        )
    };
    let outer = || cors_layer!(origins = ["https://outer.example.com"], credentials);
    let per_route = Router::new()
        .route("/inner/x", get(handler).put(handler).layer(inner()))
        .layer(outer());
    let nested = Router::new()
        .nest(
            "/inner",
            Router::new()
                .route("/x", get(handler).put(handler))
                .layer(inner()),
        )
        .layer(outer());
    for (what, app) in [("per-route", per_route), ("nested", nested)] {
        for kind in EventKind::ALL {
            let path = "/inner/x";
            // The inner layer's origin: the outer layer answers its preflight, refused, and
            // strips what the inner layer put on the actual response.
            let inv = send(&app, &preflight_from(kind, path, INNER)).await;
            assert_eq!(inv.status(), 204, "{what} {kind}");
            assert!(
                cors_headers(&inv).is_empty(),
                "{what} {kind}: {:?}",
                inv.headers()
            );
            let inv = send(&app, &get_from(kind, path, INNER)).await;
            assert!(handler_ran(&inv), "{what} {kind}");
            assert!(
                cors_headers(&inv).is_empty(),
                "{what} {kind}: {:?}",
                inv.headers()
            );

            // The outer layer's origin: allowed with the outer policy (credentials), although
            // the inner policy refuses it; nothing of the inner policy (`x-inner`) remains.
            let inv = send(&app, &preflight_from(kind, path, OUTER)).await;
            assert_eq!(inv.status(), 204, "{what} {kind}");
            assert_eq!(allow_origin(&inv).as_deref(), Some(OUTER), "{what} {kind}");
            assert_eq!(
                inv.header("access-control-allow-credentials").as_deref(),
                Some("true")
            );
            assert!(!handler_ran(&inv));
            let inv = send(&app, &get_from(kind, path, OUTER)).await;
            assert!(handler_ran(&inv), "{what} {kind}");
            assert_eq!(allow_origin(&inv).as_deref(), Some(OUTER), "{what} {kind}");
            assert_eq!(
                inv.header("access-control-allow-credentials").as_deref(),
                Some("true")
            );
            assert!(inv.header("access-control-expose-headers").is_none());
            // One `Vary` line, naming `Origin` once.
            assert_eq!(inv.header_values("vary"), ["Origin"], "{what} {kind}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One policy per group of routes.

fn public() -> Router {
    Router::new()
        .route("/public/hello", get(handler))
        .layer(cors_layer!(origins = "*"))
}

fn account() -> Router {
    Router::new()
        .route("/account/me", get(handler).put(handler))
        .layer(cors_layer!(
            origins = ["https://app.example.com"],
            credentials
        ))
}

#[tokio::test]
async fn merged_routers_keep_each_groups_policy() {
    let app = public().merge(account());
    for kind in EventKind::ALL {
        // The public group: `*` for anyone, never credentials.
        for origin in [APP, EVIL] {
            let inv = send(&app, &get_from(kind, "/public/hello", origin)).await;
            assert!(handler_ran(&inv), "{kind}");
            assert_eq!(allow_origin(&inv).as_deref(), Some("*"), "{kind} {origin}");
            assert!(inv.header("access-control-allow-credentials").is_none());
            let inv = send(&app, &preflight_from(kind, "/public/hello", origin)).await;
            assert_eq!(allow_origin(&inv).as_deref(), Some("*"), "{kind} {origin}");
        }
        // The account group: the listed origin with credentials, nobody else.
        let inv = send(&app, &get_from(kind, "/account/me", APP)).await;
        assert!(handler_ran(&inv), "{kind}");
        assert_eq!(allow_origin(&inv).as_deref(), Some(APP), "{kind}");
        assert_eq!(
            inv.header("access-control-allow-credentials").as_deref(),
            Some("true")
        );
        let inv = send(&app, &preflight_from(kind, "/account/me", APP)).await;
        assert_eq!(allow_origin(&inv).as_deref(), Some(APP), "{kind}");
        for event in [
            get_from(kind, "/account/me", EVIL),
            preflight_from(kind, "/account/me", EVIL),
        ] {
            let inv = send(&app, &event).await;
            assert!(cors_headers(&inv).is_empty(), "{kind}: {:?}", inv.headers());
            assert!(tokens(&inv, "vary").contains(&"origin".into()));
        }
    }
}

/// A path no group routes gets axum's `404` from the fallback of the router merged last, under
/// that router's layer: `a.merge(b)` answers it with `b`'s policy.
#[tokio::test]
async fn a_path_no_group_routes_gets_the_policy_of_the_router_merged_last() {
    let kind = EventKind::HttpV2;
    let account_last = public().merge(account());
    let public_last = account().merge(public());

    let inv = send(&account_last, &get_from(kind, "/nowhere", EVIL)).await;
    assert_eq!(inv.status(), 404);
    assert!(cors_headers(&inv).is_empty(), "{:?}", inv.headers());
    let inv = send(&account_last, &get_from(kind, "/nowhere", APP)).await;
    assert_eq!(inv.status(), 404);
    assert_eq!(allow_origin(&inv).as_deref(), Some(APP));
    assert_eq!(
        inv.header("access-control-allow-credentials").as_deref(),
        Some("true")
    );

    let inv = send(&public_last, &get_from(kind, "/nowhere", EVIL)).await;
    assert_eq!(inv.status(), 404);
    assert_eq!(allow_origin(&inv).as_deref(), Some("*"));
    let inv = send(&public_last, &preflight_from(kind, "/nowhere", EVIL)).await;
    assert_eq!(inv.status(), 204);
    assert_eq!(allow_origin(&inv).as_deref(), Some("*"));
}
