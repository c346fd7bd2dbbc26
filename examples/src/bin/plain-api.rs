//! A `lambda_http` handler that does CORS **by hand**, the way a short blog article would, and
//! does **not** use `#[cors]`. It is the control of the browser tests: it shows that the
//! harness sees what a real browser decides, including failures.
//!
//! CORS handling (deliberately naive): when the request's `Origin` is one of the
//! space-separated origins in `ALLOWED_ORIGINS`, every response gets
//! `Access-Control-Allow-Origin: <that origin>` and `Access-Control-Allow-Credentials: true`;
//! every response gets `Vary: Origin`. There is no preflight handling: an `OPTIONS` request
//! is routed like any other and ends in `404`, without `Access-Control-Allow-Methods` or
//! `Access-Control-Allow-Headers`.
//!
//! Routes:
//! - `GET /login`: sets the cookie `session=alice; Path=/; SameSite=Lax`.
//! - `GET /whoami`: the value of the `session` cookie as text, or `401`.
//! - `PUT /items`: echoes the request body (never reached from a browser: its preflight fails).
//! - `GET /count`: JSON with this process's invocation counters, e.g.
//!   `{"total":3,"GET":2,"OPTIONS":1,"PUT":0,"POST":0,"other":0}`.
//! - `GET /last-origin`: the `Origin` header of the last counted request, or `(none)`.
//!
//! Requests to `/count` and `/last-origin` are not counted (tests read them directly).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_http::{Body, Error, Request, Response, http::Method, service_fn};

/// Invocations seen by this process, by method.
struct Counters {
    total: AtomicU64,
    get: AtomicU64,
    options: AtomicU64,
    put: AtomicU64,
    post: AtomicU64,
    other: AtomicU64,
}

static COUNTERS: Counters = Counters {
    total: AtomicU64::new(0),
    get: AtomicU64::new(0),
    options: AtomicU64::new(0),
    put: AtomicU64::new(0),
    post: AtomicU64::new(0),
    other: AtomicU64::new(0),
};

impl Counters {
    fn record(&self, method: &Method) {
        self.total.fetch_add(1, Ordering::SeqCst);
        let counter = match *method {
            Method::GET => &self.get,
            Method::OPTIONS => &self.options,
            Method::PUT => &self.put,
            Method::POST => &self.post,
            _ => &self.other,
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    fn to_json(&self) -> String {
        serde_json::json!({
            "total": self.total.load(Ordering::SeqCst),
            "GET": self.get.load(Ordering::SeqCst),
            "OPTIONS": self.options.load(Ordering::SeqCst),
            "PUT": self.put.load(Ordering::SeqCst),
            "POST": self.post.load(Ordering::SeqCst),
            "other": self.other.load(Ordering::SeqCst),
        })
        .to_string()
    }
}

/// The `Origin` header of the last counted request.
static LAST_ORIGIN: Mutex<Option<String>> = Mutex::new(None);

/// The value of cookie `name` in the request's `Cookie` header(s).
fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

async fn handler(req: Request) -> Result<Response<Body>, Error> {
    let path = req.uri().path().to_owned();
    let origin = req
        .headers()
        .get("origin")
        .map(|o| o.to_str().unwrap_or("(not UTF-8)").to_owned());
    if path != "/count" && path != "/last-origin" {
        COUNTERS.record(req.method());
        *LAST_ORIGIN.lock().unwrap_or_else(|e| e.into_inner()) = origin.clone();
    }

    let mut response = Response::builder();
    // The article's CORS: echo the Origin when it is allowed; always vary on Origin.
    let allowed = std::env::var("ALLOWED_ORIGINS").unwrap_or_default();
    if let Some(origin) = origin
        .as_deref()
        .filter(|origin| allowed.split_whitespace().any(|a| a == *origin))
    {
        response = response
            .header("access-control-allow-origin", origin)
            .header("access-control-allow-credentials", "true");
    }
    response = response.header("vary", "Origin");

    let response = match (req.method().clone(), path.as_str()) {
        (Method::GET, "/login") => response
            .status(200)
            .header("set-cookie", "session=alice; Path=/; SameSite=Lax")
            .header("content-type", "text/plain")
            .body(Body::from("logged in")),
        (Method::GET, "/whoami") => match cookie(&req, "session") {
            Some(user) => response
                .status(200)
                .header("content-type", "text/plain")
                .body(Body::from(user)),
            None => response.status(401).body(Body::from("no session")),
        },
        (Method::PUT, "/items") => response
            .status(200)
            .header("content-type", "application/json")
            .body(req.body().clone()),
        (Method::GET, "/count") => response
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(COUNTERS.to_json())),
        (Method::GET, "/last-origin") => {
            let last = LAST_ORIGIN
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            response
                .status(200)
                .header("content-type", "text/plain")
                .body(Body::from(last.unwrap_or_else(|| "(none)".to_owned())))
        }
        _ => response.status(404).body(Body::from("not found")),
    }?;
    Ok(response)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(handler)).await
}
