//! `CorsLayer::builder()`, the run-time entry point: every problem of a configuration returned at
//! once as typed `ConfigError`s, never a panic, whatever the strings (property-tested as
//! `properties` does for specs); the same rules and the same decisions as the policy the same
//! arguments make for `#[cors]` and `cors_layer!`; `origins_env` read once, in `build()`. (The
//! event-kind suite runs once with a built layer too: `layer_event_kinds`.)

use std::convert::Infallible;
use std::ffi::OsString;
use std::future::Future;
use std::pin::pin;
use std::process::Command;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use cors_runtime::__for_tests::{Before, Policy, Spec, attribute_source, before};
use cors_runtime::{ConfigError, ConfigErrorKind, ConfigErrors, CorsLayer};
use http::{HeaderMap, Method, Request, Response};
use proptest::collection::vec;
use proptest::prelude::*;
use tower::{Layer, Service};

use crate::properties::{entry, header_name, method_entry, secure_origin, secure_pattern};

/// One run-time configuration: what a deployment would read from a file or a parameter store.
#[derive(Debug, Clone)]
struct Settings {
    origins: Vec<String>,
    origins_env: Option<String>,
    credentials: bool,
    allow_insecure_http: bool,
    methods: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    expose_headers: Vec<String>,
    max_age: Option<u64>,
    preflight: bool,
}

impl Settings {
    fn build(&self) -> Result<CorsLayer, ConfigErrors> {
        let mut builder = CorsLayer::builder()
            .origins(self.origins.iter().map(String::as_str))
            .credentials(self.credentials)
            .allow_insecure_http(self.allow_insecure_http)
            .expose_headers(self.expose_headers.clone())
            .preflight(self.preflight);
        if let Some(variable) = &self.origins_env {
            builder = builder.origins_env(variable);
        }
        if let Some(methods) = &self.methods {
            builder = builder.methods(methods.clone());
        }
        if let Some(headers) = &self.headers {
            builder = builder.headers(headers.clone());
        }
        if let Some(max_age) = self.max_age {
            builder = builder.max_age(max_age);
        }
        builder.build()
    }

    /// The policy the same arguments make for `#[cors]` (and `cors_layer!`), with the variable
    /// read the same way.
    fn reference(&self) -> Arc<Policy> {
        fn strs(items: &[String]) -> Vec<&str> {
            items.iter().map(String::as_str).collect()
        }
        let (origins, expose_headers) = (strs(&self.origins), strs(&self.expose_headers));
        let methods = self.methods.as_deref().map(strs);
        let headers = self.headers.as_deref().map(strs);
        let spec = Spec {
            source: attribute_source("reference", file!(), line!()),
            origins: &origins,
            origins_env: self.origins_env.as_deref(),
            origins_fn: None,
            credentials: self.credentials,
            allow_insecure_http: self.allow_insecure_http,
            methods: methods.as_deref(),
            headers: headers.as_deref(),
            expose_headers: &expose_headers,
            max_age: self.max_age,
            preflight: self.preflight,
        };
        let value: Option<Option<OsString>> = self.origins_env.as_deref().map(std::env::var_os);
        Arc::new(Policy::build(&spec, value.as_ref().map(Option::as_deref)))
    }
}

/// What an error says, without the policy's place (the builder's call, or the reference's).
fn said(error: &ConfigError) -> (ConfigErrorKind, String, Option<String>, Option<String>) {
    let message = error.to_string();
    let message = message
        .strip_prefix(&format!("{}: ", error.policy()))
        .expect("a message starts with its policy")
        .to_owned();
    (
        error.kind(),
        message,
        error.entry().map(str::to_owned),
        error.fix().map(str::to_owned),
    )
}

/// Polls a future that never waits (the handler below answers at once).
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waited"),
    }
}

/// The headers a request gets from `layer` around a handler that answers with none.
fn through_layer(layer: &CorsLayer, request: Request<()>) -> (bool, HeaderMap) {
    let mut service = layer.layer(tower::service_fn(|_: Request<()>| async {
        let mut response = Response::new(());
        response
            .headers_mut()
            .insert("x-handler", "ran".parse().unwrap());
        Ok::<_, Infallible>(response)
    }));
    now(std::future::poll_fn(|cx| service.poll_ready(cx))).unwrap();
    let response = now(service.call(request)).unwrap();
    let ran = response.headers().contains_key("x-handler");
    let mut headers = response.headers().clone();
    headers.remove("x-handler");
    (ran, headers)
}

