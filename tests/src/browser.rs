//! Headless Chromium, driven over WebDriver (ChromeDriver, spoken to with plain
//! HTTP + JSON), so that browser tests assert what the browser itself decides about CORS.
//!
//! A test serves a page from a [`StaticServer`] (the frontend origin), the page makes its
//! `fetch` calls (default `mode: "cors"`) against a [`LocalApi`]
//! on another origin, and reports a JSON value; [`Browser::run_page`] returns that value.
//! Opaque origins (`Origin: null`) are covered by [`Browser::run_data_url`] and by
//! [`sandboxed_iframe_page`].
//!
//! ## The page contract
//! A page reports by assigning any JSON-serialisable value to `window.__result`, or an error
//! message to `window.__error`. [`page`] builds such a page from the body of an `async`
//! JavaScript function, whose return value is reported and which can use the helpers
//! `probe(url, init)` (runs `fetch`, never throws; see [`page`]) and `sleep(ms)`.
//!
//! A browser test starts with [`require`], and carries the attribute that makes it an ignored
//! test when the build script found Chromium or ChromeDriver missing (see
//! [`crate::root_tools`]):
//!
//! ```no_run
//! use cors_dev::local_api::LocalApi;
//! use cors_dev::static_server::StaticServer;
//! use cors_tests::browser::{self, Browser, page};
//!
//! // #[test]
//! // #[cfg_attr(
//! //     any(missing_chromium, missing_chromedriver),
//! //     ignore = "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)"
//! // )]
//! // fn a_browser_test() {
//! browser::require();
//! let frontend = StaticServer::start().unwrap();
//! let api = LocalApi::start("plain-api", &[("ALLOWED_ORIGINS", frontend.origin())]).unwrap();
//! let browser = Browser::start().unwrap();
//! let url = serde_json::to_string(&api.url("/whoami")).unwrap(); // a JS string literal
//! let result = browser
//!     .run_page(&frontend, &page(&format!("return await probe({url}, {{credentials: 'include'}});")))
//!     .unwrap();
//! assert_eq!(result["status"], 401);
//! // }
//! ```
//!
//! Cookies and the preflight cache live as long as the [`Browser`]: pages run by one
//! `Browser` share them; start another `Browser` for a clean profile.

use std::fs;
use std::io;
use std::os::unix::process::CommandExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use cors_dev::http_client::{HttpResponse, http_request};
use cors_dev::local_api::LocalApi;
use cors_dev::process::{free_port, listening_in_tree, stop_process_tree};
use cors_dev::static_server::StaticServer;
use cors_dev::temp_dir::TempDir;

use crate::root_tools::{CHROMEDRIVER, CHROMIUM};

/// The flags Chromium always runs with here (plus `--user-data-dir=<fresh temp dir>`).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Turns off Chromium's Local Network Access checks, which [`Browser::start`] does.
///
/// The API under test listens on loopback here but is public in production. With the checks
/// on, a page whose origin is not itself on loopback (a `data:` URL, opaque and "public")
/// cannot reach `127.0.0.1` at all ("the request client is not a secure context and the
/// resource is in more-private address space `loopback`"): the request never leaves the
/// browser, so an `Origin: null` test would pass for the wrong reason. Pages served from
/// `127.0.0.1` (the frontend origins, sandboxed iframes inside them) are not affected.
pub const ALLOW_LOOPBACK_FROM_ANY_ORIGIN: &str = "--disable-features=LocalNetworkAccessChecks";

/// How long a page may take to report (WebDriver script and page-load timeouts).
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// A headless Chromium session (ChromeDriver + Chromium with a fresh profile).
///
/// ChromeDriver, Chromium and the profile directory are removed when this is dropped.
#[derive(Debug)]
pub struct Browser {
    driver: Child,
    session: String,
    pages: AtomicU64,
    _dir: TempDir,
}

impl Browser {
    /// Starts ChromeDriver and a Chromium session with [`CHROMIUM_ARGS`] and
    /// [`ALLOW_LOOPBACK_FROM_ANY_ORIGIN`].
    pub fn start() -> io::Result<Browser> {
        Self::start_with_args(&[ALLOW_LOOPBACK_FROM_ANY_ORIGIN])
    }

