//! The service `cors_layer!` makes, as the tower ecosystem needs it: `Clone + Send + Sync` and a
//! `Send` future (checked by the compiler), accepted by `Router::layer`, `tower::ServiceBuilder`,
//! `lambda_http::run`, `run_concurrent` and `run_with_streaming_response` (checked by the
//! compiler: the futures are made, never run), a streaming body passed through chunk by chunk
//! (through `lambda_http`'s own `StreamAdapter`), and `axum::serve` outside Lambda (a real server
//! on a free port, real HTTP requests).

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body as AxumBody, Bytes};
use axum::response::Response;
use axum::routing::get;
use cors_dev::http_client::{HttpResponse, http_request};
use cors_runtime::layer::{CorsService, ResponseFuture};
use cors_runtime::{CorsLayer, Origin, cors_layer};
use cors_tests::events::{EventKind, invoke};
use futures_util::StreamExt;
use lambda_http::request::LambdaRequest;
use lambda_http::{Context, LambdaEvent, Request, Service, StreamAdapter, service_fn};
use tokio::sync::mpsc;
use tower::ServiceBuilder;
use tower::util::ServiceFn;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
fn send<T: Send>() {}

type RouterFuture = <Router as Service<http::Request<AxumBody>>>::Future;
type HandlerFuture = <ServiceFn<fn(Request) -> Handled> as Service<Request>>::Future;
type Handled = std::future::Ready<Result<lambda_http::Response<lambda_http::Body>, Infallible>>;

// Checked when the test binary compiles.
const _: () = {
    let _ = clone_send_sync::<CorsLayer>;
    let _ = clone_send_sync::<CorsService<Router>>;
    let _ = clone_send_sync::<CorsService<ServiceFn<fn(Request) -> Handled>>>;
    let _ = send::<ResponseFuture<RouterFuture, AxumBody>>;
    let _ = send::<ResponseFuture<HandlerFuture, lambda_http::Body>>;
};

/// A `lambda_http` handler, without `#[cors]`.
fn handler(_event: Request) -> Handled {
    std::future::ready(Ok(lambda_http::Response::new(lambda_http::Body::from(
        "ok",
    ))))
}

fn notes() -> Router {
    Router::new().route(
        "/notes/{id}",
        get(|| async { "a note" }).put(|| async { "saved" }),
    )
}

fn policy() -> CorsLayer {
    cors_layer!(origins = ["https://app.example.com"], credentials)
}

#[test]
fn a_built_layer_with_a_predicate_is_clone_send_sync_too() {
    fn layer_of<T: Clone + Send + Sync + 'static>(_: &T) {}
    let layer = CorsLayer::builder()
        .origins_fn(|origin: &Origin| origin.host().ends_with(".tenants.example.com"))
        .build()
        .unwrap();
    layer_of(&layer);
    layer_of(&notes().layer(layer.clone()));
    layer_of(&ServiceBuilder::new().layer(layer).service(notes()));
}

/// Every entry point of `lambda_http` takes the layered router, a `ServiceBuilder` stack and a
/// layered `service_fn`: the futures are made (so the bounds hold) and dropped unpolled.
/// `run_concurrent` takes the layer around a `lambda_http` handler, not around an axum router.
#[test]
fn lambda_http_runs_the_layered_service() {
    drop(lambda_http::run(notes().layer(policy())));
    // Not `run_concurrent(router)`: it needs a `Sync` response, and axum's body is not `Sync`,
    // with or without the layer (lambda_http 1.3, axum 0.8). A `lambda_http` handler's is.
    drop(lambda_http::run_with_streaming_response(
        notes().layer(policy()),
    ));
    drop(lambda_http::run(
        ServiceBuilder::new().layer(policy()).service(notes()),
    ));
    drop(lambda_http::run_concurrent(
        ServiceBuilder::new()
            .layer(policy())
            .service(service_fn(handler)),
    ));
}

/// The same request through `Router::layer`, `ServiceBuilder` around a router, and
/// `ServiceBuilder` around a `lambda_http` handler, as `lambda_http` hands it over: the same
/// headers.
#[tokio::test]
async fn router_layer_and_service_builder_answer_alike() {
    let event = |origin: &str| {
        EventKind::HttpV2
            .event()
            .path("/notes/1")
            .header("origin", origin)
    };
    for origin in [APP, EVIL] {
        let layered = invoke(notes().layer(policy()), &event(origin))
            .await
            .unwrap();
        let built = invoke(
            ServiceBuilder::new().layer(policy()).service(notes()),
            &event(origin),
        )
        .await
        .unwrap();
        let around_handler = invoke(
            ServiceBuilder::new()
                .layer(policy())
                .service(service_fn(handler)),
            &event(origin),
        )
        .await
        .unwrap();
        let cors = |inv: &cors_tests::events::Invocation| {
            let mut headers = inv.headers();
            headers.retain(|(name, _)| name.starts_with("access-control-") || name == "vary");
            headers.sort();
            headers
        };
        let allowed = origin == APP;
        assert_eq!(
            cors(&layered)
                .iter()
                .any(|(n, v)| n == "access-control-allow-origin" && v == APP),
            allowed,
            "{origin}"
        );
        assert_eq!(cors(&layered), cors(&built), "{origin}");
        assert_eq!(cors(&layered), cors(&around_handler), "{origin}");
        assert_eq!(layered.body(), "a note");
        assert_eq!(built.body(), "a note");
    }
}

