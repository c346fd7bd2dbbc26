//! The Origin whitelist check: exact entries in a hash map, `*.` patterns by their parent.
//!
//! This runs on every request, so the common answers take one hash of the `Origin` bytes: a
//! listed origin is found byte for byte before anything else is looked at (listed entries are
//! visible ASCII and never `null`, so such a hit needs no other check), and the checks that
//! explain a refusal run only on a miss. The maps hash with `foldhash` (seeded per process):
//! SipHash, the standard library's default, cost several times as much per lookup, and the maps
//! are built once from configuration, never from requests, so a request cannot fill them with
//! colliding keys.

use std::collections::HashMap;

use cors_grammar::{Origin, Scheme};
use http::HeaderValue;

/// `*`, made at compile time (`HeaderValue::from_static` checks its bytes on every call made at
/// run time). Each use moves a fresh copy out, never a borrow of the const.
#[allow(clippy::declare_interior_mutable_const)]
pub(crate) const ANY: HeaderValue = HeaderValue::from_static("*");

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
    /// shares its bytes instead of allocating). Keyed by bytes, so a lookup needs no UTF-8 or
    /// visible-ASCII check of the request's value first.
    exact: HashMap<Box<[u8]>, HeaderValue, Hasher>,
    /// `scheme://*.parent[:port]` patterns, keyed by `parent[:port]`.
    patterns: HashMap<Box<str>, SchemeSet, Hasher>,
}

type Hasher = foldhash::fast::RandomState;

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
    /// Not what a browser sends (so no predicate is asked about it).
    NotCanonical,
    /// Plain http on a non-loopback host, with credentials (so no predicate is asked).
    Insecure,
    /// The predicate panicked.
    PredicatePanicked,
    /// One value, not listed, and no `*.` pattern to try: which of `NotListed`, `Null` or
    /// `NotText` is worked out by [`Refusal::explained`] only if the refusal is logged, since it
    /// changes nothing else.
    Unexplained,
}

impl Refusal {
    /// The refusal with its precise reason, given the request's (single) `Origin` value.
    pub(crate) fn explained(self, origin: Option<&HeaderValue>) -> Refusal {
        match (self, origin) {
            (Refusal::Unexplained, Some(value)) => match value.to_str() {
                Err(_) => Refusal::NotText,
                Ok("null") => Refusal::Null,
                Ok(_) => Refusal::NotListed,
            },
            (Refusal::Unexplained, None) => Refusal::NotListed,
            (refusal, _) => refusal,
        }
    }

    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::NotListed | Refusal::Unexplained => "origin not listed",
            Refusal::Null => "`Origin: null` is never allowed (any page can send it)",
            Refusal::Multiple => "more than one Origin header",
            Refusal::NotText => "Origin header is not visible ASCII",
            Refusal::NotCanonical => "Origin header is not an origin as browsers send it",
            Refusal::Insecure => {
                "plain http on a non-loopback host with credentials (see `allow_insecure_http`)"
            }
            Refusal::PredicatePanicked => "the origins_fn predicate panicked",
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
                    self.exact.insert(origin.as_bytes().into(), value);
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

    /// The allow-origin value for `origin` if it is listed exactly, compared byte for byte.
    fn lookup_exact(&self, origin: &[u8]) -> Option<HeaderValue> {
        self.exact.get(origin).cloned()
    }

    /// The allow-origin value for `origin` if a `*.` pattern covers it (the request's own
    /// value).
    fn lookup_pattern(&self, origin: &str, request_value: &HeaderValue) -> Option<HeaderValue> {
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
            // Every key was inserted from a `&str`.
            .filter_map(|entry| std::str::from_utf8(entry).ok())
            .find(|entry| loose_host(entry) == host)
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = String> + '_ {
        let exact = self
            .exact
            .keys()
            .map(|entry| String::from_utf8_lossy(entry).into_owned());
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
    /// carry several, which is never a browser's doing and is refused). Under `*` every request
    /// is answered `*`, with or without an `Origin`: a cached copy of an Origin-less answer may
    /// later serve any origin.
    pub(crate) fn check<'a>(
        &self,
        mut values: impl Iterator<Item = &'a HeaderValue>,
    ) -> OriginMatch {
        let list = match self {
            Self::Any => return OriginMatch::Allowed(ANY),
            Self::List(list) => list,
        };
        let Some(value) = values.next() else {
            return OriginMatch::Absent;
        };
        if values.next().is_some() {
            return OriginMatch::Refused(Refusal::Multiple);
        }
        // Listed entries are visible ASCII and never `null`: a hit is allowed as it is.
        if let Some(allowed) = list.lookup_exact(value.as_bytes()) {
            return OriginMatch::Allowed(allowed);
        }
        if list.patterns.is_empty() {
            return OriginMatch::Refused(Refusal::Unexplained);
        }
        let Ok(origin) = value.to_str() else {
            return OriginMatch::Refused(Refusal::NotText);
        };
        if origin == "null" {
            return OriginMatch::Refused(Refusal::Null);
        }
        match list.lookup_pattern(origin, value) {
            Some(allowed) => OriginMatch::Allowed(allowed),
            None => OriginMatch::Refused(Refusal::NotListed),
        }
    }

    /// Whether answers depend on the request's `Origin` (and so must carry `Vary: Origin`).
    pub(crate) fn vary_by_origin(&self) -> bool {
        matches!(self, Self::List(_))
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
    fn refusals_are_explained_as_before() {
        let exact = list(&["https://app.example.com"]);
        let with_pattern = list(&["https://app.example.com", "https://*.preview.example.com"]);
        for (origin, want) in [
            (&b"https://evil.example.com"[..], Refusal::NotListed),
            (b"null", Refusal::Null),
            (b"https://caf\xc3\xa9.example.com", Refusal::NotText),
            (b"", Refusal::NotListed),
        ] {
            let value = HeaderValue::from_bytes(origin).unwrap();
            for origins in [&exact, &with_pattern] {
                let OriginMatch::Refused(refusal) = origins.check(std::iter::once(&value)) else {
                    panic!("{origin:?} allowed");
                };
                assert_eq!(refusal.explained(Some(&value)), want, "{origin:?}");
            }
        }
    }

    #[test]
    fn any_answers_star_with_or_without_an_origin() {
        assert!(matches!(
            AllowedOrigins::Any.check(std::iter::once(&HeaderValue::from_static("https://x.example"))),
            OriginMatch::Allowed(v) if v == "*"
        ));
        assert!(matches!(
            AllowedOrigins::Any.check(std::iter::empty()),
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