    /// Starts ChromeDriver and a Chromium session with [`CHROMIUM_ARGS`], a fresh
    /// `--user-data-dir` and the `extra` flags.
    pub fn start_with_args(extra: &[&str]) -> io::Result<Browser> {
        let mut last_error = None;
        for _ in 0..3 {
            match Self::start_once(extra) {
                Ok(browser) => return Ok(browser),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("could not start chromedriver")))
    }

    fn start_once(extra: &[&str]) -> io::Result<Browser> {
        let dir = TempDir::new("browser")?;
        let profile = dir.path().join("profile");
        fs::create_dir(&profile)?;
        let log_path = dir.path().join("chromedriver.log");
        let port = free_port()?;
        let driver = Command::new(CHROMEDRIVER.path())
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        // From here on, dropping `browser` stops the driver.
        let mut browser = Browser {
            driver,
            session: format!("http://127.0.0.1:{port}"),
            pages: AtomicU64::new(0),
            _dir: dir,
        };
        let base = browser.session.clone();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // The port was only free a moment ago: make sure it is our ChromeDriver that
            // answers (another one may have taken the port; ours then exits).
            if listening_in_tree(browser.driver.id(), port) {
                let status = http_request("GET", &format!("{base}/status"), &[], None, SHORT);
                let ready = status
                    .ok()
                    .and_then(|response| serde_json::from_slice::<Value>(&response.body).ok());
                if ready.is_some_and(|status| status["value"]["ready"] == true) {
                    break;
                }
            }
            if matches!(browser.driver.try_wait(), Ok(Some(_))) || Instant::now() > deadline {
                return Err(io::Error::other(format!(
                    "chromedriver did not start: {}",
                    fs::read_to_string(&log_path).unwrap_or_default()
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }

        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(extra.iter().map(|a| a.to_string()));
        let timeout_ms = PAGE_TIMEOUT.as_millis() as u64;
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM.path(),
                "args": args,
            },
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"script": timeout_ms, "pageLoad": timeout_ms, "implicit": 0},
        }}});
        let created = webdriver(&base, "POST", "/session", Some(&capabilities))?;
        let id = created["sessionId"]
            .as_str()
            .ok_or_else(|| io::Error::other(format!("no session id in {created}")))?;
        browser.session = format!("{base}/session/{id}");
        Ok(browser)
    }

    /// Serves `html` from `server` at a fresh path, opens it and returns what it reported
    /// (see the page contract in the module docs).
    pub fn run_page(&self, server: &StaticServer, html: &str) -> io::Result<Value> {
        let n = self.pages.fetch_add(1, Ordering::SeqCst);
        let path = format!("/cors-test-page-{n}.html");
        server.add_html(&path, html);
        self.open(&server.url(&path))
    }

    /// Opens `html` as a `data:text/html` URL, whose origin is opaque: its requests carry
    /// `Origin: null`. Returns what it reported.
    pub fn run_data_url(&self, html: &str) -> io::Result<Value> {
        self.open(&data_url(html))
    }

    /// Navigates to `url`, waits for the page to report, and returns the reported value.
    /// A reported `window.__error` or a timeout becomes an error that includes
    /// [`Browser::console_log`].
    pub fn open(&self, url: &str) -> io::Result<Value> {
        self.command("POST", "/url", Some(&json!({"url": url})))?;
        let reported = self.command(
            "POST",
            "/execute/async",
            Some(&json!({"script": WAIT_FOR_RESULT, "args": []})),
        );
        let failure = |what: String| {
            let log = self.console_log().unwrap_or_default().join("\n");
            io::Error::other(format!("page {url} {what}; browser console:\n{log}"))
        };
        match reported {
            Ok(value) if value.get("error").is_some() => {
                Err(failure(format!("reported an error: {}", value["error"])))
            }
            Ok(mut value) => Ok(value["result"].take()),
            Err(e) => Err(failure(format!("did not report: {e}"))),
        }
    }

    /// The browser console messages since the last call, as `LEVEL message` (e.g.
    /// `SEVERE http://… - Access to fetch at '…' from origin '…' has been blocked by CORS
    /// policy: …`): the browser's own account of why a request failed. Messages of
    /// sandboxed iframes may be missing.
    pub fn console_log(&self) -> io::Result<Vec<String>> {
        let entries = self.command("POST", "/se/log", Some(&json!({"type": "browser"})))?;
        Ok(entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or(""),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Runs `script` (the body of a JavaScript function) in the current page and returns
    /// what it returns (WebDriver "execute script").
    pub fn execute(&self, script: &str) -> io::Result<Value> {
        self.command(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    /// Resizes the browser window to `width` × `height` CSS pixels.
    pub fn set_window_size(&self, width: u32, height: u32) -> io::Result<()> {
        self.command(
            "POST",
            "/window/rect",
            Some(&json!({"width": width, "height": height})),
        )?;
        Ok(())
    }

    /// A PNG screenshot of the current page's viewport (WebDriver "take screenshot").
    pub fn screenshot_png(&self) -> io::Result<Vec<u8>> {
        let value = self.command("GET", "/screenshot", None)?;
        let encoded = value
            .as_str()
            .ok_or_else(|| io::Error::other(format!("screenshot is not a string: {value}")))?;
        base64_decode(encoded)
            .ok_or_else(|| io::Error::other("the screenshot is not valid base64".to_owned()))
    }

    /// [`Browser::console_log`] as one string (one message a line); panics if the console
    /// cannot be read.
    pub fn console(&self) -> String {
        self.console_log().expect("the browser console").join("\n")
    }

    /// Runs `script` (as in [`page`]) on the opaque-origin page `opaque`, whose requests carry
    /// `Origin: null`; a [`sandboxed_iframe_page`] is served from `server`. Returns what it
    /// reported.
    pub fn run_opaque(
        &self,
        opaque: Opaque,
        server: &StaticServer,
        script: &str,
    ) -> io::Result<Value> {
        match opaque {
            Opaque::DataUrl => self.run_data_url(&page(script)),
            Opaque::SandboxedIframe => self.run_page(server, &sandboxed_iframe_page(script)),
        }
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> io::Result<Value> {
        webdriver(&self.session, method, path, body)
    }
}

/// The two pages with an opaque origin (`Origin: null`) that [`Browser::run_opaque`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opaque {
    /// A `data:text/html` URL ([`Browser::run_data_url`]).
    DataUrl,
    /// An `<iframe sandbox="allow-scripts">` in a frontend page ([`sandboxed_iframe_page`]).
    SandboxedIframe,
}

impl Opaque {
    /// Both.
    pub const ALL: [Opaque; 2] = [Opaque::DataUrl, Opaque::SandboxedIframe];

    /// How test messages name it: `data: URL` or `sandboxed iframe`.
    pub fn name(self) -> &'static str {
        match self {
            Opaque::DataUrl => "data: URL",
            Opaque::SandboxedIframe => "sandboxed iframe",
        }
    }
}

/// Decodes standard base64 (with or without padding); `None` if `text` is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let digits: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let digits = digits
        .strip_suffix(b"==")
        .or_else(|| digits.strip_suffix(b"="))
        .unwrap_or(&digits);
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for group in digits.chunks(4) {
        if group.len() == 1 {
            return None;
        }
        let mut bits = 0u32;
        for (i, &c) in group.iter().enumerate() {
            bits |= value(c)? << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..group.len()]);
    }
    Some(out)
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.session.contains("/session/") {
            // Lets ChromeDriver close Chromium cleanly; the process tree is swept anyway.
            let _ = http_request("DELETE", &self.session, &[], None, SHORT);
        }
        stop_process_tree(&mut self.driver, Duration::from_secs(3));
    }
}

