//! A handler binary of the examples as a local HTTP API, the way a developer runs a Lambda
//! function URL locally: [`LocalApi`] runs it under `cargo lambda watch --disable-cors`.
//!
//! `cargo lambda watch` maps `http://127.0.0.1:PORT/lambda-url/<bin>/<path>` to an API Gateway
//! v2 (function URL) event with `rawPath = /<path>` for the function `<bin>`
//! ([`LocalApi::base_url`]); it also serves the Lambda invoke API, which takes any event JSON
//! ([`LocalApi::invoke`]). Without `--disable-cors` it would wrap every function in its own
//! permissive CORS layer (it echoes any `Origin` with credentials and answers preflights
//! itself), which would hide the handler's CORS behaviour from the browser; this module always
//! disables it. `cargo-lambda` comes from `PATH` or from `target/tools-venv` ([`crate::tools`]).
//!
//! The process is stopped, with its children, when the [`LocalApi`] is dropped. It listens on
//! `127.0.0.1` only.

use std::fs;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::http_client::{HttpResponse, http_request};
use crate::process::{free_port, listening_in_tree, process_alive, stop_process_tree};
use crate::temp_dir::TempDir;
use crate::tools;
use crate::workspace::{cargo, workspace_root};

/// How long [`LocalApi::start`] waits for the function to answer its first request. The
/// first request makes `cargo lambda watch` build the binary, which on a cold target
/// directory (or behind another build holding Cargo's lock) takes minutes.
pub const API_START_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// The workspace package whose binaries [`LocalApi`] runs.
pub const EXAMPLES_PACKAGE: &str = "cors-examples";

/// A handler binary of `cors-examples` running as a local HTTP API under
/// `cargo lambda watch --disable-cors --ignore-changes` on `127.0.0.1:<free port>`.
///
/// `cargo lambda watch` (and so the handler) is stopped with all its child processes when
/// this value is dropped.
#[derive(Debug)]
pub struct LocalApi {
    child: Child,
    origin: String,
    bin: String,
    log_path: PathBuf,
    _dir: TempDir,
}

impl LocalApi {
    /// Starts `cargo lambda watch` for the binary `bin` of `cors-examples`, with the
    /// environment variables `env` set for the handler (e.g. `ALLOWED_ORIGINS`), and waits
    /// until the handler has answered one request (`GET <base_url>/`, which also makes
    /// `cargo lambda` build the binary; the handler sees it as an ordinary request).
    ///
    /// Fails, with the captured `cargo lambda` output, if the build fails, the process
    /// exits, or nothing answers within [`API_START_TIMEOUT`].
    pub fn start(bin: &str, env: &[(&str, &str)]) -> io::Result<LocalApi> {
        Self::start_cancellable(bin, env, &AtomicBool::new(false))
    }

    /// [`LocalApi::start`] that gives up, stopping what it started, as soon as `cancel` is
    /// set (with an error of kind [`io::ErrorKind::Interrupted`]): for a Ctrl-C during the
    /// first build.
    pub fn start_cancellable(
        bin: &str,
        env: &[(&str, &str)],
        cancel: &AtomicBool,
    ) -> io::Result<LocalApi> {
        let mut last_error = None;
        // The port is picked free and then released, so another process may take it before
        // `cargo lambda` binds it: retry with a new port in that case.
        for _ in 0..3 {
            match Self::start_once(bin, env, cancel) {
                Ok(api) => return Ok(api),
                Err(StartError::PortTaken(e)) => last_error = Some(e),
                Err(StartError::Fatal(e)) => return Err(e),
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("could not start cargo lambda watch")))
    }

