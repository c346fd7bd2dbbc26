//! A multi-tenant API whose allowed origins no list can name: each tenant's own site, loaded
//! once per cold start and decided by `origins_fn`; and, on the `/dev/` routes, also a
//! developer's frontend on whatever port of `127.0.0.1` its dev server picked
//! (`http://127.0.0.1:*`).
//!
//! The tenants' sites come from `TENANT_ORIGINS` (origins separated by whitespace and/or
//! commas), standing in for a parameter store or a table: `main` reads it once, before `run`,
//! into a `static`, and `is_tenant` looks the request's origin up in it exactly. While the set
//! is empty (the variable unset or blank) it refuses every origin, so a failed load narrows
//! rather than widens; an entry that is not an origin as browsers send it stops the function at
//! cold start. This is the safe pattern of the `origins_fn` reference.
//!
//! Two policies, one per route prefix (paths under `cargo lambda watch`'s
//! `/lambda-url/tenant-api/`), both with `credentials`, `PUT` and `x-request-id` allowed, and
//! `x-tenant` exposed:
//!
//! - `/tenant/...`: `#[cors(origins_fn = is_tenant, ...)]`: the tenants' sites only;
//! - `/dev/...`: `#[cors(origins = ["http://127.0.0.1:*"], origins_fn = is_tenant, ...)]`: the
//!   tenants' sites, and any port of `127.0.0.1` (not `localhost`, which is another host).
//!
//! Under each prefix:
//!
//! - `POST login?user=alice` sets a `session` cookie;
//! - `GET whoami` answers `{"user": <the cookie's user or null>}`;
//! - `PUT settings` with a JSON body and `x-request-id` (a preflighted request) echoes both.
//!
//! Every answer carries `x-tenant`: the `Origin` the handler was called with. `GET /count`
//! answers how many times the handlers ran before it (so a test can prove that a refused
//! preflight never reached them).

use std::collections::HashSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use cors_examples::session;
use cors_runtime::{Origin, cors};
use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};
use serde_json::{Value, json};

/// The tenants' origins, loaded once per cold start.
static TENANT_ORIGINS: OnceLock<HashSet<String>> = OnceLock::new();

static INVOCATIONS: AtomicU64 = AtomicU64::new(0);

/// The `session` cookie's attributes: what a frontend on another site needs.
const COOKIE_ATTRIBUTES: &str = "Path=/; HttpOnly; Secure; SameSite=None";

/// Whether `origin` is one of the tenants' sites: an exact lookup, and no origin at all before
/// the set is loaded or when it is empty.
fn is_tenant(origin: &Origin) -> bool {
    TENANT_ORIGINS
        .get()
        .is_some_and(|origins| origins.contains(origin.as_str()))
}

/// The tenants' sites only.
#[cors(
    origins_fn = is_tenant,
    credentials,
    methods = ["GET", "PUT"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-tenant"]
)]
async fn tenant(event: Request) -> Result<Response<Body>, Error> {
    serve("tenant", event).await
}

/// The tenants' sites, and a local frontend on any port of `127.0.0.1`.
#[cors(
    origins = ["http://127.0.0.1:*"],
    origins_fn = is_tenant,
    credentials,
    methods = ["GET", "PUT"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-tenant"]
)]
async fn dev(event: Request) -> Result<Response<Body>, Error> {
    serve("dev", event).await
}

/// What both routes do.
async fn serve(route: &str, event: Request) -> Result<Response<Body>, Error> {
    let count = INVOCATIONS.fetch_add(1, Ordering::SeqCst);
    let path = event.raw_http_path().trim_end_matches('/').to_owned();
    let origin = event.headers().get(header::ORIGIN).cloned();
    let (status, cookie, body) = match (event.method().as_str(), path.as_str()) {
        ("GET", p) if p.ends_with("/count") => {
            (StatusCode::OK, None, json!({ "invocations": count }))
        }
        ("POST", p) if p.ends_with("/login") => {
            let user = cors_examples::login_user(&event);
            let cookie = format!("session={user}; {COOKIE_ATTRIBUTES}");
            (StatusCode::OK, Some(cookie), json!({ "logged_in": user }))
        }
        ("GET", p) if p.ends_with("/whoami") => (
            StatusCode::OK,
            None,
            json!({ "route": route, "user": session(event.headers()) }),
        ),
        ("PUT", p) if p.ends_with("/settings") => {
            let settings: Value = serde_json::from_slice(event.body())?;
            let request_id = event
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let body = json!({ "route": route, "settings": settings, "request_id": request_id });
            (StatusCode::OK, None, body)
        }
        _ => (StatusCode::NOT_FOUND, None, json!({ "error": "not found" })),
    };
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        response = response.header(header::SET_COOKIE, cookie);
    }
    if let Some(origin) = origin {
        response = response.header("x-tenant", origin);
    }
    Ok(response.body(body.to_string().into())?)
}

/// The tenants' origins from `TENANT_ORIGINS` (in production: a parameter store, a table).
/// An entry that is not an origin as a browser sends it (`Origin::parse`) is an error: it
/// could never match.
fn load_tenant_origins() -> Result<HashSet<String>, Error> {
    let value = std::env::var("TENANT_ORIGINS").unwrap_or_default();
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|entry| !entry.is_empty())
        .map(|entry| match Origin::parse(entry) {
            Some(origin) => Ok(origin.as_str().to_owned()),
            None => Err(
                format!("TENANT_ORIGINS: `{entry}` is not an origin as browsers send it").into(),
            ),
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?;
    // Once, at cold start: `is_tenant` never does I/O on a request's path.
    TENANT_ORIGINS.set(load_tenant_origins()?).ok();
    run(service_fn(|event: Request| async move {
        if event.raw_http_path().starts_with("/dev/") {
            dev(event).await
        } else {
            tenant(event).await
        }
    }))
    .await
}