const SHORT: Duration = Duration::from_secs(10);

/// Waits (as a WebDriver async script) for the page contract's `__result` / `__error`.
const WAIT_FOR_RESULT: &str = r#"
const done = arguments[arguments.length - 1];
(function poll() {
  if (window.__error !== undefined) done({error: String(window.__error)});
  else if (window.__result !== undefined) done({result: window.__result});
  else setTimeout(poll, 20);
})();
"#;

/// Sends one WebDriver command and returns its `value`, or the WebDriver error.
fn webdriver(base: &str, method: &str, path: &str, body: Option<&Value>) -> io::Result<Value> {
    let body = body.map(Value::to_string);
    let response = http_request(
        method,
        &format!("{base}{path}"),
        &[("Content-Type", "application/json; charset=utf-8")],
        body.as_deref().map(str::as_bytes),
        PAGE_TIMEOUT + Duration::from_secs(30),
    )?;
    let mut parsed: Value = serde_json::from_slice(&response.body).map_err(|e| {
        io::Error::other(format!("bad WebDriver response ({e}): {}", response.text()))
    })?;
    let value = parsed["value"].take();
    if response.status != 200 {
        return Err(io::Error::other(format!(
            "WebDriver {method} {path}: {} ({})",
            value["error"].as_str().unwrap_or("error"),
            value["message"].as_str().unwrap_or(""),
        )));
    }
    Ok(value)
}

