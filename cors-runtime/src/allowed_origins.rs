//! The Origin whitelist check: exact entries in a hash map, `*.` patterns by their parent.

use std::collections::HashMap;

use cors_grammar::{Origin, Scheme};
use http::HeaderValue;

/// Which origins may read responses: validated once, immutable, cheap to query.
#[derive(Clone, Debug)]
pub(crate) enum AllowedOrigins {
    /// `*`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// A whitelist. Lookups cost the same whatever its length.
    List(OriginList),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct OriginList {
    /// Each exact origin, with the header value that answers it (cloned per request, which
    /// shares its bytes instead of allocating).
    exact: HashMap<Box<str>, HeaderValue>,
    /// `scheme://*.parent[:port]` patterns, keyed by `parent[:port]`.
    patterns: HashMap<Box<str>, SchemeSet>,
}

#[derive(Clone, Copy, Debug, Default)]
struct SchemeSet {
    http: bool,
    https: bool,
}

/// The answer to one request's `Origin`.
#[derive(Debug)]
pub(crate) enum OriginMatch {
    /// Allowed: the value to send as `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// The request has no `Origin` header (same-origin or not from a browser).
    Absent,
    /// Refused, and why (for the debug log).
    Refused(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    NotListed,
    Null,
    Multiple,
    NotText,
}

impl Refusal {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::NotListed => "origin not listed",
            Refusal::Null => "`Origin: null` is never allowed (any page can send it)",
            Refusal::Multiple => "more than one Origin header",
            Refusal::NotText => "Origin header is not visible ASCII",
        }
    }
}

