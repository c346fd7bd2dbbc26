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

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use cors_dev::demo::{Demo, DemoOptions};
use cors_dev::local_api::LocalApi;
use cors_dev::static_server::StaticServer;
use cors_tests::browser::{
    self, ALLOW_LOOPBACK_FROM_ANY_ORIGIN, Browser, Case, Opaque, assert_origin, assert_readable,
    assert_readable_status, assert_refused, count, counts, direct_get, handler_runs, js,
    origin_check, page, probe_json, run_cases,
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
}

const PUT_INIT: &str = "{
  method: 'PUT',
  credentials: 'include',
  headers: {'content-type': 'application/json', 'x-request-id': 'req-42'},
  body: JSON.stringify({text: 'hello'}),
}";

/// A credentialed GET `probe` of the session alice logged in to: readable, status 200, and
/// the cookie reached the handler (it answers `{"user": "alice", ...}`).
fn assert_alice(probe: &Value, what: &str) {
    assert_readable_status(probe, 200, what);
    assert_eq!(
        probe_json(probe)["user"],
        "alice",
        "{what}: the cookie reached the handler: {probe}"
    );
}

/// The preflighted `PUT` of [`PUT_INIT`] to a notes API: readable, status 200, the note and
/// the custom header reached the handler, and the exposed `x-note-version` is readable.
fn assert_note_put(put: &Value, what: &str) {
    assert_readable_status(put, 200, what);
    let body = probe_json(put);
    assert_eq!(body["note"]["text"], "hello", "{what}: {put}");
    assert_eq!(
        body["request_id"], "req-42",
        "{what}: the custom header reached the handler: {put}"
    );
    assert_eq!(
        put["headers"]["x-note-version"], "1",
        "{what}: exposed: {put}"
    );
}

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
    assert_readable_status(&result["login"], 200, "credentialed POST /login");
    assert_alice(&result["whoami"], "credentialed GET /whoami");
    // Without credentials the browser sends no cookie: a readable 401.
    assert_readable_status(&result["anonymous"], 401, "GET /whoami without credentials");
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
    assert_note_put(put, "preflighted PUT with JSON + x-request-id");
    assert_eq!(
        ran, 2,
        "the handler ran for the PUT and the GET, never for the preflight"
    );
    let get = &result["get"];
    assert_readable(get, "GET of the note");
    assert_eq!(get["headers"]["x-note-version"], "1", "exposed: {result}");
    // The server did send `vary` (checked directly), but it is not exposed: the page cannot
    // read it.
    let direct = direct_get(&note, fx.allowed().origin());
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
    let console = fx.browser.console();
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
    let console = fx.browser.console();
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
        let console = fx.browser.console();
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
    for opaque in Opaque::ALL {
        let what = opaque.name();
        let ((result, cookie_ran), notes_ran) = handler_runs(fx.notes(), || {
            handler_runs(fx.cookie(), || {
                fx.browser.run_opaque(opaque, fx.allowed(), &script)
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
    let _ = fx.browser.console();
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
    let _ = fx.browser.console();
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
    let before = counts(&fx.plain);
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
    let after = counts(&fx.plain);
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
        count(&after, "OPTIONS") - count(&before, "OPTIONS"),
        1,
        "control/preflighted-put: the preflight reached the handler: {after}"
    );
    assert_eq!(
        count(&after, "PUT"),
        count(&before, "PUT"),
        "control/preflighted-put: the PUT was never sent: {after}"
    );
    let console = fx.browser.console();
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
    let _ = fx.browser.console();
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
    let _ = fx.browser.console();

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
    let _ = fx.browser.console();
}

const CASES: &[Case<Fixture>] = &[
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
    run_cases(fx, CASES, started, ready);
}