/// JavaScript helpers every [`page`] defines.
const PRELUDE: &str = r#"
async function probe(url, init) {
  try {
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    return {ok: true, status: response.status, headers, body: await response.text()};
  } catch (e) {
    return {ok: false, error: `${e.name}: ${e.message}`};
  }
}
function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
"#;

/// A complete HTML page that runs `script` as the body of an `async` function and reports
/// its return value (or what it throws, as an error). `script` must not contain
/// `</script>`.
///
/// Helpers in scope:
/// - `probe(url, init)`: `fetch(url, init)`, never throws. Gives
///   `{ok: true, status, headers, body}` where `headers` holds what CORS lets the page read
///   (lower-case names), or `{ok: false, error: "TypeError: Failed to fetch"}` when the
///   browser refuses the response.
/// - `sleep(ms)`: a promise resolved after `ms` milliseconds.
///
/// The page also shows the report in `<pre id="result">` (handy for screenshots).
pub fn page(script: &str) -> String {
    page_with_reporter(
        script,
        "function report(r) {
           if ('error' in r) window.__error = r.error; else window.__result = r.result;
           document.getElementById('result').textContent = JSON.stringify(r);
         }",
    )
}

/// A page whose `script` (as in [`page`]) runs inside an
/// `<iframe sandbox="allow-scripts">`: an opaque origin, so its requests carry
/// `Origin: null`, while the page itself stays on the frontend origin and reports what the
/// iframe posts back.
pub fn sandboxed_iframe_page(script: &str) -> String {
    let inner = page_with_reporter(
        script,
        "function report(r) { parent.postMessage({corsTest: true, report: r}, '*'); }",
    );
    let srcdoc = inner
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>cors-tests (sandboxed iframe)</title></head>
<body><pre id="result"></pre>
<script>
window.addEventListener("message", (event) => {{
  const d = event.data;
  if (!d || d.corsTest !== true) return;
  if ("error" in d.report) window.__error = d.report.error; else window.__result = d.report.result;
  document.getElementById("result").textContent = JSON.stringify(d.report);
}});
</script>
<iframe sandbox="allow-scripts" srcdoc="{srcdoc}"></iframe>
</body></html>
"#
    )
}

fn page_with_reporter(script: &str, reporter: &str) -> String {
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>cors-tests</title></head>
<body><pre id="result"></pre>
<script>
{PRELUDE}
{reporter}
(async () => {{
{script}
}})().then(
  (result) => report({{result: result === undefined ? null : result}}),
  (e) => report({{error: String((e && e.stack) || e)}}),
);
</script>
</body></html>
"#
    )
}

