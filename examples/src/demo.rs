//! The demo: the example APIs under `cargo lambda watch --disable-cors`, and the page in
//! `examples/frontend/` served from a second local origin, which calls them with `fetch`.
//!
//! `cargo run -p cors-examples --bin demo` starts a [`Demo`] and waits for Ctrl-C; the browser
//! tests start one the same way and open [`Demo::page_url`] in headless Chromium.
//!
//! Every API gets `ALLOWED_ORIGINS` = the frontend's origin (e.g. `http://127.0.0.1:8000`).
//! The same page opened as `http://localhost:<same port>/` ([`Demo::other_origin_page_url`])
//! is a different origin, not listed: there the browser refuses what it must.
//!
//! The page reads its settings from `/config.js`, which the frontend server generates:
//! `window.DEMO_CONFIG = {allowedOrigins: [...], apis: {cookie: "<base URL>", ...}}`.

use std::io;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::thread;

use serde_json::json;

use crate::local::{LocalApi, StaticServer};

/// The example binaries the demo runs, with the key the page knows each by.
pub const APIS: &[(&str, &str)] = &[
    ("cookie", "cookie-api"),
    ("notes", "notes-api"),
    ("public", "public-api"),
    ("stream", "stream-api"),
];

/// The cookie attributes the demo gives `cookie-api` (its `COOKIE_ATTRIBUTES`).
///
/// The deployed default is `Path=/; HttpOnly; Secure; SameSite=None`, for a frontend on
/// another site. Chromium accepts that on `http://127.0.0.1` too (it treats loopback as a
/// secure context, also for `Secure` cookies), and the frontend here is on the same site
/// anyway (`127.0.0.1` on another port), so the deployed default works unchanged.
pub const COOKIE_ATTRIBUTES: &str = "Path=/; HttpOnly; Secure; SameSite=None";

/// How to start a [`Demo`].
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// The frontend's port on `127.0.0.1`; a free one when `None`.
    pub frontend_port: Option<u16>,
    /// Extra environment variables for `cargo lambda watch` and the handlers (e.g. a `PATH`
    /// that finds a freshly installed `cargo-lambda`).
    pub env: Vec<(String, String)>,
}

/// The running demo: every process and server is stopped when it is dropped.
#[derive(Debug)]
pub struct Demo {
    /// The page's server: `examples/frontend/` plus the generated `/config.js`.
    pub frontend: StaticServer,
    /// The APIs, in the order of [`APIS`]: `(key, API)`.
    pub apis: Vec<(&'static str, LocalApi)>,
    allowed_origins: String,
}

impl Demo {
    /// Starts the frontend server, then every API of [`APIS`] (in parallel; the first run
    /// builds them) with `ALLOWED_ORIGINS` set to the frontend's origin, and publishes their
    /// URLs to the page in `/config.js`.
    pub fn start(options: &DemoOptions) -> io::Result<Demo> {
        Self::start_cancellable(options, &AtomicBool::new(false))
    }

    /// [`Demo::start`] that gives up, stopping what it started, once `cancel` is set.
    pub fn start_cancellable(options: &DemoOptions, cancel: &AtomicBool) -> io::Result<Demo> {
        let frontend = match options.frontend_port {
            Some(port) => StaticServer::with_dir_on_port(frontend_dir(), port)?,
            None => StaticServer::with_dir(frontend_dir())?,
        };
        let allowed_origins = frontend.origin().to_owned();
        let mut env: Vec<(&str, &str)> = vec![
            ("ALLOWED_ORIGINS", &allowed_origins),
            ("COOKIE_ATTRIBUTES", COOKIE_ATTRIBUTES),
        ];
        env.extend(options.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));

        let started: Vec<(&'static str, io::Result<LocalApi>)> = thread::scope(|scope| {
            let handles: Vec<_> = APIS
                .iter()
                .map(|&(key, bin)| {
                    let env = &env;
                    (
                        key,
                        scope.spawn(move || LocalApi::start_cancellable(bin, env, cancel)),
                    )
                })
                .collect();
            handles
                .into_iter()
                .map(|(key, handle)| {
                    let result = handle
                        .join()
                        .unwrap_or_else(|_| Err(io::Error::other("the start thread panicked")));
                    (key, result)
                })
                .collect()
        });
        // The first error wins; the APIs that did start are stopped when `started` drops.
        let mut apis = Vec::new();
        for (key, api) in started {
            apis.push((key, api?));
        }
        let demo = Demo {
            frontend,
            apis,
            allowed_origins,
        };
        demo.frontend.add(
            "/config.js",
            "text/javascript; charset=utf-8",
            demo.config_js(),
        );
        Ok(demo)
    }

    /// The API started for `key` (`"cookie"`, `"notes"`, `"public"`, `"stream"`).
    pub fn api(&self, key: &str) -> &LocalApi {
        self.apis
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, api)| api)
            .unwrap_or_else(|| panic!("the demo runs no API `{key}`"))
    }

    /// The value of `ALLOWED_ORIGINS` every API got: the frontend's origin.
    pub fn allowed_origins(&self) -> &str {
        &self.allowed_origins
    }

    /// The page, on the allowed origin: `http://127.0.0.1:<port>/`.
    pub fn page_url(&self) -> String {
        self.frontend.url("/")
    }

    /// The same page from an origin that is not allowed: `http://localhost:<port>/` (the
    /// same server, but a different origin, since browsers compare origins by host name).
    pub fn other_origin_page_url(&self) -> String {
        self.page_url().replacen("127.0.0.1", "localhost", 1)
    }

    /// `/config.js`: what the page needs to know.
    pub fn config_js(&self) -> String {
        let apis: serde_json::Map<String, serde_json::Value> = self
            .apis
            .iter()
            .map(|(key, api)| ((*key).to_owned(), json!(api.base_url())))
            .collect();
        let config = json!({
            "allowedOrigins": self.allowed_origins.split_whitespace().collect::<Vec<_>>(),
            "apis": apis,
        });
        format!("window.DEMO_CONFIG = {config};\n")
    }

    /// What the demo prints once everything runs.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("Frontend (the page):  {}\n", self.page_url()));
        out.push_str(&format!(
            "Same page, origin NOT allowed: {}\n",
            self.other_origin_page_url()
        ));
        out.push_str(&format!("ALLOWED_ORIGINS={}\n", self.allowed_origins));
        out.push_str("APIs (cargo lambda watch --disable-cors, one per function):\n");
        for (_, api) in &self.apis {
            out.push_str(&format!("  {}/\n", api.base_url()));
        }
        out
    }
}

/// `examples/frontend/`.
pub fn frontend_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("frontend")
}
