//! `Vary`: merged into the handler's own, as one value.
//!
//! For HTTP API (payload v2) and Function URL events, `lambda_http` keeps only the first value of
//! a header repeated in the response, so appending a second `Vary` line would silently lose one
//! of them: the values are merged into one comma-separated line instead.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

/// Makes `headers` vary on every comma-separated name in `ours` (a static list, such as
/// `"Origin"`), keeping what the handler already varies on, never duplicating a name and never
/// leaving more than one `Vary` line.
pub(crate) fn merge(headers: &mut HeaderMap, ours: &'static str) {
    let mut existing = headers.get_all(VARY).iter();
    let Some(first) = existing.next() else {
        headers.insert(VARY, HeaderValue::from_static(ours));
        return;
    };
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
        for name in names(value.as_bytes()) {
            push(name, &mut merged);
        }
    }
    if !contains(&merged, b"*") {
        for name in names(ours.as_bytes()) {
            push(name, &mut merged);
        }
    }
    // Every byte comes from a valid header value or from `ours`, so this cannot fail; if it
    // somehow did, the handler's own value stays.
    if let Ok(value) = HeaderValue::from_bytes(&merged) {
        headers.insert(VARY, value);
    }
}

fn names(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|name| !name.is_empty())
}

fn contains(list: &[u8], name: &[u8]) -> bool {
    names(list).any(|listed| listed.eq_ignore_ascii_case(name))
}

/// Whether `value` already varies on every name in `ours` (or on everything, `*`).
fn covers(value: &[u8], ours: &str) -> bool {
    contains(value, b"*") || names(ours.as_bytes()).all(|name| contains(value, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(existing: &[&'static str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for value in existing {
            headers.append(VARY, HeaderValue::from_static(value));
        }
        merge(&mut headers, "Origin");
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
    }

    #[test]
    fn several_names_of_ours() {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        merge(&mut headers, "Origin, Access-Control-Request-Headers");
        assert_eq!(headers[VARY], "Origin, Access-Control-Request-Headers");
    }
}