/// The headers the same request gets from `policy`, as `#[cors]` expands.
fn through_policy(policy: &Arc<Policy>, request: Request<()>) -> (bool, HeaderMap) {
    match before::<(), ()>(policy, &request) {
        Before::Respond(response) => (false, response.headers().clone()),
        Before::Continue(after) => (true, after.finish(Response::new(())).headers().clone()),
    }
}

/// No `Origin`, then for each of the first entries (a pattern's `*` made a label), and for an
/// unlisted origin, an actual request and a preflight.
fn requests(origins: &[String]) -> Vec<Request<()>> {
    let mut requests = vec![Request::new(())];
    let origins = origins
        .iter()
        .take(3)
        .map(|entry| entry.replacen('*', "pr-1", 1))
        .chain(["https://unlisted.example.net".to_owned()]);
    for origin in origins {
        for preflight in [false, true] {
            let mut request = Request::builder().header("origin", origin.as_str());
            if preflight {
                request = request
                    .method(Method::OPTIONS)
                    .header("access-control-request-method", "PUT")
                    .header("access-control-request-headers", "x-custom, content-type");
            }
            if let Ok(request) = request.body(()) {
                requests.push(request);
            }
        }
    }
    requests
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        vec(prop_oneof![3 => entry(), 1 => any::<String>()], 0..4),
        proptest::option::of(prop_oneof![
            Just("CORS_LAYER_BUILDER_NEVER_SET".to_owned()),
            Just("CARGO_PKG_NAME".to_owned()),
            Just(String::new()),
            any::<String>(),
        ]),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(vec(method_entry(), 0..4)),
        proptest::option::of(vec(header_name(), 0..4)),
        vec(header_name(), 0..3),
        proptest::option::of(prop_oneof![0u64..100_000, any::<u64>()]),
        prop::bool::weighted(0.8),
    )
        .prop_map(
            |(
                origins,
                origins_env,
                credentials,
                allow_insecure_http,
                methods,
                headers,
                expose_headers,
                max_age,
                preflight,
            )| Settings {
                origins,
                origins_env,
                credentials,
                allow_insecure_http,
                methods,
                headers,
                expose_headers,
                max_age,
                preflight,
            },
        )
}

