//! What the example binaries share: reading the session cookie that their `login` routes set.

use lambda_http::http::{HeaderMap, header};

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
