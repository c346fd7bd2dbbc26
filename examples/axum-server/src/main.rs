//! An axum API on a server, not on Lambda: the same checked policy as on Lambda, through
//! `cors_layer!`, with `cors-runtime`'s default `lambda` feature off, so that nothing of
//! `lambda_http` is built into it.
//!
//! ```sh
//! ALLOWED_ORIGINS="http://localhost:5173" cargo run -p cors-example-axum-server
//! ```
//!
//! - `POST /session?user=alice` sets a `session` cookie; `GET /session` answers who is logged
//!   in, or `401`: credentialed calls;
//! - `GET /notes` lists the notes; `PUT /notes/{id}` with a JSON body stores one (preflighted)
//!   and answers its version in `x-note-version`, which the page may read;
//! - `BIND` (default `127.0.0.1:3000`) is the address it listens on; it prints the address it
//!   got, so `BIND=127.0.0.1:0` picks a free port.

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cors_runtime::cors_layer;
use serde_json::{Value, json};

type Notes = Arc<Mutex<BTreeMap<String, (u64, Value)>>>;

async fn login(uri: Uri) -> Response {
    let user = uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("user=")))
        .filter(|user| !user.is_empty() && user.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("alice");
    // `Secure; SameSite=None`, as a cross-site API needs (browsers accept `Secure` cookies from
    // `http://localhost` and `http://127.0.0.1` too).
    let cookie = format!("session={user}; Path=/; HttpOnly; Secure; SameSite=None");
    (
        [(header::SET_COOKIE, cookie)],
        Json(json!({ "logged_in": user })),
    )
        .into_response()
}

async fn whoami(headers: HeaderMap) -> Response {
    let user = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| cookie.trim().strip_prefix("session="));
    match user {
        Some(user) => Json(json!({ "user": user })).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "not logged in" })),
        )
            .into_response(),
    }
}

async fn list(State(notes): State<Notes>) -> Json<Value> {
    let notes = notes.lock().expect("notes lock");
    Json(json!(
        notes
            .iter()
            .map(|(id, (version, note))| json!({ "id": id, "version": version, "note": note }))
            .collect::<Vec<_>>()
    ))
}

async fn write(
    State(notes): State<Notes>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut notes = notes.lock().expect("notes lock");
    let version = notes.get(&id).map_or(1, |(version, _)| version + 1);
    notes.insert(id.clone(), (version, body.clone()));
    (
        [("x-note-version", version.to_string())],
        Json(json!({ "id": id, "note": body })),
    )
        .into_response()
}

fn router() -> Router {
    Router::new()
        .route("/session", get(whoami).post(login))
        .route("/notes", get(list))
        .route("/notes/{id}", get(list).put(write))
        .with_state(Notes::default())
        // Outermost: it answers preflights before anything else runs.
        .layer(cors_layer!(
            origins_env = "ALLOWED_ORIGINS",
            credentials,
            methods = ["GET", "POST", "PUT"],
            headers = ["content-type"],
            expose_headers = ["x-note-version"]
        ))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // A missing or malformed ALLOWED_ORIGINS stops the server before it listens.
    cors_runtime::check()?;
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router()).await?;
    Ok(())
}