/// Settings the rules accept (mostly): distinct secure origins and patterns, known methods and
/// headers, a sane max age, `preflight = false` without preflight-only settings.
fn well_formed_settings() -> impl Strategy<Value = Settings> {
    let distinct = |items: Vec<String>| {
        let mut seen = std::collections::HashSet::new();
        items
            .into_iter()
            .filter(|item| seen.insert(item.clone()))
            .collect::<Vec<_>>()
    };
    let names = |choices: &'static [&'static str]| {
        vec(proptest::sample::select(choices), 0..4)
            .prop_map(move |items| distinct(items.into_iter().map(str::to_owned).collect()))
    };
    (
        vec(
            prop_oneof![3 => secure_origin(), 1 => secure_pattern()],
            1..4,
        ),
        any::<bool>(),
        proptest::option::of(names(&["GET", "PUT", "DELETE", "PATCH", "POST"])),
        proptest::option::of(names(&[
            "content-type",
            "x-request-id",
            "x-custom",
            "authorization",
        ])),
        names(&["x-request-id", "x-note-version", "etag"]),
        proptest::option::of(0u64..86_400),
        prop::bool::weighted(0.8),
    )
        .prop_map(
            move |(origins, credentials, methods, headers, expose_headers, max_age, preflight)| {
                Settings {
                    origins: distinct(origins),
                    origins_env: None,
                    credentials,
                    allow_insecure_http: false,
                    methods: methods.filter(|_| preflight),
                    headers: headers.filter(|_| preflight),
                    expose_headers,
                    max_age: max_age.filter(|_| preflight),
                    preflight,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever the strings: no panic; `Err` exactly when the rules find a problem, with every
    /// problem the reference finds, in its order, each typed and naming the builder's call; and
    /// an `Ok` layer answers every request exactly as the reference policy does.
    #[test]
    fn the_builder_returns_every_problem_and_decides_as_the_macro_does(settings in settings()) {
        let reference = settings.reference();
        let expected: Vec<_> = reference.errors().iter().map(said).collect();
        match settings.build() {
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let got: Vec<_> = errors.iter().map(said).collect();
                prop_assert_eq!(got, expected);
                for error in &errors {
                    prop_assert_eq!(error.policy().file(), file!());
                    prop_assert!(error.policy().handler().is_none());
                    prop_assert!(error.to_string().starts_with("CORS policy built at run time at "));
                }
            }
            Ok(layer) => {
                prop_assert!(expected.is_empty(), "built despite {:?}", expected);
                for (a, b) in requests(&settings.origins).into_iter().zip(requests(&settings.origins)) {
                    let what = format!("{} {:?}", a.method(), a.headers());
                    prop_assert_eq!(through_layer(&layer, a), through_policy(&reference, b), "{}", what);
                }
            }
        }
    }

    /// The other direction: settings the rules accept build a layer, which answers every request
    /// (no `Origin`, listed origins and pattern matches, an unlisted origin; actual requests and
    /// preflights) with exactly the headers the reference policy gives, and runs the handler
    /// exactly when it does.
    #[test]
    fn well_formed_settings_build_a_layer_that_decides_as_the_macro_does(
        settings in well_formed_settings(),
    ) {
        let reference = settings.reference();
        prop_assert!(reference.errors().is_empty(), "{}", reference.errors());
        let layer = settings.build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (a, b) in requests(&settings.origins).into_iter().zip(requests(&settings.origins)) {
            let what = format!("{} {:?}", a.method(), a.headers());
            prop_assert_eq!(through_layer(&layer, a), through_policy(&reference, b), "{}", what);
        }
    }
}

#[test]
fn every_problem_comes_back_at_once_with_its_kind() {
    let errors = CorsLayer::builder()
        .origins([
            "https://App.example.com/",
            "https://*.github.io",
            "http://api.example.com",
            "https://app.example.com",
            "https://app.example.com",
        ])
        .credentials(true)
        .methods(["get", "TRACE"])
        .headers(["*", "Cookie"])
        .expose_headers(["set-cookie"])
        .max_age(10_000_000)
        .origins_env("CORS_LAYER_BUILDER_NEVER_SET")
        .build()
        .unwrap_err();
    let kinds: Vec<_> = errors.iter().map(ConfigError::kind).collect();
    assert_eq!(
        kinds,
        [
            ConfigErrorKind::InvalidOrigin,
            ConfigErrorKind::PatternTooBroad,
            ConfigErrorKind::InsecureOriginWithCredentials,
            ConfigErrorKind::DuplicateOrigin,
            ConfigErrorKind::InvalidMethod,
            ConfigErrorKind::InvalidMethod,
            ConfigErrorKind::WildcardWithCredentials,
            ConfigErrorKind::InvalidHeader,
            ConfigErrorKind::InvalidHeader,
            ConfigErrorKind::MaxAgeTooLong,
            ConfigErrorKind::EnvVariableNotSet,
        ],
        "{errors}"
    );
    assert_eq!(
        errors.iter().next().unwrap().fix(),
        Some("https://app.example.com")
    );

    let nothing = CorsLayer::builder().build().unwrap_err();
    let kinds: Vec<_> = nothing.iter().map(ConfigError::kind).collect();
    assert_eq!(kinds, [ConfigErrorKind::NoOrigins]);
    let preflight_only = CorsLayer::builder()
        .origins(["https://app.example.com"])
        .preflight(false)
        .max_age(60)
        .build()
        .unwrap_err();
    let kinds: Vec<_> = preflight_only.iter().map(ConfigError::kind).collect();
    assert_eq!(kinds, [ConfigErrorKind::OnlyForPreflights]);
}

/// The variable is read by `build()`: its problems come back from `build()`, not at the first
/// request. (`CARGO_PKG_NAME` is set by cargo for every test process: `cors-tests`, no origin.)
#[test]
fn build_reports_the_variable_s_problems() {
    let errors = CorsLayer::builder()
        .origins_env("CORS_LAYER_BUILDER_NEVER_SET")
        .build()
        .unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!(error.kind(), ConfigErrorKind::EnvVariableNotSet);
    assert_eq!(error.env_variable(), Some("CORS_LAYER_BUILDER_NEVER_SET"));

    let errors = CorsLayer::builder()
        .origins_env("CARGO_PKG_NAME")
        .build()
        .unwrap_err();
    let kinds: Vec<_> = errors.iter().map(|e| (e.kind(), e.entry())).collect();
    assert!(
        kinds.contains(&(ConfigErrorKind::InvalidOrigin, Some("cors-tests"))),
        "{errors}"
    );
}

const CHILD: &str = "CORS_LAYER_BUILDER_CHILD";
const VARIABLE: &str = "CORS_LAYER_BUILDER_ORIGINS";

/// Read once, in `build()`: a layer keeps the origins its `build()` read when the variable
/// changes later, and the next `build()` reads the new value. The variable must change inside
/// one process, so the test runs itself again as a child process that runs only this test
/// (this one's environment is left alone).
#[test]
fn origins_env_is_read_once_in_build() {
    if std::env::var_os(CHILD).is_none() {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "layer_builder::origins_env_is_read_once_in_build",
                "--exact",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env(VARIABLE, "https://app.example.com")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "the child run failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let allows = |layer: &CorsLayer, origin: &str| {
        let request = Request::builder()
            .header("origin", origin)
            .body(())
            .unwrap();
        through_layer(layer, request)
            .1
            .contains_key("access-control-allow-origin")
    };
    let first = CorsLayer::builder().origins_env(VARIABLE).build().unwrap();
    assert!(allows(&first, "https://app.example.com"));
    set_variable("https://other.example.com");
    assert!(allows(&first, "https://app.example.com"), "not read again");
    assert!(!allows(&first, "https://other.example.com"));
    let second = CorsLayer::builder().origins_env(VARIABLE).build().unwrap();
    assert!(allows(&second, "https://other.example.com"));
    assert!(!allows(&second, "https://app.example.com"));
}

#[allow(unsafe_code)]
fn set_variable(value: &str) {
    // SAFETY: only in the child process, which runs this one test (`--exact`,
    // `--test-threads=1`); no other thread of it reads or writes the environment meanwhile.
    unsafe { std::env::set_var(VARIABLE, value) };
}

/// The builder takes what tower-http's users write: the `http` crate's `Method` and
/// `HeaderName` (by value or by reference), strings, and a `Duration` for `max_age`; the layer
/// answers exactly as with the same settings written as strings and seconds.
#[test]
fn takes_the_http_crate_s_types_and_a_duration() {
    use std::time::Duration;

    use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName};

    let x_request_id = HeaderName::from_static("x-request-id");
    let typed = CorsLayer::builder()
        .origins(["https://app.example.com"])
        .credentials(true)
        .methods([Method::GET, Method::PUT, Method::DELETE])
        .headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([&x_request_id])
        .max_age(Duration::from_secs(3600))
        .build()
        .unwrap();
    let written = CorsLayer::builder()
        .origins([String::from("https://app.example.com")])
        .credentials(true)
        .methods(["GET", "PUT", "DELETE"])
        .headers(["content-type", "authorization"])
        .expose_headers(["x-request-id"])
        .max_age(3600)
        .build()
        .unwrap();
    let preflight = || {
        Request::builder()
            .method(Method::OPTIONS)
            .header("origin", "https://app.example.com")
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "authorization")
            .body(())
            .unwrap()
    };
    let (ran, headers) = through_layer(&typed, preflight());
    assert!(!ran);
    assert_eq!(headers["access-control-allow-methods"], "GET, PUT, DELETE");
    assert_eq!(
        headers["access-control-allow-headers"],
        "content-type, authorization"
    );
    assert_eq!(headers["access-control-max-age"], "3600");
    assert_eq!(through_layer(&written, preflight()).1, headers);

    let actual = || {
        Request::builder()
            .header("origin", "https://app.example.com")
            .body(())
            .unwrap()
    };
    let (_, headers) = through_layer(&typed, actual());
    assert_eq!(headers["access-control-expose-headers"], "x-request-id");
    assert_eq!(through_layer(&written, actual()).1, headers);

    // A fraction of a second is dropped: a shorter cache, never a longer one.
    let short = CorsLayer::builder()
        .origins(["https://app.example.com"])
        .max_age(Duration::from_millis(1999))
        .build()
        .unwrap();
    assert_eq!(
        through_layer(&short, preflight()).1["access-control-max-age"],
        "1"
    );
}
