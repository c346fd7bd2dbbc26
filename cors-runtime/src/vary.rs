//! `Vary`: merged into the handler's own, as one value.
//!
//! For HTTP API (payload v2) and Function URL events, `lambda_http` keeps only the first value of
//! a header repeated in the response, so appending a second `Vary` line would silently lose one
//! of them: the values are merged into one comma-separated line instead.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

use crate::comma_list::{contains, elements};

/// What a CORS answer varies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Vary {
    /// The answer depends on `Origin`.
    Origin,
    /// A preflight answer that reflects `Access-Control-Request-Headers` (under `*`).
    RequestHeaders,
    /// Both.
    OriginAndRequestHeaders,
}

impl Vary {
    /// What a preflight answer varies on, if anything.
    pub(crate) fn of(by_origin: bool, by_request_headers: bool) -> Option<Vary> {
        match (by_origin, by_request_headers) {
            (true, true) => Some(Vary::OriginAndRequestHeaders),
            (true, false) => Some(Vary::Origin),
            (false, true) => Some(Vary::RequestHeaders),
            (false, false) => None,
        }
    }

    fn names(self) -> &'static str {
        match self {
            Vary::Origin => "Origin",
            Vary::RequestHeaders => "Access-Control-Request-Headers",
            Vary::OriginAndRequestHeaders => "Origin, Access-Control-Request-Headers",
        }
    }

    /// The value, made at compile time (`HeaderValue::from_static` checks every byte again
    /// when it runs at run time).
    #[inline]
    fn value(self) -> HeaderValue {
        const ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
        const REQUEST_HEADERS: HeaderValue =
            HeaderValue::from_static("Access-Control-Request-Headers");
        const BOTH: HeaderValue =
            HeaderValue::from_static("Origin, Access-Control-Request-Headers");
        match self {
            Vary::Origin => ORIGIN,
            Vary::RequestHeaders => REQUEST_HEADERS,
            Vary::OriginAndRequestHeaders => BOTH,
        }
    }
}

/// Makes `headers` vary on `ours`, keeping what the handler already varies on, never
/// duplicating a name and never leaving more than one `Vary` line. `present` says whether
/// `headers` may have a `Vary` already: a caller that knows it has none saves the lookup.
#[inline]
pub(crate) fn add(headers: &mut HeaderMap, ours: Vary, present: bool) {
    if !present {
        headers.insert(VARY, ours.value());
        return;
    }
    let mut existing = headers.get_all(VARY).iter();
    let Some(first) = existing.next() else {
        headers.insert(VARY, ours.value());
        return;
    };
    let ours = ours.names();
    if existing.next().is_none() && covers(first.as_bytes(), ours) {
        return;
    }

    let mut merged: Vec<u8> = Vec::new();
    let push = |name: &[u8], merged: &mut Vec<u8>| {
        if !contains(merged, name) {
            if !merged.is_empty() {
                merged.extend_from_slice(b", ");
            }
            merged.extend_from_slice(name);
        }
    };
    for value in headers.get_all(VARY) {
        for name in elements(value.as_bytes()) {
            push(name, &mut merged);
        }
    }
    if !contains(&merged, b"*") {
        for name in elements(ours.as_bytes()) {
            push(name, &mut merged);
        }
    }
    // Every byte comes from a valid header value or from `ours`, so this cannot fail; if it
    // somehow did, the handler's own value stays.
    if let Ok(value) = HeaderValue::from_bytes(&merged) {
        headers.insert(VARY, value);
    }
}

/// Whether `value` already varies on every name in `ours` (or on everything, `*`).
fn covers(value: &[u8], ours: &str) -> bool {
    contains(value, b"*") || elements(ours.as_bytes()).all(|name| contains(value, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(existing: &[&'static str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for value in existing {
            headers.append(VARY, HeaderValue::from_static(value));
        }
        add(&mut headers, Vary::Origin, true);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn merges_into_one_value() {
        assert_eq!(merged(&[]), ["Origin"]);
        assert_eq!(merged(&["Accept-Encoding"]), ["Accept-Encoding, Origin"]);
        assert_eq!(merged(&["origin"]), ["origin"]);
        assert_eq!(
            merged(&["Accept-Encoding, Origin"]),
            ["Accept-Encoding, Origin"]
        );
        assert_eq!(merged(&["*"]), ["*"]);
        assert_eq!(
            merged(&["Accept-Encoding", "Accept-Language,origin"]),
            ["Accept-Encoding, Accept-Language, origin"]
        );
        assert_eq!(merged(&["Accept", "Accept"]), ["Accept, Origin"]);
        assert_eq!(
            merged(&["Accept, , Accept-Language"]),
            ["Accept, Accept-Language, Origin"]
        );
    }

    #[test]
    fn several_names_of_ours() {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        add(&mut headers, Vary::OriginAndRequestHeaders, true);
        assert_eq!(headers[VARY], "Origin, Access-Control-Request-Headers");
    }
}
