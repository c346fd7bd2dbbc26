//! `#[cors]` in a real browser: headless Chromium (over WebDriver) calls the example APIs
//! running under `cargo lambda watch --disable-cors`, from pages on other local origins, and
//! the tests assert what the browser itself decided: whether `fetch` gave the page the
//! response or rejected with the browser's CORS `TypeError`.
//!
//! Everything is started once, the way `cargo run -p cors-examples --bin demo` does
//! ([`Demo::start`]: cookie-api, notes-api, public-api, stream-api, axum-api (an axum router
//! under `cors_layer!`, whose cases are in `axum_api`) with `ALLOWED_ORIGINS` =
//! the demo frontend's origin), plus a third, not allowed, origin and the control
//! `plain-api` (hand-written CORS, no `#[cors]`). One test function runs every case in
//! turn against one Chromium session, reports each case, and fails with the list of those
//! that failed.
//!
//! Origins: the API ports and the frontend ports all differ, so every page is cross-origin
//! (each page also checks that itself); `127.0.0.1` on two ports is one *site*, so cookies
//! are sent on credentialed calls.
//!
//! Whether a handler ran is read from its own invocation counter (`GET /count`, sent
//! directly with `http_request`, outside the browser), never inferred from the page.
//!
//! `UPDATE_SCREENSHOT=1` also saves a screenshot of the demo page to `docs/demo.png`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use cors_dev::demo::{Demo, DemoOptions};
use cors_dev::local::{LocalApi, StaticServer, http_request};
use cors_tests::browser::{
    self, ALLOW_LOOPBACK_FROM_ANY_ORIGIN, Browser, page, sandboxed_iframe_page,
};
use serde_json::Value;

mod axum_api;

/// Everything the cases use, started once.
struct Fixture {
    demo: Demo,
    /// A third origin, in no `ALLOWED_ORIGINS`.
    third: StaticServer,
    /// The control: `plain-api` (no `#[cors]`), `ALLOWED_ORIGINS` = the demo's frontend.
    plain: LocalApi,
    browser: Browser,
}

impl Fixture {
    /// The allowed origin's server (the demo's frontend).
    fn allowed(&self) -> &StaticServer {
        &self.demo.frontend
    }

    fn cookie(&self) -> &LocalApi {
        self.demo.api("cookie")
    }

    fn notes(&self) -> &LocalApi {
        self.demo.api("notes")
    }

    fn public(&self) -> &LocalApi {
        self.demo.api("public")
    }

    fn stream(&self) -> &LocalApi {
        self.demo.api("stream")
    }

    /// Runs `script` (see [`page`]) on a page of `server` and returns what it reported.
    fn run(&self, server: &StaticServer, script: &str) -> Value {
        self.browser
            .run_page(server, &page(script))
            .unwrap_or_else(|e| panic!("page on {}: {e}", server.origin()))
    }

    /// The browser console since the last call, as one string.
    fn console(&self) -> String {
        self.browser
            .console_log()
            .expect("the browser console")
            .join("\n")
    }
}

