//! Origin forms other than an exact origin, decided by headless Chromium: a port wildcard
//! (`http://127.0.0.1:*`) and a predicate (`origins_fn`), both with credentials.
//!
//! The API is `examples/src/bin/tenant-api.rs` under `cargo lambda watch --disable-cors` (so the
//! predicate is asked through `lambda_http`'s real event handling), with `TENANT_ORIGINS` =
//! `http://localhost:<A>`, loaded once at its cold start. Its two routes:
//!
//! - `/dev/...`: `origins = ["http://127.0.0.1:*"], origins_fn = is_tenant, credentials`;
//! - `/tenant/...`: `origins_fn = is_tenant, credentials` only.
//!
//! Pages come from two static servers on `127.0.0.1`, ports `A` and `B`, each reached under two
//! host names, so four loopback origins, all cross-origin to the API (each page checks that):
//!
//! | page origin | `/dev/` | `/tenant/` |
//! | --- | --- | --- |
//! | `http://127.0.0.1:<A>` | readable (`:*`) | blocked |
//! | `http://127.0.0.1:<B>` | readable (`:*`, the port changed) | blocked (the predicate refuses) |
//! | `http://localhost:<A>` | readable (the predicate: the union) | readable (the tenant) |
//! | `http://localhost:<B>` | blocked (another host: the control) | blocked |
//!
//! "Readable" is asserted on a credentialed (`credentials: "include"`) GET whose exposed
//! `x-tenant` the page reads, and on a preflighted `PUT` (JSON body, `x-request-id`); "blocked"
//! is the browser's CORS `TypeError`, for the same calls. Whether a handler ran is read from
//! the API's `GET /count`, sent directly, never inferred from the page. One Chromium session
//! and one `cargo lambda watch` serve every case; each case is reported, and the test fails
//! with the list of those that failed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

use cors_dev::local_api::LocalApi;
use cors_dev::static_server::StaticServer;
use cors_tests::browser::{
    self, Browser, Case, assert_origin, assert_readable_status, assert_refused, direct_get,
    handler_runs, js, origin_check, page, probe_json, run_cases,
};
use serde_json::Value;

/// Everything the cases use, started once.
struct Fixture {
    api: LocalApi,
    /// Port `A`: `http://127.0.0.1:<A>`, and `http://localhost:<A>`, the one tenant.
    a: StaticServer,
    /// Port `B`: `http://127.0.0.1:<B>` and `http://localhost:<B>`.
    b: StaticServer,
    browser: Browser,
    pages: AtomicU64,
}

/// Which of a server's two host names a page is opened under.
#[derive(Clone, Copy)]
enum Host {
    Ip,
    Localhost,
}

impl Fixture {
    /// The page origin of `server` under `host`.
    fn origin(&self, server: &StaticServer, host: Host) -> String {
        match host {
            Host::Ip => server.origin().to_owned(),
            Host::Localhost => server.origin().replacen("127.0.0.1", "localhost", 1),
        }
    }

    /// Runs `script` (see [`page`]) on a page of `server` opened under `host`, and returns what
    /// it reported.
    fn run(&self, server: &StaticServer, host: Host, script: &str) -> Value {
        let path = format!(
            "/origin-forms-{}.html",
            self.pages.fetch_add(1, Ordering::SeqCst)
        );
        server.add_html(&path, page(script));
        let url = format!("{}{path}", self.origin(server, host));
        self.browser
            .open(&url)
            .unwrap_or_else(|e| panic!("page {url}: {e}"))
    }
}

const PUT_INIT: &str = "{
  method: 'PUT',
  credentials: 'include',
  headers: {'content-type': 'application/json', 'x-request-id': 'req-7'},
  body: JSON.stringify({theme: 'dark'}),
}";