impl OriginList {
    /// Adds a validated entry; `Origin::Any` is the caller's business.
    pub(crate) fn insert(&mut self, origin: &Origin) {
        match origin {
            Origin::Any => {}
            Origin::Exact(origin) => {
                // A validated origin is visible ASCII, so this cannot fail; skipping it would
                // only narrow the list.
                if let Ok(value) = HeaderValue::from_str(origin) {
                    self.exact.insert(origin.as_str().into(), value);
                }
            }
            Origin::Subdomains { scheme, parent } => {
                let schemes = self.patterns.entry(parent.as_str().into()).or_default();
                match scheme {
                    Scheme::Http => schemes.http = true,
                    Scheme::Https => schemes.https = true,
                }
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.patterns.is_empty()
    }

    /// The allow-origin value for `origin`, if it is listed. `origin` is compared byte for byte.
    fn lookup(&self, origin: &str, request_value: &HeaderValue) -> Option<HeaderValue> {
        if let Some(value) = self.exact.get(origin) {
            return Some(value.clone());
        }
        if self.patterns.is_empty() {
            return None;
        }
        let (scheme, rest) = if let Some(rest) = origin.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else {
            (Scheme::Http, origin.strip_prefix("http://")?)
        };
        let (label, parent) = rest.split_once('.')?;
        if !is_dns_label(label) {
            return None;
        }
        let schemes = self.patterns.get(parent)?;
        let listed = match scheme {
            Scheme::Http => schemes.http,
            Scheme::Https => schemes.https,
        };
        listed.then(|| request_value.clone())
    }

    /// The listed exact entry that differs from `origin` only in scheme, port, letter case or a
    /// trailing slash or dot: what a user most likely meant to list.
    pub(crate) fn closest(&self, origin: &str) -> Option<&str> {
        let host = loose_host(origin);
        self.exact
            .keys()
            .map(|entry| &**entry)
            .find(|entry| loose_host(entry) == host)
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = String> + '_ {
        let exact = self.exact.keys().map(|entry| entry.to_string());
        let patterns = self.patterns.iter().flat_map(|(parent, schemes)| {
            [(schemes.http, "http"), (schemes.https, "https")]
                .into_iter()
                .filter(|(listed, _)| *listed)
                .map(move |(_, scheme)| format!("{scheme}://*.{parent}"))
        });
        exact.chain(patterns)
    }
}

impl AllowedOrigins {
    /// Decides on the request's `Origin` header values (all of them: REST and ALB events can
    /// carry several, which is never a browser's doing and is refused).
    pub(crate) fn check<'a>(
        &self,
        mut values: impl Iterator<Item = &'a HeaderValue>,
    ) -> OriginMatch {
        let Some(value) = values.next() else {
            return OriginMatch::Absent;
        };
        if let Self::Any = self {
            return OriginMatch::Allowed(HeaderValue::from_static("*"));
        }
        if values.next().is_some() {
            return OriginMatch::Refused(Refusal::Multiple);
        }
        let Ok(origin) = value.to_str() else {
            return OriginMatch::Refused(Refusal::NotText);
        };
        if origin == "null" {
            return OriginMatch::Refused(Refusal::Null);
        }
        match self {
            Self::Any => OriginMatch::Allowed(HeaderValue::from_static("*")),
            Self::List(list) => match list.lookup(origin, value) {
                Some(allowed) => OriginMatch::Allowed(allowed),
                None => OriginMatch::Refused(Refusal::NotListed),
            },
        }
    }
}

/// One DNS label as browsers serialize it: lowercase letters, digits and inner hyphens.
fn is_dns_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// The host of a would-be origin, lowercased, without scheme, port or trailing `/` or `.`.
fn loose_host(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let rest = rest.trim_end_matches('/');
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> AllowedOrigins {
        let mut list = OriginList::default();
        for entry in entries {
            list.insert(&Origin::parse(entry).unwrap());
        }
        AllowedOrigins::List(list)
    }

    fn allowed(origins: &AllowedOrigins, origin: &str) -> bool {
        let value = HeaderValue::from_str(origin).unwrap();
        matches!(
            origins.check(std::iter::once(&value)),
            OriginMatch::Allowed(v) if v == origin
        )
    }

    #[test]
    fn exact_entries_match_byte_for_byte() {
        let origins = list(&["https://app.example.com", "http://localhost:3000"]);
        for origin in ["https://app.example.com", "http://localhost:3000"] {
            assert!(allowed(&origins, origin), "{origin}");
        }
        for origin in [
            "https://app.example.com.evil.com",
            "https://evilapp.example.com",
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://APP.example.com",
            "https://app.example.com/",
            "https://app.example.com.",
            "https://evil.app.example.com",
            "https://app.example.co",
            "http://localhost:3001",
            "http://localhost",
            "null",
            "",
        ] {
            assert!(!allowed(&origins, origin), "{origin}");
        }
    }

    #[test]
    fn patterns_match_exactly_one_label_same_scheme_and_port() {
        let origins = list(&[
            "https://*.preview.example.com",
            "http://*.dev.example.com:8080",
        ]);
        for origin in [
            "https://pr-1.preview.example.com",
            "https://xn--bcher-kva.preview.example.com",
            "http://a.dev.example.com:8080",
        ] {
            assert!(allowed(&origins, origin), "{origin}");
        }
        for origin in [
            "https://preview.example.com",
            "https://.preview.example.com",
            "https://a.b.preview.example.com",
            "http://pr-1.preview.example.com",
            "https://pr-1.preview.example.com:8443",
            "https://pr-1.preview.example.com.evil.com",
            "https://pr-1.preview.example.com/",
            "https://PR-1.preview.example.com",
            "https://-pr.preview.example.com",
            "https://pr_1.preview.example.com",
            "https://evil.com/.preview.example.com",
            "https://evilpreview.example.com",
            "http://a.dev.example.com",
            "https://a.dev.example.com:8080",
        ] {
            assert!(!allowed(&origins, origin), "{origin}");
        }
    }

    #[test]
    fn several_origin_values_are_refused() {
        let origins = list(&["https://app.example.com"]);
        let value = HeaderValue::from_static("https://app.example.com");
        assert!(matches!(
            origins.check([&value, &value].into_iter()),
            OriginMatch::Refused(Refusal::Multiple)
        ));
        assert!(matches!(
            origins.check(std::iter::empty()),
            OriginMatch::Absent
        ));
    }

    #[test]
    fn any_answers_star() {
        assert!(matches!(
            AllowedOrigins::Any.check(std::iter::once(&HeaderValue::from_static("https://x.example"))),
            OriginMatch::Allowed(v) if v == "*"
        ));
    }

    #[test]
    fn closest_names_the_entry_a_user_meant() {
        let AllowedOrigins::List(origins) = list(&["https://app.example.com"]) else {
            unreachable!()
        };
        for near in [
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://APP.example.com",
            "https://app.example.com/",
        ] {
            assert_eq!(
                origins.closest(near),
                Some("https://app.example.com"),
                "{near}"
            );
        }
        assert_eq!(origins.closest("https://evil.example.com"), None);
    }
}