/// `html` as a `data:text/html;charset=utf-8,…` URL.
fn data_url(html: &str) -> String {
    let mut url = String::from("data:text/html;charset=utf-8,");
    for byte in html.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Panics, saying what to install, unless Chromium and ChromeDriver are both installed. The
/// first thing a browser test does: it runs only when the build script found both, or when
/// `CI` is set (then a missing one is a failure), or with `--include-ignored`.
///
/// `cargo-lambda`, which the APIs run under, is installed when missing, by
/// [`LocalApi::start`](cors_dev::local_api::LocalApi::start).
pub fn require() {
    CHROMIUM.require();
    CHROMEDRIVER.require();
}

// ---------------------------------------------------------------------------------------
// What browser test cases share.

/// A JavaScript string literal.
pub fn js(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The counters an example API answers `GET /count` with, read directly (not through the
/// browser, and not counted by the handler).
pub fn counts(api: &LocalApi) -> Value {
    let response = api.get("/count").expect("GET /count");
    assert_eq!(response.status, 200, "GET /count: {}", response.text());
    serde_json::from_slice(&response.body).expect("/count is JSON")
}

/// The counter `name` of [`counts`].
pub fn count(counts: &Value, name: &str) -> u64 {
    counts[name]
        .as_u64()
        .unwrap_or_else(|| panic!("a counter {name}: {counts}"))
}

/// How many times `api`'s handler has run (its `GET /count`, sent directly; the handler counts
/// every request but that one).
pub fn invocations(api: &LocalApi) -> u64 {
    count(&counts(api), "invocations")
}

/// Runs `f` and returns its value with the number of times `api`'s handler ran meanwhile
/// (the second `/count` request itself excluded).
pub fn handler_runs<T>(api: &LocalApi, f: impl FnOnce() -> T) -> (T, u64) {
    let before = invocations(api);
    let value = f();
    let after = invocations(api);
    (value, after - before - 1)
}

/// `GET url` with `Origin: origin`, sent directly (not through the browser): what the server
/// answers, whatever the browser then does with it.
pub fn direct_get(url: &str, origin: &str) -> HttpResponse {
    http_request(
        "GET",
        url,
        &[("Origin", origin)],
        None,
        Duration::from_secs(30),
    )
    .expect("a direct GET")
}

/// JavaScript that defines `origin` (the page's own origin) and `crossOrigin` (for each of
/// `urls`, whether it is on another origin), for the page to return and [`assert_origin`] to
/// check.
pub fn origin_check(urls: &[&str]) -> String {
    let list: Vec<String> = urls.iter().map(|u| js(u)).collect();
    format!(
        "const origin = self.origin;
         const crossOrigin = [{}].map((u) => new URL(u).origin !== self.origin);",
        list.join(", ")
    )
}

/// The page reported its own origin as `expected` and every API URL as cross-origin.
pub fn assert_origin(result: &Value, expected: &str) {
    assert_eq!(result["origin"], expected, "the page's origin: {result}");
    let cross = result["crossOrigin"].as_array().expect("crossOrigin");
    assert!(
        !cross.is_empty() && cross.iter().all(|c| *c == true),
        "every API is on another origin than the page: {result}"
    );
}

/// A `probe` result the page could read.
pub fn assert_readable(probe: &Value, what: &str) {
    assert_eq!(
        probe["ok"], true,
        "{what}: the browser should give the page the response: {probe}"
    );
}

/// A `probe` result the page could read, with status `status`.
pub fn assert_readable_status(probe: &Value, status: u16, what: &str) {
    assert_readable(probe, what);
    assert_eq!(probe["status"], status, "{what}: {probe}");
}

/// A `probe` result the browser refused: `fetch` rejected with a `TypeError`.
pub fn assert_refused(probe: &Value, what: &str) {
    assert_eq!(
        probe["ok"], false,
        "{what}: the browser should refuse the response: {probe}"
    );
    let error = probe["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("TypeError"),
        "{what}: expected the browser's TypeError: {probe}"
    );
}

/// The body of a readable `probe` result, parsed as JSON.
pub fn probe_json(probe: &Value) -> Value {
    serde_json::from_str(probe["body"].as_str().unwrap_or(""))
        .unwrap_or_else(|e| panic!("the API answers JSON ({e}): {probe}"))
}

/// A named case of a browser test, run by [`run_cases`] against the test's fixture `F`.
pub type Case<F> = (&'static str, fn(&F));

/// Runs the named `cases` against `fixture` in turn, each reported (`case NAME: ok (took)` or
/// `FAILED`, after its panic message), then drops the fixture, reports the timings (`ready`:
/// how long starting everything took, `started`: when the test started), and fails with the
/// list of the cases that failed.
pub fn run_cases<F>(fixture: F, cases: &[Case<F>], started: Instant, ready: Duration) {
    let mut failed = Vec::new();
    for (name, case) in cases {
        let t0 = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&fixture)));
        let took = t0.elapsed();
        match outcome {
            Ok(()) => eprintln!("case {name}: ok ({took:?})"),
            Err(_) => {
                eprintln!("case {name}: FAILED ({took:?})");
                failed.push(*name);
            }
        }
    }
    drop(fixture);
    eprintln!(
        "timings: everything started in {ready:?}, whole test {:?}",
        started.elapsed()
    );
    assert!(failed.is_empty(), "failed browser cases: {failed:?}");
}