/// A JavaScript string literal.
fn js(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// How many times `api`'s handler has run (its `GET /count`, sent directly).
fn invocations(api: &LocalApi) -> u64 {
    let response = api.get("/count").expect("GET /count");
    assert_eq!(response.status, 200, "GET /count: {}", response.text());
    let count: Value = serde_json::from_slice(&response.body).expect("/count is JSON");
    count["invocations"].as_u64().expect("an invocation count")
}

/// Runs `f` and returns its value with the number of times `api`'s handler ran meanwhile
/// (the second `/count` request itself excluded).
fn handler_runs<T>(api: &LocalApi, f: impl FnOnce() -> T) -> (T, u64) {
    let before = invocations(api);
    let value = f();
    let after = invocations(api);
    (value, after - before - 1)
}

/// A `probe` result the page could read.
fn assert_readable(probe: &Value, what: &str) {
    assert_eq!(
        probe["ok"], true,
        "{what}: the browser should give the page the response: {probe}"
    );
}

/// A `probe` result the browser refused: `fetch` rejected with a `TypeError`.
fn assert_refused(probe: &Value, what: &str) {
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

/// JavaScript: `{origin: self.origin, crossOrigin: [...]}`: the page's own origin and, for
/// each URL, whether it is on another origin.
fn origin_check(urls: &[&str]) -> String {
    let list: Vec<String> = urls.iter().map(|u| js(u)).collect();
    format!(
        "const origin = self.origin;
         const crossOrigin = [{}].map((u) => new URL(u).origin !== self.origin);",
        list.join(", ")
    )
}

/// The page reported its own origin as `expected` and every API URL as cross-origin.
fn assert_origin(result: &Value, expected: &str) {
    assert_eq!(result["origin"], expected, "the page's origin: {result}");
    let cross = result["crossOrigin"].as_array().expect("crossOrigin");
    assert!(
        !cross.is_empty() && cross.iter().all(|c| *c == true),
        "every API is on another origin than the page: {result}"
    );
}

const PUT_INIT: &str = "{
  method: 'PUT',
  credentials: 'include',
  headers: {'content-type': 'application/json', 'x-request-id': 'req-42'},
  body: JSON.stringify({text: 'hello'}),
}";

// ---------------------------------------------------------------------------------------
// The cases.

/// From the allowed origin: a credentialed GET is readable and the cookie reached the
/// handler; a preflighted PUT (JSON body, custom header) succeeds with a readable body; the
/// exposed `x-note-version` is readable, the unexposed `vary` is not.
fn allowed_origin(fx: &Fixture) {
    let (login, whoami) = (
        fx.cookie().url("/login?user=alice"),
        fx.cookie().url("/whoami"),
    );
    let (result, ran) = handler_runs(fx.cookie(), || {
        fx.run(
            fx.allowed(),
            &format!(
                "{check}
                 const login = await probe({login}, {{method: 'POST', credentials: 'include'}});
                 const whoami = await probe({whoami_js}, {{credentials: 'include'}});
                 const anonymous = await probe({whoami_js});
                 return {{origin, crossOrigin, login, whoami, anonymous}};",
                check = origin_check(&[&login]),
                login = js(&login),
                whoami_js = js(&whoami),
            ),
        )
    });
    assert_origin(&result, fx.allowed().origin());
    assert_readable(&result["login"], "credentialed POST /login");
    assert_eq!(result["login"]["status"], 200, "{result}");
    assert_readable(&result["whoami"], "credentialed GET /whoami");
    assert_eq!(result["whoami"]["status"], 200, "{result}");
    let body: Value = serde_json::from_str(result["whoami"]["body"].as_str().unwrap_or(""))
        .expect("/whoami answers JSON");
    assert_eq!(
        body["user"], "alice",
        "the cookie reached the handler: {result}"
    );
    // Without credentials the browser sends no cookie: a readable 401.
    assert_readable(&result["anonymous"], "GET /whoami without credentials");
    assert_eq!(result["anonymous"]["status"], 401, "{result}");
    assert_eq!(
        ran, 3,
        "the handler ran for login, whoami and the anonymous whoami"
    );

    // Preflighted PUT: the preflight is answered by #[cors] (the handler runs once, for the
    // PUT), the body is readable, x-note-version is exposed, vary is not.
    let note = fx.notes().url("/notes/allowed");
    let (result, ran) = handler_runs(fx.notes(), || {
        fx.run(
            fx.allowed(),
            &format!(
                "{check}
                 const put = await probe({note}, {PUT_INIT});
                 const get = await probe({note}, {{credentials: 'include'}});
                 return {{origin, crossOrigin, put, get}};",
                check = origin_check(&[&note]),
                note = js(&note),
            ),
        )
    });
    assert_origin(&result, fx.allowed().origin());
    let put = &result["put"];
    assert_readable(put, "preflighted PUT with JSON + x-request-id");
    assert_eq!(put["status"], 200, "{result}");
    let body: Value =
        serde_json::from_str(put["body"].as_str().unwrap_or("")).expect("PUT answers JSON");
    assert_eq!(body["note"]["text"], "hello", "{result}");
    assert_eq!(
        body["request_id"], "req-42",
        "the custom header reached the handler"
    );
    assert_eq!(put["headers"]["x-note-version"], "1", "exposed: {result}");
    assert_eq!(
        ran, 2,
        "the handler ran for the PUT and the GET, never for the preflight"
    );
    let get = &result["get"];
    assert_readable(get, "GET of the note");
    assert_eq!(get["headers"]["x-note-version"], "1", "exposed: {result}");
    // The server did send `vary` (checked directly), but it is not exposed: the page cannot
    // read it.
    let direct = http_request(
        "GET",
        &note,
        &[("Origin", fx.allowed().origin())],
        None,
        Duration::from_secs(30),
    )
    .expect("a direct GET");
    assert_eq!(direct.header("vary"), Some("Origin"));
    assert_eq!(
        direct.header("access-control-expose-headers"),
        Some("x-note-version")
    );
    for probe in [put, get] {
        assert!(
            probe["headers"].get("vary").is_none(),
            "vary is not exposed, so the page must not see it: {probe}"
        );
    }
}

/// From a third origin, in no `ALLOWED_ORIGINS`: the same calls, simple and preflighted,
/// fail with the browser's CORS `TypeError`; the simple ones reached the handler (the
/// browser refused the response), the preflighted ones never did.
fn disallowed_origin(fx: &Fixture) {
    let whoami = fx.cookie().url("/whoami");
    let (result, ran) = handler_runs(fx.cookie(), || {
        fx.run(
            &fx.third,
            &format!(
                "{check}
                 const whoami = await probe({url}, {{credentials: 'include'}});
                 const anonymous = await probe({url});
                 return {{origin, crossOrigin, whoami, anonymous}};",
                check = origin_check(&[&whoami]),
                url = js(&whoami),
            ),
        )
    });
    assert_origin(&result, fx.third.origin());
    assert_refused(
        &result["whoami"],
        "credentialed GET /whoami from a third origin",
    );
    assert_refused(&result["anonymous"], "GET /whoami from a third origin");
    assert_eq!(
        ran, 2,
        "simple requests are sent: the handler ran, the browser refused the answer"
    );
    let console = fx.console();
    assert!(
        console.contains("blocked by CORS policy")
            && console.contains("No 'Access-Control-Allow-Origin' header"),
        "{console}"
    );

    // Preflighted: a PUT to notes-api, and a POST with a custom header to cookie-api.
    let note = fx.notes().url("/notes/third");
    let login = fx.cookie().url("/login?user=mallory");
    let ((result, cookie_ran), notes_ran) = handler_runs(fx.notes(), || {
        handler_runs(fx.cookie(), || {
            fx.run(
                &fx.third,
                &format!(
                    "{check}
                     const put = await probe({note}, {PUT_INIT});
                     const login = await probe({login}, {{
                       method: 'POST', credentials: 'include', headers: {{'x-request-id': '7'}},
                     }});
                     return {{origin, crossOrigin, put, login}};",
                    check = origin_check(&[&note, &login]),
                    note = js(&note),
                    login = js(&login),
                ),
            )
        })
    });
    assert_origin(&result, fx.third.origin());
    assert_refused(&result["put"], "preflighted PUT from a third origin");
    assert_refused(&result["login"], "preflighted POST from a third origin");
    assert_eq!(notes_ran, 0, "notes-api's handler never ran: {result}");
    assert_eq!(cookie_ran, 0, "cookie-api's handler never ran: {result}");
    let console = fx.console();
    assert!(
        console.contains("Response to preflight request doesn't pass access control check"),
        "the browser blamed the preflight: {console}"
    );
}

/// `origins = "*"` (public-api): readable from any origin without credentials; with
/// credentials the browser refuses it.
fn wildcard(fx: &Fixture) {
    let hello = fx.public().url("/hello?name=page");
    for server in [fx.allowed(), &fx.third] {
        let result = fx.run(
            server,
            &format!(
                "{check}
                 const plain = await probe({url});
                 const credentialed = await probe({url}, {{credentials: 'include'}});
                 return {{origin, crossOrigin, plain, credentialed}};",
                check = origin_check(&[&hello]),
                url = js(&hello),
            ),
        );
        assert_origin(&result, server.origin());
        assert_readable(
            &result["plain"],
            "GET of the public API without credentials",
        );
        assert_eq!(
            result["plain"]["body"], r#"{"message":"hello, page"}"#,
            "{result}"
        );
        assert_refused(
            &result["credentialed"],
            "credentialed GET of the public API (`*`)",
        );
        let console = fx.console();
        assert!(
            console.contains(
                "must not be the wildcard '*' when the request's credentials mode is 'include'"
            ),
            "{console}"
        );
    }
}

/// `Origin: null` (a `data:` page and a sandboxed iframe) is refused, although the requests
/// reach the handler; a `*` API stays readable from there, so the pages can make requests.
fn null_origin(fx: &Fixture) {
    let (whoami, note, hello) = (
        fx.cookie().url("/whoami"),
        fx.notes().url("/notes/null"),
        fx.public().url("/hello?name=null"),
    );
    let script = format!(
        "{check}
         const whoami = await probe({whoami}, {{credentials: 'include'}});
         const put = await probe({note}, {PUT_INIT});
         const hello = await probe({hello});
         return {{origin, crossOrigin, whoami, put, hello}};",
        check = origin_check(&[&whoami, &note, &hello]),
        whoami = js(&whoami),
        note = js(&note),
        hello = js(&hello),
    );
    for what in ["data: URL", "sandboxed iframe"] {
        let ((result, cookie_ran), notes_ran) = handler_runs(fx.notes(), || {
            handler_runs(fx.cookie(), || match what {
                "data: URL" => fx.browser.run_data_url(&page(&script)),
                _ => fx
                    .browser
                    .run_page(fx.allowed(), &sandboxed_iframe_page(&script)),
            })
        });
        let result = result.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_origin(&result, "null");
        assert_refused(&result["whoami"], &format!("{what}: credentialed GET"));
        assert_eq!(
            cookie_ran, 1,
            "{what}: the request reached the handler (with Origin: null)"
        );
        assert_refused(&result["put"], &format!("{what}: preflighted PUT"));
        assert_eq!(notes_ran, 0, "{what}: the PUT never ran");
        assert_readable(&result["hello"], &format!("{what}: `*` API"));
    }
    let _ = fx.console();
}

/// `#[cors(streaming)]` (stream-api): an allowed page reads the body chunk by chunk with
/// `getReader()` and sees several chunks arrive over time; a third origin is refused.
fn streaming(fx: &Fixture) {
    let url = fx.stream().url("/stream?chunks=5");
    let script = format!(
        "{check}
         const started = performance.now();
         let stream;
         try {{
           const response = await fetch({url}, {{credentials: 'include'}});
           const reader = response.body.getReader();
           const decoder = new TextDecoder();
           const chunks = [];
           for (;;) {{
             const {{done, value}} = await reader.read();
             if (done) break;
             chunks.push({{text: decoder.decode(value, {{stream: true}}), at: performance.now() - started}});
           }}
           stream = {{ok: true, status: response.status, chunks}};
         }} catch (e) {{
           stream = {{ok: false, error: `${{e.name}}: ${{e.message}}`}};
         }}
         return {{origin, crossOrigin, stream}};",
        check = origin_check(&[&url]),
        url = js(&url),
    );
    let result = fx.run(fx.allowed(), &script);
    assert_origin(&result, fx.allowed().origin());
    let stream = &result["stream"];
    assert_readable(stream, "streamed GET from the allowed origin");
    let chunks = stream["chunks"].as_array().expect("chunks");
    assert!(
        chunks.len() > 1,
        "the body arrived in more than one chunk: {stream}"
    );
    let text: String = chunks
        .iter()
        .map(|c| c["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(text, "chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
    let first = chunks[0]["at"].as_f64().unwrap_or(0.0);
    let last = chunks[chunks.len() - 1]["at"].as_f64().unwrap_or(0.0);
    assert!(
        last - first >= 200.0,
        "the chunks arrived over time (100 ms apart), not at once: {stream}"
    );

    let result = fx.run(&fx.third, &script);
    assert_origin(&result, fx.third.origin());
    assert_refused(&result["stream"], "streamed GET from a third origin");
    let _ = fx.console();
}

/// The control: `plain-api` does CORS by hand, without `#[cors]` and without preflight
/// handling. Its simple credentialed GET works from the allowed origin (the control is not
/// broken wholesale), but the browser blocks:
/// - `control/preflighted-put`: the preflighted PUT with a JSON body and `x-request-id`
///   from the allowed origin (the same call notes-api's `#[cors]` handler serves): the
///   OPTIONS reaches the handler, which answers 404 without Allow-Methods/Allow-Headers;
///   the PUT is never sent;
/// - `control/third-origin`: the credentialed GET from the third origin.
fn control_plain_api(fx: &Fixture) {
    let (login, whoami, items) = (
        fx.plain.url("/login"),
        fx.plain.url("/whoami"),
        fx.plain.url("/items"),
    );
    let counters = |api: &LocalApi| -> Value {
        let response = api.get("/count").expect("GET /count");
        serde_json::from_slice(&response.body).expect("/count is JSON")
    };
    let n = |counts: &Value, method: &str| counts[method].as_u64().expect("a counter");

    let before = counters(&fx.plain);
    let result = fx.run(
        fx.allowed(),
        &format!(
            "{check}
             const login = await probe({login}, {{credentials: 'include'}});
             const whoami = await probe({whoami}, {{credentials: 'include'}});
             const put = await probe({items}, {PUT_INIT});
             return {{origin, crossOrigin, login, whoami, put}};",
            check = origin_check(&[&login, &items]),
            login = js(&login),
            whoami = js(&whoami),
            items = js(&items),
        ),
    );
    let after = counters(&fx.plain);
    assert_origin(&result, fx.allowed().origin());
    assert_readable(
        &result["whoami"],
        "control: credentialed GET, allowed origin",
    );
    assert_eq!(result["whoami"]["body"], "alice", "{result}");
    assert_refused(
        &result["put"],
        "control/preflighted-put: the hand-written handler does not answer preflights",
    );
    assert_eq!(
        n(&after, "OPTIONS") - n(&before, "OPTIONS"),
        1,
        "control/preflighted-put: the preflight reached the handler: {after}"
    );
    assert_eq!(
        n(&after, "PUT"),
        n(&before, "PUT"),
        "control/preflighted-put: the PUT was never sent: {after}"
    );
    let console = fx.console();
    assert!(
        console.contains("Response to preflight request doesn't pass access control check"),
        "control/preflighted-put: {console}"
    );

    let result = fx.run(
        &fx.third,
        &format!(
            "{check}
             return {{origin, crossOrigin, whoami: await probe({whoami}, {{credentials: 'include'}})}};",
            check = origin_check(&[&whoami]),
            whoami = js(&whoami),
        ),
    );
    assert_origin(&result, fx.third.origin());
    assert_refused(&result["whoami"], "control/third-origin: credentialed GET");
    let _ = fx.console();
}

/// The demo page (`examples/frontend/`), served exactly as `cargo run -p cors-examples --bin
/// demo` serves it: every call on it behaves as its "Expected" column says, on the allowed
/// origin and on `http://localhost:<port>` (not allowed). With `UPDATE_SCREENSHOT=1`, saves
/// a screenshot of the allowed-origin page to `docs/demo.png`.
fn demo_page(fx: &Fixture) {
    let result = fx
        .browser
        .open(&fx.demo.page_url())
        .expect("the demo page reports");
    assert_eq!(result["origin"], fx.allowed().origin(), "{result}");
    assert_eq!(result["allowed"], true, "{result}");
    let rows = result["rows"].as_array().expect("rows");
    assert!(rows.len() >= 8, "{result}");
    for row in rows {
        assert_eq!(
            row["outcome"], row["expected"],
            "demo page, allowed origin: {row}"
        );
        assert_eq!(row["pass"], true, "{row}");
    }
    let find = |call: &str, api: &str, request: &str| {
        rows.iter()
            .find(|r| {
                r["call"] == call
                    && r["api"] == api
                    && r["request"].as_str().is_some_and(|q| q.contains(request))
            })
            .unwrap_or_else(|| panic!("no row {call} ({api}, {request}): {result}"))
    };
    let whoami = find("GET /whoami", "cookie-api", "credentials: include");
    assert!(
        whoami["body"].as_str().unwrap_or("").contains("alice"),
        "{whoami}"
    );
    let put = find("PUT /notes/demo", "notes-api", "preflighted");
    assert!(put["headers"]["x-note-version"].is_string(), "{put}");
    let session = find("GET /session", "axum-api", "credentials: include");
    assert!(
        session["body"].as_str().unwrap_or("").contains("alice"),
        "{session}"
    );
    let put = find("PUT /notes/demo", "axum-api", "preflighted");
    assert!(put["headers"]["x-note-version"].is_string(), "{put}");
    assert!(put["headers"].get("x-served-by").is_none(), "{put}");
    let blocked: Vec<&Value> = rows.iter().filter(|r| r["outcome"] == "blocked").collect();
    assert!(
        blocked.len() >= 2,
        "the page shows calls that must fail: {result}"
    );
    if let Some(stream) = rows.iter().find(|r| r["api"] == "stream-api") {
        assert!(stream["chunks"].as_u64().unwrap_or(0) > 1, "{stream}");
    }

    if std::env::var("UPDATE_SCREENSHOT").is_ok_and(|v| !v.is_empty() && v != "0") {
        // Fit the window to the page (the window is taller than its viewport), then capture.
        for _ in 0..3 {
            let size = fx
                .browser
                .execute(
                    "return [document.documentElement.scrollHeight, window.innerHeight, \
                     window.outerHeight];",
                )
                .expect("page size");
            let [page, inner, outer] = [0, 1, 2].map(|i| size[i].as_i64().expect("a height"));
            if page <= inner {
                break;
            }
            let height = (outer + page - inner + 8).clamp(600, 3000);
            fx.browser
                .set_window_size(1280, height as u32)
                .expect("window size");
            thread::sleep(Duration::from_millis(200));
        }
        let png = fx.browser.screenshot_png().expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root")
            .join("docs/demo.png");
        std::fs::create_dir_all(path.parent().expect("docs/")).expect("docs/");
        std::fs::write(&path, png).expect("write docs/demo.png");
        eprintln!("saved {}", path.display());
    }
    let _ = fx.console();

    // The same page from an origin that is not listed: only the `*` API without credentials
    // stays readable.
    let other = fx.demo.other_origin_page_url();
    let result = fx.browser.open(&other).expect("the demo page reports");
    assert_eq!(result["allowed"], false, "{result}");
    assert!(
        result["origin"]
            .as_str()
            .is_some_and(|o| o.starts_with("http://localhost:")),
        "{result}"
    );
    for row in result["rows"].as_array().expect("rows") {
        assert_eq!(
            row["outcome"], row["expected"],
            "demo page, origin not allowed: {row}"
        );
        let readable = row["outcome"] == "readable";
        let public_plain = row["api"] == "public-api" && row["request"] == "simple, no credentials";
        assert_eq!(readable, public_plain, "{row}");
    }
    let _ = fx.console();
}

type Case = (&'static str, fn(&Fixture));

const CASES: &[Case] = &[
    ("allowed origin", allowed_origin),
    ("disallowed origin", disallowed_origin),
    ("wildcard API", wildcard),
    ("Origin: null", null_origin),
    ("streaming", streaming),
    ("axum-api: allowed origin", axum_api::allowed_origin),
    ("axum-api: disallowed origin", axum_api::disallowed_origin),
    ("axum-api: Origin: null", axum_api::null_origin),
    ("control: plain-api without #[cors]", control_plain_api),
    ("demo page", demo_page),
];

#[test]
#[cfg_attr(
    any(missing_chromium, missing_chromedriver),
    ignore = "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)"
)]
fn cors_in_headless_chromium() {
    browser::require();
    let started = Instant::now();
    let (demo, plain, browser) = thread::scope(|scope| {
        let demo = scope.spawn(|| Demo::start(&DemoOptions::default()));
        let browser = scope.spawn(|| {
            Browser::start_with_args(&[ALLOW_LOOPBACK_FROM_ANY_ORIGIN, "--window-size=1280,900"])
        });
        let demo = demo.join().expect("demo thread").expect("the demo's APIs");
        let plain = LocalApi::start("plain-api", &[("ALLOWED_ORIGINS", demo.allowed_origins())])
            .expect("plain-api under cargo lambda watch");
        let browser = browser
            .join()
            .expect("browser thread")
            .expect("headless chromium");
        (demo, plain, browser)
    });
    let fx = Fixture {
        demo,
        third: StaticServer::start().expect("third-origin server"),
        plain,
        browser,
    };
    let ready = started.elapsed();
    eprintln!(
        "ALLOWED_ORIGINS={}; third origin {}; started in {ready:?}",
        fx.demo.allowed_origins(),
        fx.third.origin()
    );

    let mut failed = Vec::new();
    for (name, case) in CASES {
        let t0 = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&fx)));
        let took = t0.elapsed();
        match outcome {
            Ok(()) => eprintln!("case {name}: ok ({took:?})"),
            Err(_) => {
                eprintln!("case {name}: FAILED ({took:?})");
                failed.push(*name);
            }
        }
    }
    drop(fx);
    eprintln!(
        "timings: everything started in {ready:?}, whole test {:?}",
        started.elapsed()
    );
    assert!(failed.is_empty(), "failed browser cases: {failed:?}");
}