    fn start_once(
        bin: &str,
        env: &[(&str, &str)],
        cancel: &AtomicBool,
    ) -> Result<LocalApi, StartError> {
        let dir = TempDir::new("api").map_err(StartError::Fatal)?;
        let log_path = dir.path().join("cargo-lambda.log");
        let log = fs::File::create(&log_path).map_err(StartError::Fatal)?;
        let port = free_port().map_err(StartError::Fatal)?;
        let cargo_lambda = tools::ensure(&tools::CARGO_LAMBDA)
            .map_err(|e| StartError::Fatal(io::Error::other(e)))?;

        let mut command = Command::new(cargo());
        if let Some(path) = cargo_lambda.path_env() {
            // `cargo lambda` runs the `cargo-lambda` it finds on PATH.
            command.env("PATH", path);
        }
        command
            .current_dir(workspace_root())
            .args(["lambda", "watch", "--disable-cors", "--ignore-changes"])
            .args(["--invoke-address", "127.0.0.1"])
            .args(["--invoke-port", &port.to_string()])
            .args(["--package", EXAMPLES_PACKAGE, "--bin", bin])
            // The function process inherits cargo lambda's environment (values may hold
            // spaces or commas, which `--env-var` would split).
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(StartError::Fatal)?)
            .stderr(log)
            // Own process group, so that Drop can stop cargo and everything it started.
            .process_group(0);
        let child = command.spawn().map_err(|e| {
            StartError::Fatal(io::Error::new(
                e.kind(),
                format!("could not run `{} lambda watch`: {e}", cargo()),
            ))
        })?;
        let api = LocalApi {
            child,
            origin: format!("http://127.0.0.1:{port}"),
            bin: bin.to_owned(),
            log_path,
            _dir: dir,
        };
        api.wait_until_ready(port, cancel)?;
        Ok(api)
    }

    fn wait_until_ready(&self, port: u16, cancel: &AtomicBool) -> Result<(), StartError> {
        let cancelled = || {
            cancel.load(Ordering::SeqCst).then(|| {
                StartError::Fatal(io::Error::new(
                    io::ErrorKind::Interrupted,
                    format!("starting `{}` was cancelled", self.bin),
                ))
            })
        };
        let deadline = Instant::now() + API_START_TIMEOUT;
        let fail = |what: &str, api: &LocalApi| {
            io::Error::other(format!(
                "cargo lambda watch for `{}` {what}; its output:\n{}",
                api.bin,
                api.log()
            ))
        };
        // 1. The invoke server listens. The port was only free a moment ago: it must be
        // cargo lambda that listens on it (cargo lambda exits, with status 0, when the
        // address is taken).
        loop {
            if listening_in_tree(self.child.id(), port) {
                break;
            }
            if let Some(e) = cancelled() {
                return Err(e);
            }
            if self.exited() {
                return Err(StartError::PortTaken(fail("exited before listening", self)));
            }
            if Instant::now() > deadline {
                return Err(StartError::Fatal(fail("did not listen in time", self)));
            }
            thread::sleep(Duration::from_millis(50));
        }
        // 2. The function answers (the first request builds it). A failed build leaves the
        // request hanging, so the log is watched meanwhile.
        let url = format!("{}/", self.base_url());
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(http_request("GET", &url, &[], None, API_START_TIMEOUT));
        });
        loop {
            match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(Ok(_)) => return Ok(()),
                Ok(Err(e)) => {
                    return Err(StartError::Fatal(fail(
                        &format!("did not answer its first request ({e})"),
                        self,
                    )));
                }
                Err(_) => {}
            }
            if let Some(e) = cancelled() {
                return Err(e);
            }
            let log = self.log();
            if log.contains("error: could not compile") || log.contains("ERROR command exited") {
                return Err(StartError::Fatal(fail(
                    "failed to build or run the function",
                    self,
                )));
            }
            if self.exited() {
                return Err(StartError::Fatal(fail("exited", self)));
            }
            if Instant::now() > deadline {
                return Err(StartError::Fatal(fail("did not answer in time", self)));
            }
        }
    }

    fn exited(&self) -> bool {
        // `try_wait` needs `&mut`; `/proc` tells liveness (an unreaped exit is a zombie).
        !process_alive(self.child.id())
    }

    /// The API's origin, e.g. `http://127.0.0.1:39123`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The function's base URL, `http://127.0.0.1:PORT/lambda-url/<bin>`: the handler sees
    /// `<base_url>/whoami` as a request for the path `/whoami`.
    pub fn base_url(&self) -> String {
        format!("{}/lambda-url/{}", self.origin, self.bin)
    }

    /// `<base_url><path>`; `path` starts with `/` (and may carry a query string).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Sends `GET <base_url><path>` directly (no browser, no `Origin` header).
    pub fn get(&self, path: &str) -> io::Result<HttpResponse> {
        http_request("GET", &self.url(path), &[], None, Duration::from_secs(60))
    }

    /// Invokes the function with the event JSON `event`, as a service that Lambda integrates
    /// would (an API Gateway REST API, an ALB, ...), through the Lambda invoke API that `cargo
    /// lambda watch` serves (`POST <origin>/2015-03-31/functions/<bin>/invocations`), and
    /// returns what the function answered: its proxy response JSON, as that service would read
    /// it. The handler sees the request `lambda_http::run` makes of that event.
    pub fn invoke(&self, event: &str) -> io::Result<HttpResponse> {
        let url = format!(
            "{}/2015-03-31/functions/{}/invocations",
            self.origin, self.bin
        );
        let headers = [("Content-Type", "application/json")];
        http_request(
            "POST",
            &url,
            &headers,
            Some(event.as_bytes()),
            Duration::from_secs(60),
        )
    }

    /// Everything `cargo lambda watch` and the handler printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for LocalApi {
    fn drop(&mut self) {
        // SIGTERM lets cargo lambda stop the function it runs in its own session; the
        // process tree is swept afterwards in any case.
        stop_process_tree(&mut self.child, Duration::from_secs(5));
    }
}

enum StartError {
    /// Worth another try on another port.
    PortTaken(io::Error),
    Fatal(io::Error),
}
