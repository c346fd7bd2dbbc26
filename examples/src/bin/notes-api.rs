//! A handler with shared state and preflighted methods: `PUT` and `DELETE` with a JSON body and
//! a custom request header, and a response header the page may read.
//!
//! - `PUT /notes/{id}` with a JSON body and `x-request-id` stores a note and answers its version
//!   in `x-note-version` (exposed to the page);
//! - `GET /notes/{id}` reads it; `DELETE /notes/{id}` removes it;
//! - `GET /count` answers how many times the handler ran.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use cors_runtime::cors;
use lambda_http::http::{Method, StatusCode, header};
use lambda_http::{Body, Error, Request, Response, run, service_fn};
use serde_json::{Value, json};

/// State shared by every invocation of this process.
#[derive(Default)]
struct Notes {
    notes: Mutex<HashMap<String, (u64, Value)>>,
    invocations: AtomicU64,
}

#[cors(
    origins_env = "ALLOWED_ORIGINS",
    credentials,
    methods = ["GET", "PUT", "DELETE"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-note-version"],
    max_age = 600
)]
async fn handler(state: &Notes, event: Request) -> Result<Response<Body>, Error> {
    let count = state.invocations.fetch_add(1, Ordering::SeqCst);
    let path = event.uri().path().trim_end_matches('/').to_owned();
    if path.ends_with("/count") {
        return respond(StatusCode::OK, None, json!({ "invocations": count }));
    }
    let Some(id) = path.rsplit_once("/notes/").map(|(_, id)| id.to_owned()) else {
        return respond(StatusCode::NOT_FOUND, None, json!({ "error": "not found" }));
    };
    let mut notes = state.notes.lock().map_err(|_| "notes lock poisoned")?;
    match *event.method() {
        Method::PUT => {
            let note: Value = serde_json::from_slice(event.body())?;
            let request_id = event
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let version = notes.get(&id).map_or(1, |(version, _)| version + 1);
            notes.insert(id.clone(), (version, note.clone()));
            let body = json!({ "id": id, "note": note, "request_id": request_id });
            respond(StatusCode::OK, Some(version), body)
        }
        Method::GET => match notes.get(&id) {
            Some((version, note)) => respond(StatusCode::OK, Some(*version), note.clone()),
            None => respond(
                StatusCode::NOT_FOUND,
                None,
                json!({ "error": "no such note" }),
            ),
        },
        Method::DELETE => {
            notes.remove(&id);
            respond(StatusCode::NO_CONTENT, None, Value::Null)
        }
        _ => respond(
            StatusCode::METHOD_NOT_ALLOWED,
            None,
            json!({ "error": "method" }),
        ),
    }
}

fn respond(status: StatusCode, version: Option<u64>, body: Value) -> Result<Response<Body>, Error> {
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(version) = version {
        response = response.header("x-note-version", version);
    }
    let body = if body.is_null() {
        Body::Empty
    } else {
        body.to_string().into()
    };
    Ok(response.body(body)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?;
    let state = Notes::default();
    run(service_fn(|event| handler(&state, event))).await
}
