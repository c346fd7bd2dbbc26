//! A cold start under test: a binary with `#[cors]` handlers whose policies come from the
//! environment it is started with. `env_config.rs` runs it with chosen environments.
//!
//! Usage: `env-probe ORIGIN...`. Prints one JSON object: what `cors_runtime::check()` said,
//! which ORIGINs each handler allowed, and which it allowed after the process changed its own
//! `TEST_ALLOWED_ORIGINS` to allow every probed origin (a policy read per request would then
//! allow them; one read once per cold start does not).

use std::collections::BTreeMap;

use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};
use serde_json::json;

#[cors(origins_env = "TEST_ALLOWED_ORIGINS", credentials)]
async fn from_env(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

#[cors(origins = ["https://literal.example.com"], origins_env = "TEST_ALLOWED_ORIGINS", credentials)]
async fn with_literal(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

#[cors(origins_env = "TEST_PUBLIC_ORIGINS")]
async fn public_from_env(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

async fn allowed<F, Fut>(handler: F, origins: &[String]) -> BTreeMap<String, String>
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    let mut answers = BTreeMap::new();
    for origin in origins {
        let mut request = Request::new(Body::Empty);
        request.headers_mut().insert(
            "origin",
            origin.parse().expect("probe origins are header values"),
        );
        let response = handler(request).await.expect("handlers never fail");
        let acao = response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap_or("<not text>").to_owned());
        if let Some(acao) = acao {
            answers.insert(origin.clone(), acao);
        }
    }
    answers
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let origins: Vec<String> = std::env::args().skip(1).collect();
    let check = match cors_runtime::check() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    let before = json!({
        "from_env": allowed(from_env, &origins).await,
        "with_literal": allowed(with_literal, &origins).await,
        "public_from_env": allowed(public_from_env, &origins).await,
    });
    // SAFETY: this process is single-threaded (a current-thread runtime, no other threads), so
    // nothing reads the environment concurrently.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("TEST_ALLOWED_ORIGINS", origins.join(" "));
    }
    let after = json!({
        "from_env": allowed(from_env, &origins).await,
        "with_literal": allowed(with_literal, &origins).await,
    });
    println!(
        "{}",
        json!({ "check": check, "before": before, "after": after })
    );
}
