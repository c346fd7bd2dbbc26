//! Origin patterns end to end: `*.`, `**.` and `:*` in the attribute's literals (checked when
//! this file compiles) and in the origins variable (checked at cold start, in a fresh
//! `env-probe` process), answered through the same per-request path; the variable's refused
//! entries explained in the words of the compile errors (`tests/ui/tests/fail/`).

use std::process::Command;

use cors_runtime::cors;
use cors_runtime::testing::{preflight, request};
use http::Method;
use lambda_http::{Body, Error, Request, Response};
use serde_json::Value;

#[cors(
    origins = [
        "https://**.example.com",
        "https://*.preview.example.org:8443",
        "http://localhost:*",
        "http://[::1]:*",
        "http://**.localhost:*",
        "https://**.amazonaws.com",
    ],
    credentials
)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

const ALLOWED: &[&str] = &[
    "https://a.example.com",
    "https://a.b.c.example.com",
    "https://pr-1.preview.example.org:8443",
    "http://localhost",
    "http://localhost:5173",
    "http://[::1]:3000",
    "http://app.localhost:3000",
    "http://a.b.localhost",
    "https://www.amazonaws.com",
];

const REFUSED: &[&str] = &[
    "https://example.com",
    "https://evil-example.com",
    "https://example.com.evil.com",
    "https://a.example.com.",
    "https://A.example.com",
    "https://a..example.com",
    "https://-a.example.com",
    "https://a.example.com@evil.com",
    "https://a.example.com:443",
    "http://a.example.com",
    "https://pr-1.preview.example.org",
    "https://a.b.preview.example.org:8443",
    "http://localhost:3000.evil.com",
    "http://localhost:03000",
    "http://localhost:80",
    "http://localhost:65536",
    "http://localhost:",
    "http://localhost.evil.com:3000",
    "http://127.1:3000",
    "http://[0:0:0:0:0:0:0:1]:3000",
    "http://2130706433:3000",
    "https://a%2eexample.com",
    "https://bucket.s3.amazonaws.com",
    "https://s3.amazonaws.com",
    "null",
];

#[tokio::test(flavor = "current_thread")]
async fn literal_patterns_answer_their_origins_only() -> Result<(), Error> {
    for origin in ALLOWED {
        let outcome = request(Method::GET, "/")
            .origin(origin)
            .send_to(handler)
            .await?;
        assert_eq!(outcome.allowed_origin(), Some(*origin), "{origin}");
        assert!(outcome.allows_credentials(), "{origin}");
        assert!(outcome.varies_on_origin(), "{origin}");

        let preflight = preflight(origin, Method::PUT).send_to(handler).await?;
        assert_eq!(preflight.allowed_origin(), Some(*origin), "{origin}");
    }
    for origin in REFUSED {
        let outcome = request(Method::GET, "/")
            .origin(origin)
            .send_to(handler)
            .await?;
        assert_eq!(outcome.allowed_origin(), None, "{origin}");
        assert!(!outcome.allows_credentials(), "{origin}");
        assert!(outcome.varies_on_origin(), "{origin}");
    }
    Ok(())
}

/// A cold start of `env-probe` with `TEST_ALLOWED_ORIGINS` set to `value` (its handlers have
/// `credentials`), probing `origins`.
fn cold_start(value: &str, origins: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_env-probe"))
        .args(origins)
        .env("TEST_ALLOWED_ORIGINS", value)
        .env("TEST_PUBLIC_ORIGINS", "*")
        .output()
        .expect("env-probe runs");
    assert!(
        output.status.success(),
        "env-probe failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("env-probe prints JSON")
}

#[test]
fn variable_patterns_are_checked_at_cold_start_with_the_compile_time_words() {
    let value = "https://**.example.com http://localhost:* https://pr-*.example.com \
                 https://**.vercel.app https://**.Example.com:443 http://localhost:30* \
                 http://app.example.net:* https://**.com";
    let mut probes: Vec<&str> = ALLOWED.to_vec();
    probes.extend(REFUSED);
    probes.extend([
        "https://pr-1.vercel.app",
        "https://a.b.vercel.app",
        "https://app.example.net",
    ]);
    let report = cold_start(value, &probes);

    let errors: Vec<&str> = report["check"]
        .as_array()
        .expect("a list of errors")
        .iter()
        .filter_map(Value::as_str)
        .filter(|error| error.contains("#[cors] on `from_env`"))
        .collect();
    let expected: &[&[&str]] = &[
        &[
            "origin `https://pr-*.example.com` has a `*` inside a label",
            "anyone can register a name that matches",
            "a predicate (`origins_fn`)",
        ],
        &[
            "origin `https://**.vercel.app` puts its wildcard directly under `vercel.app`, a \
             public suffix",
        ],
        &[
            "origin `https://**.Example.com:443` has uppercase letters",
            "write `https://**.example.com`",
        ],
        &["origin `http://localhost:30*` has a `*` in its port beside other characters"],
        &["origin `http://app.example.net:*` is plain http on a non-loopback host"],
        &["origin `https://**.com` would match every site under a top-level domain"],
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (error, needles) in errors.iter().zip(expected) {
        assert!(error.contains("TEST_ALLOWED_ORIGINS: "), "{error}");
        for needle in *needles {
            assert!(error.contains(needle), "{needle:?} not in {error}");
        }
    }

    let allowed: Vec<&str> = report["before"]["from_env"]
        .as_object()
        .expect("the answers of from_env")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: Vec<&str> = [
        "https://a.example.com",
        "https://a.b.c.example.com",
        "http://localhost",
        "http://localhost:5173",
    ]
    .to_vec();
    expected.sort_unstable();
    assert_eq!(allowed, expected);
}
