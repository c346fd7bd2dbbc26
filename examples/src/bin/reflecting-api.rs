//! **DELIBERATELY BROKEN. DO NOT COPY.** A handler with the CORS misconfigurations that
//! scanners look for, hand-written without `#[cors]`. It exists only as the positive control of
//! `tests/tests/system/scanner.rs`: a CORS scanner (CORScanner) must flag it, which shows that the
//! scanner really reaches a handler run this way, so its silence about the `#[cors]` examples
//! means something.
//!
//! Routes (as paths under `cargo lambda watch`'s `/lambda-url/reflecting-api/`):
//!
//! - `/reflect/...`: answers **any** `Origin` with `Access-Control-Allow-Origin: <that
//!   origin>` and `Access-Control-Allow-Credentials: true`: every site may read the response
//!   with the visitor's cookies.
//! - `/prefix/...`: the same for any `Origin` that **starts with** `TRUSTED_ORIGIN` (default
//!   `http://www.example.com`), so `http://www.example.com.evil.com` is trusted too.
//! - `/count`: how many requests the handler answered before this one, as JSON
//!   `{"invocations": N}`.

use std::sync::atomic::{AtomicU64, Ordering};

use lambda_http::http::header;
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};

static INVOCATIONS: AtomicU64 = AtomicU64::new(0);

async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let before = INVOCATIONS.fetch_add(1, Ordering::SeqCst);
    let path = event.raw_http_path().to_owned();
    if path.trim_end_matches('/').ends_with("/count") {
        return Ok(Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .body(format!("{{\"invocations\":{before}}}").into())?);
    }
    let origin = event
        .headers()
        .get(header::ORIGIN)
        .and_then(|origin| origin.to_str().ok())
        .map(str::to_owned);
    let trusted =
        std::env::var("TRUSTED_ORIGIN").unwrap_or_else(|_| "http://www.example.com".to_owned());
    // THE BUGS: reflection of any origin, and a prefix match.
    let reflected = origin.filter(|origin| {
        path.starts_with("/reflect")
            || (path.starts_with("/prefix") && origin.starts_with(&trusted))
    });
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::VARY, "Origin");
    if let Some(origin) = reflected {
        response = response
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin)
            .header(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    Ok(response.body(r#"{"secret":"the visitor's data"}"#.into())?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}
