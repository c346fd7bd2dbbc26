//! `cors_runtime::testing::with_env`: the production attribute (and layer, builder, `check()`)
//! tested with a value of its origins variable, safely (nothing is written to the process
//! environment), whatever other tests do at the same time and in whatever order.
//!
//! The variables named here are set nowhere: without `with_env`, every policy that reads them
//! refuses every origin (the control of each test).

use std::sync::{Arc, Barrier};
use std::thread;

use axum::Router;
use axum::routing::get;
use cors_runtime::testing::{self, CorsOutcome};
use cors_runtime::{ConfigErrorKind, CorsLayer, cors, cors_layer};
use http::Method;
use lambda_http::{Body, Error, Request, Response};
use tower::ServiceExt as _;

#[cors(origins_env = "TESTING_ENV_ORIGINS", credentials)]
async fn from_env(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from("hello")))
}

#[cors(origins = ["https://literal.example.com"], origins_env = "TESTING_ENV_EXTRA_ORIGINS")]
async fn with_literal(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

async fn get_from(origin: &str) -> CorsOutcome {
    testing::request(Method::GET, "/")
        .origin(origin)
        .send_to(from_env)
        .await
        .expect("the handler never fails")
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[tokio::test]
async fn the_handler_decides_by_the_value_given() {
    const APP: &str = "https://app.example.com";
    // Control: the variable is not set, so nothing is allowed.
    assert_eq!(get_from(APP).await.allowed_origin(), None);
    assert!(std::env::var_os("TESTING_ENV_ORIGINS").is_none());

    let (allowed, refused, preflight) = testing::with_env("TESTING_ENV_ORIGINS", APP, async {
        let preflight = testing::preflight(APP, Method::PUT)
            .send_to(from_env)
            .await
            .unwrap();
        (
            get_from(APP).await,
            get_from("https://evil.example.com").await,
            preflight,
        )
    })
    .await;
    assert_eq!(allowed.allowed_origin(), Some(APP));
    assert!(allowed.allows_credentials());
    assert_eq!(refused.allowed_origin(), None);
    assert_eq!(preflight.allowed_origin(), Some(APP));

    // Only inside: afterwards the process environment decides again, and it was never set.
    assert_eq!(get_from(APP).await.allowed_origin(), None);
    assert!(std::env::var_os("TESTING_ENV_ORIGINS").is_none());
}

#[test]
fn threads_running_at_once_each_see_their_own_value() {
    const THREADS: usize = 8;
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mine = format!("https://tenant{i}.example.com");
                let other = format!("https://tenant{}.example.com", (i + 1) % THREADS);
                start.wait();
                block_on(testing::with_env("TESTING_ENV_ORIGINS", &mine, async {
                    let mut seen = Vec::new();
                    for _ in 0..50 {
                        seen.push(get_from(&mine).await.allowed_origin().map(str::to_owned));
                        seen.push(get_from(&other).await.allowed_origin().map(str::to_owned));
                        tokio::task::yield_now().await;
                    }
                    (mine.clone(), seen)
                }))
            })
        })
        .collect();
    for thread in threads {
        let (mine, seen) = thread.join().expect("no thread panics");
        for pair in seen.chunks(2) {
            assert_eq!(pair[0].as_deref(), Some(mine.as_str()));
            assert_eq!(pair[1], None, "{mine} saw another thread's value");
        }
    }
}

#[tokio::test]
async fn interleaved_futures_on_one_thread_keep_their_values() {
    let a = testing::with_env("TESTING_ENV_ORIGINS", "https://a.example.com", async {
        tokio::task::yield_now().await;
        get_from("https://a.example.com").await
    });
    let b = testing::with_env("TESTING_ENV_ORIGINS", "https://b.example.com", async {
        tokio::task::yield_now().await;
        get_from("https://a.example.com").await
    });
    let (a, b) = tokio::join!(a, b);
    assert_eq!(a.allowed_origin(), Some("https://a.example.com"));
    assert_eq!(b.allowed_origin(), None);
}