/// Under `run_with_streaming_response`: `lambda_http`'s `StreamAdapter` on a layered router
/// whose handler streams. The response (with its CORS headers) is there before the body has a
/// single chunk, and each chunk arrives before the next one exists: nothing buffers the body.
#[tokio::test]
async fn a_streaming_body_passes_through_chunk_by_chunk() {
    type Chunks = mpsc::Receiver<Result<Bytes, Infallible>>;
    let (chunks, receiver): (mpsc::Sender<_>, Chunks) = mpsc::channel(1);
    let receiver = Arc::new(Mutex::new(Some(receiver)));
    let app = Router::new()
        .route(
            "/stream",
            get(move || async move {
                let receiver = receiver.lock().unwrap().take().expect("one request");
                let stream = futures_util::stream::unfold(receiver, |mut receiver| async {
                    receiver.recv().await.map(|chunk| (chunk, receiver))
                });
                Response::builder()
                    .header("vary", "Accept-Encoding")
                    .body(AxumBody::from_stream(stream))
                    .unwrap()
            }),
        )
        .layer(cors_layer!(
            origins = ["https://app.example.com"],
            credentials,
            expose_headers = ["x-chunks"]
        ));

    let event = EventKind::FunctionUrl
        .event()
        .path("/stream")
        .header("origin", APP)
        .build();
    let request: LambdaRequest = serde_json::from_value(event).unwrap();
    let mut adapter = StreamAdapter::from(app);
    let response = adapter
        .call(LambdaEvent::new(request, Context::default()))
        .await
        .unwrap();
    let prelude = response.metadata_prelude;
    assert_eq!(prelude.status_code, 200);
    assert_eq!(prelude.headers["access-control-allow-origin"], APP);
    assert_eq!(prelude.headers["access-control-allow-credentials"], "true");
    assert_eq!(prelude.headers["access-control-expose-headers"], "x-chunks");
    assert_eq!(prelude.headers["vary"], "Accept-Encoding, Origin");

    let mut body = response.stream;
    for i in 1..=3 {
        let chunk = format!("chunk {i}\n");
        chunks.send(Ok(Bytes::from(chunk.clone()))).await.unwrap();
        let received = tokio::time::timeout(Duration::from_secs(10), body.next())
            .await
            .expect("the chunk arrives before the next one is made")
            .expect("a chunk")
            .unwrap();
        assert_eq!(received, chunk.as_bytes());
    }
    drop(chunks);
    assert!(
        body.next().await.is_none(),
        "the stream ends with its source"
    );
}

/// Outside Lambda: `axum::serve` on `127.0.0.1` (a free port), real HTTP/1.1 requests over TCP,
/// the server stopped by the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_serve_answers_real_http_requests() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = notes().layer(cors_layer!(
        origins = ["https://app.example.com"],
        credentials,
        methods = ["GET", "PUT"],
        expose_headers = ["x-note-version"]
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });

    let send = |method: &'static str, headers: Vec<(&'static str, &'static str)>| {
        let url = format!("{base}/notes/1");
        tokio::task::spawn_blocking(move || {
            http_request(method, &url, &headers, None, Duration::from_secs(10))
                .expect("the server answers")
        })
    };
    let preflight: HttpResponse = send(
        "OPTIONS",
        vec![
            ("Origin", APP),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    )
    .await
    .unwrap();
    // axum alone answers `405` to this `OPTIONS`: the layer answered it.
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(APP));
    assert_eq!(
        preflight.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("GET, PUT")
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("content-type")
    );
    assert!(preflight.body.is_empty());

    let allowed = send("GET", vec![("Origin", APP)]).await.unwrap();
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.text(), "a note");
    assert_eq!(allowed.header("access-control-allow-origin"), Some(APP));
    assert_eq!(
        allowed.header("access-control-expose-headers"),
        Some("x-note-version")
    );
    assert_eq!(allowed.header("vary"), Some("Origin"));

    let refused = send("PUT", vec![("Origin", EVIL)]).await.unwrap();
    assert_eq!(refused.status, 200, "the handler ran: the browser hides it");
    assert_eq!(refused.text(), "saved");
    let cors: Vec<_> = refused
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "{cors:?}");
    assert_eq!(refused.header("vary"), Some("Origin"));

    let refused_preflight = send(
        "OPTIONS",
        vec![("Origin", EVIL), ("Access-Control-Request-Method", "PUT")],
    )
    .await
    .unwrap();
    assert_eq!(refused_preflight.status, 204);
    assert!(
        refused_preflight
            .headers
            .iter()
            .all(|(name, _)| !name.starts_with("access-control-")),
        "{:?}",
        refused_preflight.headers
    );

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    let url = format!("{base}/notes/1");
    let after = tokio::task::spawn_blocking(move || {
        http_request("GET", &url, &[], None, Duration::from_secs(2))
    })
    .await
    .unwrap();
    assert!(after.is_err(), "the server is stopped: {after:?}");
}