/// JavaScript: the page's origin, whether the API is cross-origin, a credentialed `GET
/// whoami` and a preflighted `PUT settings` under `route` (`/dev` or `/tenant`), preceded by a
/// credentialed `POST login` when `login`.
fn calls(fx: &Fixture, route: &str, login: bool) -> String {
    let login = if login {
        format!(
            "await probe({}, {{method: 'POST', credentials: 'include'}});",
            js(&fx.api.url(&format!("{route}/login?user=alice")))
        )
    } else {
        String::new()
    };
    let (whoami, settings) = (
        fx.api.url(&format!("{route}/whoami")),
        fx.api.url(&format!("{route}/settings")),
    );
    format!(
        "{check}
         {login}
         const whoami = await probe({whoami}, {{credentials: 'include'}});
         const put = await probe({settings}, {PUT_INIT});
         return {{origin, crossOrigin, whoami, put}};",
        check = origin_check(&[&whoami, &settings]),
        whoami = js(&whoami),
        settings = js(&settings),
    )
}

/// Runs [`calls`] from `server` under `host` and asserts that the page could read both
/// answers, the exposed `x-tenant` (the page's origin) included, and that the handler ran for
/// each call and never for the preflight. Returns the page's report.
fn assert_calls_readable(
    fx: &Fixture,
    server: &StaticServer,
    host: Host,
    route: &str,
    login: bool,
) -> Value {
    let origin = fx.origin(server, host);
    let what = |call: &str| format!("{route}: {call} from {origin}");
    let (result, ran) = handler_runs(&fx.api, || fx.run(server, host, &calls(fx, route, login)));
    assert_origin(&result, &origin);
    let whoami = &result["whoami"];
    assert_readable_status(whoami, 200, &what("credentialed GET whoami"));
    assert_eq!(
        whoami["headers"]["x-tenant"],
        origin,
        "{}: the exposed x-tenant is readable: {result}",
        what("credentialed GET whoami")
    );
    assert_eq!(probe_json(whoami)["route"], route.trim_start_matches('/'));
    let put = &result["put"];
    assert_readable_status(put, 200, &what("preflighted PUT settings"));
    assert_eq!(put["headers"]["x-tenant"], origin, "{result}");
    let settings = probe_json(put);
    assert_eq!(settings["settings"]["theme"], "dark", "{result}");
    assert_eq!(
        settings["request_id"], "req-7",
        "the custom header reached the handler: {result}"
    );
    assert_eq!(
        ran,
        2 + u64::from(login),
        "{}: the handler ran for each call, never for the preflight: {result}",
        what("calls")
    );
    result
}

/// Runs [`calls`] from `server` under `host` and asserts that the browser refused both: the
/// simple GET reached the handler (the browser refused its answer), the preflighted PUT never
/// did.
fn assert_calls_refused(fx: &Fixture, server: &StaticServer, host: Host, route: &str) {
    let origin = fx.origin(server, host);
    let what = |call: &str| format!("{route}: {call} from {origin}");
    let (result, ran) = handler_runs(&fx.api, || fx.run(server, host, &calls(fx, route, false)));
    assert_origin(&result, &origin);
    assert_refused(&result["whoami"], &what("credentialed GET whoami"));
    assert_refused(&result["put"], &what("preflighted PUT settings"));
    assert_eq!(
        ran,
        1,
        "{}: only the simple GET reached the handler; the PUT was stopped at its preflight: \
         {result}",
        what("calls")
    );
    let console = fx.browser.console();
    assert!(
        console.contains("blocked by CORS policy")
            && console.contains("Response to preflight request doesn't pass access control check"),
        "{}: the browser blamed CORS: {console}",
        what("calls")
    );
}

/// What the API answers `GET <route>/whoami` with `Origin: origin`, sent directly:
/// `(Access-Control-Allow-Origin, Access-Control-Allow-Credentials)`.
fn direct(fx: &Fixture, route: &str, origin: &str) -> (Option<String>, Option<String>) {
    let response = direct_get(&fx.api.url(&format!("{route}/whoami")), origin);
    let header = |name: &str| response.header(name).map(str::to_owned);
    (
        header("access-control-allow-origin"),
        header("access-control-allow-credentials"),
    )
}

// ---------------------------------------------------------------------------------------
// The cases.

