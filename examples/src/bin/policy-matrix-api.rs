//! One CORS policy per route, for the browser test of `*` beside named entries
//! (`tests/tests/system/browser_star_matrix.rs`): the query string describes the policy, and
//! the function builds it with `CorsLayer::builder()` (once per policy) around a handler.
//!
//! `<any path>?o=listed|any&c=0|1[&m=…][&h=…]&e=…[&naive=1][&…]`:
//!
//! - `o`: `listed`, the origins in `ALLOWED_ORIGINS` (`origins_env`), or `any` (`*`);
//! - `c`: `credentials` (`1`) or not (`0`);
//! - `m`, `h`, `e`: `methods`, `headers` and `expose_headers`, comma-separated; `m` or `h`
//!   absent for the default (`h` absent mirrors what a preflight asks for);
//! - `naive=1`: the control, the answer `#[cors]` used to give: `Access-Control-Allow-Headers:
//!   *` alone whenever it holds `*`;
//! - anything else (a row number, to make each URL new to the browser's preflight cache) is
//!   ignored.
//!
//! Preflights are never cached (`max_age = 0`). A policy the rules refuse is answered with
//! `500` and the errors. The handler behind every policy answers `ok` with the headers a page
//! tries to read: `x-a`, `x-b`, `content-type` and `set-cookie`. `/` (no query) answers `200`.

use std::collections::HashMap;
use std::sync::Mutex;

use cors_runtime::CorsLayer;
use lambda_http::http::HeaderValue;
use lambda_http::http::header::ACCESS_CONTROL_ALLOW_HEADERS;
use lambda_http::tower::{Layer, ServiceExt};
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};

/// The layers built so far, by policy.
static LAYERS: Mutex<Option<HashMap<String, CorsLayer>>> = Mutex::new(None);

/// What every policy wraps.
async fn business(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("content-type", "text/plain")
        .header("x-a", "a")
        .header("x-b", "b")
        .header("set-cookie", "star=1; Path=/; SameSite=Lax")
        .body(Body::from("ok"))?)
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The layer of the policy the query describes (built on first use), or the builder's errors.
fn layer(event: &Request) -> Result<Option<CorsLayer>, String> {
    let params = event.query_string_parameters_ref();
    let param = |name: &str| params.and_then(|p| p.first(name)).map(str::to_owned);
    let Some(origins) = param("o") else {
        return Ok(None);
    };
    let (credentials, methods, headers, expose) = (param("c"), param("m"), param("h"), param("e"));
    let key = format!("{origins}|{credentials:?}|{methods:?}|{headers:?}|{expose:?}");
    let mut layers = LAYERS.lock().unwrap_or_else(|e| e.into_inner());
    let layers = layers.get_or_insert_with(HashMap::new);
    if let Some(layer) = layers.get(&key) {
        return Ok(Some(layer.clone()));
    }
    let mut builder = CorsLayer::builder()
        .credentials(credentials.as_deref() == Some("1"))
        .expose_headers(list(expose.as_deref().unwrap_or_default()))
        .max_age(0);
    builder = match origins.as_str() {
        "any" => builder.origins(["*"]),
        _ => builder.origins_env("ALLOWED_ORIGINS"),
    };
    if let Some(methods) = methods {
        builder = builder.methods(list(&methods));
    }
    if let Some(headers) = headers {
        builder = builder.headers(list(&headers));
    }
    let layer = builder.build().map_err(|errors| errors.to_string())?;
    layers.insert(key, layer.clone());
    Ok(Some(layer))
}

async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let naive = event
        .query_string_parameters_ref()
        .and_then(|p| p.first("naive"))
        == Some("1");
    let layer = match layer(&event) {
        Ok(Some(layer)) => layer,
        Ok(None) => return Ok(Response::new(Body::from("policy-matrix-api"))),
        Err(errors) => {
            return Ok(Response::builder().status(500).body(Body::from(errors))?);
        }
    };
    let mut response = layer.layer(service_fn(business)).oneshot(event).await?;
    if naive {
        let headers = response.headers_mut();
        if let Some(value) = headers.get(ACCESS_CONTROL_ALLOW_HEADERS)
            && value
                .as_bytes()
                .split(|b| *b == b',')
                .any(|e| e.trim_ascii() == b"*")
        {
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
        }
    }
    Ok(response)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}
