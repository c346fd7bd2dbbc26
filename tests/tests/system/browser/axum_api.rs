//! `cors_layer!` in a real browser: `axum-api` (an axum `Router` under the layer, served by
//! `lambda_http::run` under `cargo lambda watch`), called by headless Chromium from the demo's
//! allowed origin, from a third origin, and from opaque origins (`Origin: null`).
//!
//! Whether a request reached the router is read from its `GET /count` (requests that got
//! through the CORS layer), sent directly, never inferred from the page.

use cors_dev::local_api::LocalApi;
use cors_tests::browser::{
    Opaque, assert_origin, assert_readable, assert_refused, direct_get, handler_runs, js,
    origin_check,
};

use super::{Fixture, PUT_INIT, assert_alice, assert_note_put};

fn api(fx: &Fixture) -> &LocalApi {
    fx.demo.api("axum")
}

/// From the allowed origin: a credentialed `POST /session` sets the cookie and a credentialed
/// `GET /session` is readable with the cookie's user (it reached the handler); a preflighted
/// `PUT /notes/{id}` (JSON body, `x-request-id`) is readable, its preflight answered by the
/// layer without reaching the router; the exposed `x-note-version` is readable, `x-served-by`
/// (sent, not exposed) is not.
pub(super) fn allowed_origin(fx: &Fixture) {
    let (login, session, note) = (
        api(fx).url("/session?user=alice"),
        api(fx).url("/session"),
        api(fx).url("/notes/axum-allowed"),
    );
    let (result, ran) = handler_runs(api(fx), || {
        fx.run(
            fx.allowed(),
            &format!(
                "{check}
                 const login = await probe({login}, {{method: 'POST', credentials: 'include'}});
                 const session = await probe({session}, {{credentials: 'include'}});
                 const put = await probe({note}, {PUT_INIT});
                 return {{origin, crossOrigin, login, session, put}};",
                check = origin_check(&[&login, &note]),
                login = js(&login),
                session = js(&session),
                note = js(&note),
            ),
        )
    });
    assert_origin(&result, fx.allowed().origin());
    assert_readable(&result["login"], "axum-api: credentialed POST /session");
    assert_alice(&result["session"], "axum-api: credentialed GET /session");

    let put = &result["put"];
    assert_note_put(put, "axum-api: preflighted PUT with JSON + x-request-id");
    assert!(
        put["headers"].get("x-served-by").is_none(),
        "x-served-by is not exposed: {result}"
    );
    assert_eq!(
        ran, 3,
        "login, session and the PUT reached the router; the preflight did not"
    );

    // The server did send `x-served-by`: only the browser hid it.
    let direct = direct_get(&note, fx.allowed().origin());
    assert_eq!(direct.header("x-served-by"), Some("axum-api"));
    assert_eq!(
        direct.header("access-control-expose-headers"),
        Some("x-note-version")
    );
    let _ = fx.browser.console();
}

/// From a third origin: the credentialed `GET /session` reaches the router but the browser
/// refuses the answer; the preflighted `PUT` is refused at its preflight and never sent.
pub(super) fn disallowed_origin(fx: &Fixture) {
    let (session, note) = (api(fx).url("/session"), api(fx).url("/notes/axum-third"));
    let (result, ran) = handler_runs(api(fx), || {
        fx.run(
            &fx.third,
            &format!(
                "{check}
                 const session = await probe({session}, {{credentials: 'include'}});
                 return {{origin, crossOrigin, session}};",
                check = origin_check(&[&session]),
                session = js(&session),
            ),
        )
    });
    assert_origin(&result, fx.third.origin());
    assert_refused(
        &result["session"],
        "axum-api: credentialed GET, third origin",
    );
    assert_eq!(ran, 1, "a simple request is sent: it reached the router");

    let (result, ran) = handler_runs(api(fx), || {
        fx.run(
            &fx.third,
            &format!(
                "{check}
                 const put = await probe({note}, {PUT_INIT});
                 return {{origin, crossOrigin, put}};",
                check = origin_check(&[&note]),
                note = js(&note),
            ),
        )
    });
    assert_origin(&result, fx.third.origin());
    assert_refused(&result["put"], "axum-api: preflighted PUT, third origin");
    assert_eq!(
        ran, 0,
        "the preflight was refused by the layer: the PUT never ran"
    );
    let console = fx.browser.console();
    assert!(
        console.contains("blocked by CORS policy"),
        "the browser blamed CORS: {console}"
    );
}

/// `Origin: null` (a `data:` page and a sandboxed iframe): refused, simple and preflighted.
pub(super) fn null_origin(fx: &Fixture) {
    let (session, note) = (api(fx).url("/session"), api(fx).url("/notes/axum-null"));
    let script = format!(
        "{check}
         const session = await probe({session}, {{credentials: 'include'}});
         const put = await probe({note}, {PUT_INIT});
         return {{origin, crossOrigin, session, put}};",
        check = origin_check(&[&session, &note]),
        session = js(&session),
        note = js(&note),
    );
    for opaque in Opaque::ALL {
        let what = opaque.name();
        let (result, ran) = handler_runs(api(fx), || {
            fx.browser.run_opaque(opaque, fx.allowed(), &script)
        });
        let result = result.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_origin(&result, "null");
        assert_refused(
            &result["session"],
            &format!("axum-api, {what}: credentialed GET"),
        );
        assert_refused(
            &result["put"],
            &format!("axum-api, {what}: preflighted PUT"),
        );
        assert_eq!(
            ran, 1,
            "{what}: only the simple GET reached the router (with Origin: null)"
        );
    }
    let _ = fx.browser.console();
}
