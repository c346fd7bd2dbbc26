//! A whole API in one function: an axum `Router` under `cors_layer!`, served by
//! `lambda_http::run(router)`. The layer answers the preflights of every route (axum alone would
//! answer them `405`), and puts the policy's headers on every response, `404`s included.
//!
//! - `POST /session?user=alice` sets a `session` cookie; `GET /session` answers who is logged
//!   in, or `401`: credentialed calls;
//! - `GET /notes` lists the notes; `PUT /notes/{id}` with a JSON body and `x-request-id` stores
//!   one (preflighted) and answers its version in `x-note-version`, which the page may read, and
//!   `x-served-by`, which it may not; `GET` and `DELETE /notes/{id}`;
//! - `GET /count` answers how many requests reached the router before it, so a test can tell
//!   that a refused preflight never did.
//!
//! The cookie's attributes come from `COOKIE_ATTRIBUTES` (default `Path=/; HttpOnly; Secure;
//! SameSite=None`), as in `cookie-api`.
//!
//! Behind an API Gateway REST API, deploy it with `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true`:
//! otherwise `lambda_http` hands the router the path with the stage (`/prod/notes`), every route
//! answers `404`, and only the preflights, which the layer answers before routing, pass. HTTP
//! APIs on their `$default` stage and Function URLs (as under `cargo lambda watch`) need nothing.
//! The system test `axum_api_events` runs it with every kind of event, with and without it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cors_runtime::cors_layer;
use serde_json::{Value, json};

/// State shared by every request this process serves.
#[derive(Default)]
struct App {
    notes: Mutex<BTreeMap<String, (u64, Value)>>,
    requests: AtomicU64,
}

type Shared = State<Arc<App>>;

async fn login(uri: Uri) -> Response {
    let user = uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("user=")))
        .filter(|user| !user.is_empty() && user.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("alice")
        .to_owned();
    (
        [(header::SET_COOKIE, cors_examples::session_cookie(&user))],
        Json(json!({ "logged_in": user })),
    )
        .into_response()
}

async fn whoami(headers: HeaderMap) -> Response {
    match cors_examples::session(&headers) {
        Some(user) => Json(json!({ "user": user })).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "not logged in" })),
        )
            .into_response(),
    }
}

async fn list(State(app): Shared) -> Json<Value> {
    let notes = app.notes.lock().expect("notes lock");
    Json(json!(
        notes
            .iter()
            .map(|(id, (version, note))| json!({ "id": id, "version": version, "note": note }))
            .collect::<Vec<_>>()
    ))
}

/// A note, with its version for the page (`x-note-version`, exposed) and a header the page may
/// not read (`x-served-by`, not exposed).
fn note(status: StatusCode, version: u64, body: Value) -> Response {
    (
        status,
        [
            ("x-note-version", version.to_string()),
            ("x-served-by", "axum-api".to_owned()),
        ],
        Json(body),
    )
        .into_response()
}

async fn read(State(app): Shared, Path(id): Path<String>) -> Response {
    match app.notes.lock().expect("notes lock").get(&id) {
        Some((version, body)) => note(StatusCode::OK, *version, body.clone()),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such note" })),
        )
            .into_response(),
    }
}

async fn write(
    State(app): Shared,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let request_id = headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut notes = app.notes.lock().expect("notes lock");
    let version = notes.get(&id).map_or(1, |(version, _)| version + 1);
    notes.insert(id.clone(), (version, body.clone()));
    note(
        StatusCode::OK,
        version,
        json!({ "id": id, "note": body, "request_id": request_id }),
    )
}

async fn remove(State(app): Shared, Path(id): Path<String>) -> StatusCode {
    app.notes.lock().expect("notes lock").remove(&id);
    StatusCode::NO_CONTENT
}

async fn count(State(app): Shared) -> Json<Value> {
    let before_this_one = app.requests.load(Ordering::SeqCst) - 1;
    Json(json!({ "invocations": before_this_one }))
}

/// Counts the requests that reach the router: those the CORS layer lets through.
async fn counted(State(app): Shared, request: Request, next: Next) -> Response {
    app.requests.fetch_add(1, Ordering::SeqCst);
    next.run(request).await
}

fn router() -> Router {
    let app = Arc::new(App::default());
    Router::new()
        .route("/session", get(whoami).post(login))
        .route("/notes", get(list))
        .route("/notes/{id}", get(read).put(write).delete(remove))
        .route("/count", get(count))
        .layer(middleware::from_fn_with_state(app.clone(), counted))
        .with_state(app)
        // Outermost: it answers preflights before anything else runs, and its headers are the
        // last word on every response.
        .layer(cors_layer!(
            origins_env = "ALLOWED_ORIGINS",
            credentials,
            methods = ["GET", "POST", "PUT", "DELETE"],
            headers = ["content-type", "x-request-id"],
            expose_headers = ["x-note-version"],
            max_age = 600
        ))
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    // A missing or malformed ALLOWED_ORIGINS stops the function at cold start. (Behind a REST
    // API, the routes also need AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true: see above.)
    cors_runtime::check()?;
    lambda_http::run(router()).await
}
