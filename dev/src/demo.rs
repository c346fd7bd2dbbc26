//! The demo: the example APIs under `cargo lambda watch --disable-cors`, and the page in
//! `examples/frontend/` served from a second local origin, which calls them with `fetch`.
//!
//! `cargo run -p cors-examples --bin demo` ([`main`]) starts a [`Demo`] and waits for Ctrl-C; the
//! browser tests start one the same way and open [`Demo::page_url`] in headless Chromium.
//!
//! Every API gets `ALLOWED_ORIGINS` = the frontend's origin (e.g. `http://127.0.0.1:8000`).
//! The same page opened as `http://localhost:<same port>/` ([`Demo::other_origin_page_url`])
//! is a different origin, not listed: there the browser refuses what it must.
//!
//! The page reads its settings from `/config.js`, which the frontend server generates:
//! `window.DEMO_CONFIG = {allowedOrigins: [...], apis: {cookie: "<base URL>", ...}}`.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use serde_json::json;
use tokio::signal::unix::{SignalKind, signal};

use crate::local_api::LocalApi;
use crate::static_server::StaticServer;
use crate::tools;
use crate::workspace::workspace_root;

/// The example binaries the demo runs, with the key the page knows each by.
pub const APIS: &[(&str, &str)] = &[
    ("cookie", "cookie-api"),
    ("notes", "notes-api"),
    ("public", "public-api"),
    ("stream", "stream-api"),
    ("axum", "axum-api"),
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
    /// Extra environment variables for `cargo lambda watch` and the handlers.
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

    /// The API started for `key` (`"cookie"`, `"notes"`, `"public"`, `"stream"`, `"axum"`).
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
    workspace_root().join("examples/frontend")
}

/// The demo binary, `cargo run -p cors-examples --bin demo [-- --port N]`: the example APIs
/// under `cargo lambda watch --disable-cors` on `127.0.0.1`, and the page on a second local
/// origin, until Ctrl-C, SIGTERM or SIGHUP; then every process it started is stopped.
///
/// `cargo-lambda` comes from `PATH`, or is installed first into `target/tools-venv`
/// ([`tools::ensure`]). `--port N` (or `DEMO_PORT=N`) puts the page on `http://127.0.0.1:N`;
/// by default a free port is picked. The APIs always get free ports.
pub fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(Some(options)) => options,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!(
                "demo: {message}\nusage: cargo run -p cors-examples --bin demo [-- --port N]"
            );
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("demo: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--port N` / `DEMO_PORT`; `None` after `--help`.
fn parse_args() -> Result<Option<DemoOptions>, String> {
    let mut options = DemoOptions::default();
    let parse_port = |value: &str| {
        value
            .parse::<u16>()
            .map_err(|_| format!("not a port number: `{value}`"))
    };
    if let Ok(port) = std::env::var("DEMO_PORT") {
        options.frontend_port = Some(parse_port(&port)?);
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" | "-p" => {
                let value = args.next().ok_or("`--port` needs a value")?;
                options.frontend_port = Some(parse_port(&value)?);
            }
            "--help" | "-h" => {
                println!(
                    "cargo run -p cors-examples --bin demo [-- --port N]\n\n\
                     Runs the example APIs under `cargo lambda watch --disable-cors` and a page\n\
                     on another local origin (port N, or DEMO_PORT, or a free one) that calls\n\
                     them. Ctrl-C stops everything."
                );
                return Ok(None);
            }
            other => {
                if let Some(value) = other.strip_prefix("--port=") {
                    options.frontend_port = Some(parse_port(value)?);
                } else {
                    return Err(format!("unknown argument `{other}`"));
                }
            }
        }
    }
    Ok(Some(options))
}

async fn run(options: DemoOptions) -> Result<(), String> {
    let mut stop = Stop::new().map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    let cargo_lambda = tokio::task::spawn_blocking(|| tools::ensure(&tools::CARGO_LAMBDA))
        .await
        .map_err(|e| format!("looking for cargo-lambda failed: {e}"))??;
    println!("Using cargo-lambda from {}.", cargo_lambda.origin());

    let names: Vec<&str> = APIS.iter().map(|(_, bin)| *bin).collect();
    println!(
        "Starting {} under `cargo lambda watch --disable-cors` (the first run builds them; \
         this can take a few minutes)...",
        names.join(", ")
    );
    let cancel = Arc::new(AtomicBool::new(false));
    let mut starting = tokio::task::spawn_blocking({
        let cancel = cancel.clone();
        move || Demo::start_cancellable(&options, &cancel)
    });
    let started = tokio::select! {
        started = &mut starting => started,
        signal = stop.wait() => {
            println!("\n{signal}: stopping what was started...");
            cancel.store(true, Ordering::SeqCst);
            let _ = starting.await;
            println!("Stopped.");
            return Ok(());
        }
    };
    let demo = started
        .map_err(|e| format!("starting the demo failed: {e}"))?
        .map_err(|e| format!("starting the demo failed: {e}"))?;

    println!();
    print!("{}", demo.summary());
    println!();
    println!(
        "Open {} in a browser: the page calls the APIs with fetch",
        demo.page_url()
    );
    println!("and shows, call by call, what the browser let it read.");
    println!("Press Ctrl-C to stop.");

    let signal = stop.wait().await;
    println!("\n{signal}: stopping cargo lambda watch and the frontend server...");
    drop(demo);
    println!("Stopped.");
    Ok(())
}

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed).
struct Stop {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Stop {
    fn new() -> io::Result<Stop> {
        Ok(Stop {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for one of the signals; returns its name.
    async fn wait(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "Ctrl-C",
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.hangup.recv() => "SIGHUP",
        }
    }
}
