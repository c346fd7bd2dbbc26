//! The usual scenario of hand-written Lambda CORS (as in Tamás Sallai, "How to setup CORS for
//! Lambda Proxy integration", 2019): a cookie-authenticated API whose allowed origins come from
//! the `ALLOWED_ORIGINS` environment variable, with credentials.
//!
//! - `POST /login?user=alice` sets a `session` cookie;
//! - `GET /whoami` answers who is logged in, or 401;
//! - `GET /count` answers how many times the handler ran (so a test can prove that a refused
//!   preflight never reached it).
//!
//! The cookie's attributes come from `COOKIE_ATTRIBUTES` (default `Path=/; HttpOnly; Secure;
//! SameSite=None`, what a frontend on another site needs; see the README on cookies across
//! sites).

use std::sync::atomic::{AtomicU64, Ordering};

use cors_examples::{session, session_cookie};
use cors_runtime::cors;
use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};
use serde_json::json;

static INVOCATIONS: AtomicU64 = AtomicU64::new(0);

#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let count = INVOCATIONS.fetch_add(1, Ordering::SeqCst) + 1;
    let path = event.raw_http_path().to_owned();
    match (event.method().as_str(), path.trim_end_matches('/')) {
        ("POST", p) if p.ends_with("/login") => {
            let user = cors_examples::login_user(&event);
            Ok(Response::builder()
                .header(header::SET_COOKIE, session_cookie(&user))
                .header(header::CONTENT_TYPE, "application/json")
                .body(json!({ "logged_in": user }).to_string().into())?)
        }
        ("GET", p) if p.ends_with("/whoami") => match session(event.headers()) {
            Some(user) => json_response(StatusCode::OK, json!({ "user": user })),
            None => json_response(
                StatusCode::UNAUTHORIZED,
                json!({ "error": "not logged in" }),
            ),
        },
        ("GET", p) if p.ends_with("/count") => {
            json_response(StatusCode::OK, json!({ "invocations": count - 1 }))
        }
        _ => json_response(StatusCode::NOT_FOUND, json!({ "error": "not found" })),
    }
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string().into())?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // A missing or malformed ALLOWED_ORIGINS stops the function at cold start, with a message
    // naming the entry and its fix, instead of failing every browser call.
    cors_runtime::check()?;
    run(service_fn(handler)).await
}
