//! Proof that the browser harness works, and the control of the browser tests: the
//! hand-written `plain-api` handler (no `#[cors]`) runs under `cargo lambda watch
//! --disable-cors`, and headless Chromium on other origins calls it. Simple credentialed
//! requests work from the allowed origin, are refused by the browser elsewhere, and a
//! preflighted request fails because the handler does not answer preflights: the harness
//! can see a failure.

use std::time::Instant;

use cors_dev::local_api::LocalApi;
use cors_dev::static_server::StaticServer;
use cors_tests::browser::{self, Browser, Opaque, assert_refused, count, counts, js, page};

fn last_origin(api: &LocalApi) -> String {
    api.get("/last-origin").expect("GET /last-origin").text()
}

#[test]
#[cfg_attr(
    any(missing_chromium, missing_chromedriver),
    ignore = "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)"
)]
fn plain_api_in_headless_chromium() {
    browser::require();
    let started = Instant::now();
    let frontend = StaticServer::start().expect("frontend server");
    let third = StaticServer::start().expect("third-origin server");

    let api = LocalApi::start("plain-api", &[("ALLOWED_ORIGINS", frontend.origin())])
        .expect("plain-api under cargo lambda watch");
    let api_ready = started.elapsed();

    let browser_started = Instant::now();
    let browser = Browser::start().expect("headless chromium");
    let browser_ready = browser_started.elapsed();

    let (login, whoami, items) = (
        js(&api.url("/login")),
        js(&api.url("/whoami")),
        js(&api.url("/items")),
    );

    // (a) + (b): from the allowed origin, log in (the API sets a SameSite=Lax cookie on a
    // credentialed cross-origin fetch; 127.0.0.1 on two ports is one site) and read
    // /whoami with the cookie.
    let before = counts(&api);
    let allowed = browser
        .run_page(
            &frontend,
            &page(&format!(
                "const login = await probe({login}, {{credentials: 'include'}});
                 const whoami = await probe({whoami}, {{credentials: 'include'}});
                 const anonymous = await probe({whoami});
                 return {{origin: self.origin, login, whoami, anonymous}};"
            )),
        )
        .expect("page on the allowed origin");
    assert_eq!(allowed["origin"], frontend.origin());
    assert_ne!(
        frontend.origin(),
        api.origin(),
        "(a) the page is cross-origin"
    );
    assert_eq!(allowed["login"]["status"], 200, "{allowed}");
    assert_eq!(allowed["whoami"]["ok"], true, "(b) {allowed}");
    assert_eq!(allowed["whoami"]["status"], 200, "(b) {allowed}");
    assert_eq!(
        allowed["whoami"]["body"], "alice",
        "(b) the cookie reached the handler"
    );
    // Without `credentials: 'include'` the cookie stays home: a readable 401.
    assert_eq!(allowed["anonymous"]["status"], 401, "{allowed}");
    assert_eq!(count(&counts(&api), "GET") - count(&before, "GET"), 3);
    assert_eq!(last_origin(&api), frontend.origin());

    // (c): the same call from a third, not allowed, origin reaches the handler (the cookie
    // is sent: same site) but the browser refuses the response.
    let before = counts(&api);
    let other = browser
        .run_page(
            &third,
            &page(&format!(
                "return {{origin: self.origin, whoami: await probe({whoami}, {{credentials: 'include'}})}};"
            )),
        )
        .expect("page on the third origin");
    assert_eq!(other["origin"], third.origin());
    assert_refused(
        &other["whoami"],
        "(c) credentialed GET from a disallowed origin",
    );
    assert_eq!(count(&counts(&api), "GET") - count(&before, "GET"), 1);
    assert_eq!(last_origin(&api), third.origin());
    let console = browser.console();
    assert!(
        console.contains("blocked by CORS policy")
            && console.contains("No 'Access-Control-Allow-Origin' header"),
        "(c) {console}"
    );

    // (d): a PUT with a JSON body and a custom header needs a preflight, which the
    // hand-written handler answers with 404 and no Allow-Methods/Allow-Headers: the browser
    // sends the OPTIONS (it reaches the handler) and never the PUT.
    let before = counts(&api);
    let put = browser
        .run_page(
            &frontend,
            &page(&format!(
                "return await probe({items}, {{
                   method: 'PUT',
                   credentials: 'include',
                   headers: {{'content-type': 'application/json', 'x-request-id': '42'}},
                   body: JSON.stringify({{name: 'widget'}}),
                 }});"
            )),
        )
        .expect("page doing the PUT");
    assert_refused(
        &put,
        "(d) preflighted PUT to a handler without preflight support",
    );
    let after = counts(&api);
    assert_eq!(
        count(&after, "OPTIONS") - count(&before, "OPTIONS"),
        1,
        "{after}"
    );
    assert_eq!(
        count(&after, "PUT"),
        count(&before, "PUT"),
        "the PUT never ran"
    );
    let console = browser.console();
    assert!(
        console.contains("Response to preflight request doesn't pass access control check"),
        "(d) {console}"
    );

    // Opaque origins: a data: URL and a sandboxed iframe send `Origin: null`, which this
    // handler does not allow.
    let null_script = format!(
        "return {{origin: self.origin, whoami: await probe({whoami}, {{credentials: 'include'}})}};"
    );
    for opaque in Opaque::ALL {
        let what = opaque.name();
        let result = browser
            .run_opaque(opaque, &frontend, &null_script)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(result["origin"], "null", "{what}: {result}");
        assert_refused(&result["whoami"], what);
        assert_eq!(
            last_origin(&api),
            "null",
            "{what}: the request carried Origin: null"
        );
    }

    eprintln!(
        "timings: api ready {api_ready:?} (includes the first cargo lambda build), \
         browser started {browser_ready:?}, whole test {:?}",
        started.elapsed()
    );
}
