//! What the example binaries share: who logs in at their `login` routes, the session cookie
//! those set, and reading it back.

use lambda_http::http::{HeaderMap, header};
use lambda_http::{Request, RequestExt};

/// The `session` cookie's value, if the request's `Cookie` headers carry one.
pub fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "session")
        .map(|(_, value)| value.to_owned())
}

/// Who logs in at a `login` route: the `user` query parameter, `alice` without one.
pub fn login_user(event: &Request) -> String {
    event
        .query_string_parameters_ref()
        .and_then(|params| params.first("user"))
        .unwrap_or("alice")
        .to_owned()
}

/// The `Set-Cookie` value of a login as `user`: the `session` cookie, with the attributes in
/// `COOKIE_ATTRIBUTES` (default `Path=/; HttpOnly; Secure; SameSite=None`, what a frontend on
/// another site needs).
pub fn session_cookie(user: &str) -> String {
    let attributes = std::env::var("COOKIE_ATTRIBUTES")
        .unwrap_or_else(|_| "Path=/; HttpOnly; Secure; SameSite=None".to_owned());
    format!("session={user}; {attributes}")
}