/// `http://127.0.0.1:*` (`/dev/`): a page on `127.0.0.1:<A>` logs in and reads both answers
/// with credentials; then the frontend "moves" to port `B`: the page there reads them too, and
/// the session cookie set from port `A` still reaches the handler (a cookie ignores ports).
fn port_wildcard(fx: &Fixture) {
    let result = assert_calls_readable(fx, &fx.a, Host::Ip, "/dev", true);
    assert_eq!(probe_json(&result["whoami"])["user"], "alice", "{result}");
    let result = assert_calls_readable(fx, &fx.b, Host::Ip, "/dev", false);
    assert_eq!(
        probe_json(&result["whoami"])["user"],
        "alice",
        "the cookie reached the handler from the new port: {result}"
    );
    // What the browser was given: the page's origin byte for byte, and credentials.
    for origin in [fx.a.origin(), fx.b.origin()] {
        assert_eq!(
            direct(fx, "/dev", origin),
            (Some(origin.to_owned()), Some("true".to_owned()))
        );
    }
    let _ = fx.browser.console();
}

/// The control of `:*`: `http://localhost:<B>`, same port as an allowed page but another host
/// (and no tenant), is blocked on `/dev/`, simple and preflighted.
fn port_wildcard_other_host(fx: &Fixture) {
    assert_calls_refused(fx, &fx.b, Host::Localhost, "/dev");
    let origin = fx.origin(&fx.b, Host::Localhost);
    assert_eq!(direct(fx, "/dev", &origin), (None, None));
}

/// `origins_fn` (`/tenant/`): the tenant loaded at cold start, `http://localhost:<A>`, reads
/// both answers with credentials, `x-tenant` included; on `/dev/` too, where the predicate is
/// asked about what `127.0.0.1:*` does not match.
fn predicate_allowed(fx: &Fixture) {
    assert_calls_readable(fx, &fx.a, Host::Localhost, "/tenant", false);
    assert_calls_readable(fx, &fx.a, Host::Localhost, "/dev", false);
    let tenant = fx.origin(&fx.a, Host::Localhost);
    assert_eq!(
        direct(fx, "/tenant", &tenant),
        (Some(tenant.clone()), Some("true".to_owned()))
    );
    let _ = fx.browser.console();
}

/// `origins_fn` refuses what it was not given: `http://127.0.0.1:<B>` (another loopback
/// origin), and the near misses `http://127.0.0.1:<A>` (the tenant's port, another host) and
/// `http://localhost:<B>` (the tenant's host, another port), are blocked on `/tenant/`,
/// although `127.0.0.1:*` lets the first two read `/dev/`.
fn predicate_refused(fx: &Fixture) {
    for (server, host) in [
        (&fx.b, Host::Ip),
        (&fx.a, Host::Ip),
        (&fx.b, Host::Localhost),
    ] {
        assert_calls_refused(fx, server, host, "/tenant");
        assert_eq!(
            direct(fx, "/tenant", &fx.origin(server, host)),
            (None, None)
        );
    }
}

const CASES: &[Case<Fixture>] = &[
    ("http://127.0.0.1:* on two ports", port_wildcard),
    (
        "http://127.0.0.1:* control: localhost blocked",
        port_wildcard_other_host,
    ),
    ("origins_fn: the tenant readable", predicate_allowed),
    ("origins_fn: other origins blocked", predicate_refused),
];

#[test]
#[cfg_attr(
    any(missing_chromium, missing_chromedriver),
    ignore = "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)"
)]
fn port_wildcard_and_predicate_in_headless_chromium() {
    browser::require();
    let started = Instant::now();
    let a = StaticServer::start().expect("the server on port A");
    let b = StaticServer::start().expect("the server on port B");
    let tenant = a.origin().replacen("127.0.0.1", "localhost", 1);
    let (api, browser) = thread::scope(|scope| {
        let browser = scope.spawn(Browser::start);
        let api = LocalApi::start("tenant-api", &[("TENANT_ORIGINS", &tenant)])
            .expect("tenant-api under cargo lambda watch");
        let browser = browser
            .join()
            .expect("browser thread")
            .expect("headless chromium");
        (api, browser)
    });
    let fx = Fixture {
        api,
        a,
        b,
        browser,
        pages: AtomicU64::new(0),
    };
    let ready = started.elapsed();
    eprintln!(
        "TENANT_ORIGINS={tenant}; pages on ports {} and {}; started in {ready:?}",
        fx.a.origin(),
        fx.b.origin()
    );

    run_cases(fx, CASES, started, ready);
}