#[tokio::test]
async fn the_innermost_value_wins_and_others_variables_are_untouched() {
    let outcome = testing::with_env("TESTING_ENV_ORIGINS", "https://outer.example.com", async {
        testing::with_env("TESTING_ENV_ORIGINS", "https://inner.example.com", async {
            (
                get_from("https://inner.example.com").await,
                get_from("https://outer.example.com").await,
                // Another variable: this policy still reads the (unset) environment.
                testing::request(Method::GET, "/")
                    .origin("https://inner.example.com")
                    .send_to(with_literal)
                    .await
                    .unwrap(),
            )
        })
        .await
    })
    .await;
    assert_eq!(
        outcome.0.allowed_origin(),
        Some("https://inner.example.com")
    );
    assert_eq!(outcome.1.allowed_origin(), None);
    assert_eq!(outcome.2.allowed_origin(), None);
}

#[tokio::test]
async fn check_reports_the_values_problems_and_without_env_unsets() {
    // `check()` sees every policy of this test binary (the layer below reads the same
    // variable): pick out the handler's.
    let mine = |errors: cors_runtime::ConfigErrors| -> Vec<(ConfigErrorKind, Option<String>)> {
        errors
            .iter()
            .filter(|e| e.policy().handler() == Some("from_env"))
            .map(|e| (e.kind(), e.fix().map(str::to_owned)))
            .collect()
    };
    let errors = testing::with_env(
        "TESTING_ENV_ORIGINS",
        "https://App.example.com/ https://ok.example.com",
        async { cors_runtime::check() },
    )
    .await
    .unwrap_err();
    assert_eq!(
        mine(errors),
        [(
            ConfigErrorKind::InvalidOrigin,
            Some("https://app.example.com".to_owned())
        )]
    );

    let extra = |errors: cors_runtime::ConfigErrors| -> Vec<ConfigErrorKind> {
        errors
            .iter()
            .filter(|e| e.env_variable() == Some("TESTING_ENV_EXTRA_ORIGINS"))
            .map(cors_runtime::ConfigError::kind)
            .collect()
    };
    let set = testing::with_env(
        "TESTING_ENV_EXTRA_ORIGINS",
        "https://b.example.com",
        async { cors_runtime::check() },
    )
    .await;
    assert_eq!(set.map_or_else(extra, |()| Vec::new()), []);
    let unset = testing::without_env("TESTING_ENV_EXTRA_ORIGINS", async { cors_runtime::check() })
        .await
        .unwrap_err();
    assert_eq!(extra(unset), [ConfigErrorKind::EnvVariableNotSet]);
}

#[tokio::test]
async fn a_layer_and_a_builder_decide_by_the_value_given() {
    let app = Router::new()
        .route("/notes", get(|| async { "[]" }))
        .layer(cors_layer!(
            origins_env = "TESTING_ENV_ORIGINS",
            credentials
        ));
    let through_router = |origin: &'static str| {
        let app = app.clone();
        async move {
            testing::request(Method::GET, "/notes")
                .origin(origin)
                .send_to(|request| app.oneshot(request))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        through_router("https://app.example.com")
            .await
            .allowed_origin(),
        None
    );
    let routed = testing::with_env(
        "TESTING_ENV_ORIGINS",
        "https://app.example.com",
        through_router("https://app.example.com"),
    )
    .await;
    assert_eq!(routed.status(), 200);
    assert_eq!(routed.allowed_origin(), Some("https://app.example.com"));

    // A builder reads the variable in `build`: inside, the value given.
    let built = testing::with_env("TESTING_ENV_ORIGINS", "https://app.example.com", async {
        CorsLayer::builder()
            .origins_env("TESTING_ENV_ORIGINS")
            .build()
    })
    .await;
    assert!(built.is_ok(), "{:?}", built.err());
    let unset = CorsLayer::builder()
        .origins_env("TESTING_ENV_ORIGINS")
        .build();
    assert_eq!(
        unset.unwrap_err().iter().next().unwrap().kind(),
        ConfigErrorKind::EnvVariableNotSet
    );
}
