//! The Origin whitelist check: exact entries in a hash map, patterns in hash maps keyed by the
//! host or the base they stand for.
//!
//! This runs on every request, so the common answers take one hash of the `Origin` bytes: a
//! listed origin is found byte for byte before anything else is looked at (listed entries are
//! visible ASCII and never `null`, so such a hit needs no other check), and the checks that
//! explain a refusal run only on a miss. The maps hash with `foldhash` (seeded per process):
//! SipHash, the standard library's default, cost several times as much per lookup, and the maps
//! are built once from configuration, never from requests, so a request cannot fill them with
//! colliding keys.
//!
//! A request that misses the exact map is tried against the patterns only if its `Origin` is
//! canonical, as browsers send it: `scheme://host[:port]`, the port without leading zeros, at
//! most 65535 and not the scheme's default, and every label a wildcard stands for a lowercase
//! DNS label. Then each kind of pattern costs at most one lookup, of a slice of the request's
//! own value (no allocation), whatever the list's length:
//!
//! - `scheme://host:*`: the host;
//! - `scheme://*.base[:port]`: what follows the first label;
//! - `scheme://**.base[:port]`: each tail of the host after a `.` that has as many labels as
//!   some listed `**.` base (usually one lookup; never more than the host has labels).
//!
//! A host a wildcard matches must have its base's public suffix, so a pattern never reaches
//! across a public-suffix boundary below its base (`bucket.s3.amazonaws.com`, under the public
//! suffix `s3.amazonaws.com`, is not under `**.amazonaws.com`; `s3.amazonaws.com` itself is not
//! under `*.amazonaws.com`): one public-suffix lookup of the host's labels before the base
//! (from the base's place in the list, found when the list is built), on a match only, and only
//! under a base the Public Suffix List has rules below (`amazonaws.com`, not `example.com`,
//! where every host has the base's suffix anyway).
//!
//! A pattern's answer is the request's own `Origin` value (a clone, which shares its bytes).

use std::collections::HashMap;
use std::fmt::Write as _;

use cors_grammar::public_suffix::{self, RulesBelow};
use cors_grammar::{HostPattern, OriginEntry, OriginPattern, PortPattern, Scheme};
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
    /// The patterns, if any (most lists have none: they stay one pointer).
    patterns: Option<Box<Patterns>>,
}

/// The patterns of a list, in one map per kind.
#[derive(Clone, Debug, Default)]
struct Patterns {
    /// `scheme://host:*` patterns, keyed by host, with the schemes listed for it.
    any_port: HashMap<Box<[u8]>, [bool; 2], Hasher>,
    /// `scheme://*.base[:port]` patterns, keyed by base.
    one_label: HashMap<Box<[u8]>, Base, Hasher>,
    /// `scheme://**.base[:port]` patterns, keyed by base.
    any_labels: HashMap<Box<[u8]>, Base, Hasher>,
    /// Bit `n` is set when a `**.` base has `n` labels (bit 63 for 63 or more): the only tails
    /// of a host worth looking up.
    any_labels_depths: u64,
    /// The most labels a `**.` base has.
    any_labels_deepest: usize,
    /// Every pattern with its entry as listed, for [`OriginList::closest`].
    listed: Vec<(OriginPattern, Box<str>)>,
}

type Hasher = foldhash::fast::RandomState;

/// The ports listed for one pattern host and scheme.
#[derive(Clone, Debug, Default)]
struct Ports {
    /// No port: the scheme's default, which browsers leave out.
    default: bool,
    /// `:*`.
    any: bool,
    /// Explicit ports, sorted.
    listed: Vec<u16>,
}

impl Ports {
    fn insert(&mut self, port: PortPattern) {
        match port {
            PortPattern::Default => self.default = true,
            PortPattern::Any => self.any = true,
            PortPattern::Port(port) => {
                if let Err(at) = self.listed.binary_search(&port) {
                    self.listed.insert(at, port);
                }
            }
        }
    }

    /// `port` is the request's canonical port, `None` for the default.
    fn allow(&self, port: Option<u16>) -> bool {
        self.any
            || match port {
                None => self.default,
                Some(port) => self.listed.binary_search(&port).is_ok(),
            }
    }
}

/// The `*.` or the `**.` patterns over one base: the ports listed per scheme.
#[derive(Clone, Debug)]
struct Base {
    ports: [Ports; 2],
    /// The base's place in the Public Suffix List, when the list has rules below it
    /// (`amazonaws.com`): a matching host's public suffix must be as long as the base's (both
    /// are tails of the host, so equal lengths mean equal suffixes), and finding it reads only
    /// the host's labels before the base. `None` when the list has no rule below the base
    /// (`example.com`): every host under it then has the base's suffix, and nothing is looked
    /// up.
    rules_below: Option<RulesBelow>,
}

impl Base {
    fn new(base: &str) -> Self {
        Base {
            ports: Default::default(),
            rules_below: RulesBelow::new(base),
        }
    }

    /// Whether `host`, which the wildcard matched (it ends with `.` and the base), with `port`
    /// is allowed.
    fn allow(&self, scheme: usize, port: Option<u16>, host: &[u8]) -> bool {
        self.ports[scheme].allow(port)
            && self
                .rules_below
                .is_none_or(|below| below.suffix_len_under(host) == below.suffix_len())
    }
}

fn index(scheme: Scheme) -> usize {
    match scheme {
        Scheme::Http => 0,
        Scheme::Https => 1,
    }
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
    /// One value, not listed, and no pattern to try: which of `NotListed`, `Null` or
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
    /// An empty list with room for `entries` entries (built once per cold start: no rehash as
    /// a long list fills it).
    pub(crate) fn with_capacity(entries: usize) -> Self {
        OriginList {
            exact: HashMap::with_capacity_and_hasher(entries, Hasher::default()),
            patterns: None,
        }
    }

    /// Adds a validated entry; `OriginEntry::Any` is the caller's business.
    pub(crate) fn insert(&mut self, origin: OriginEntry) {
        match origin {
            OriginEntry::Any => {}
            OriginEntry::Exact(origin) => {
                let key: Box<[u8]> = origin.as_bytes().into();
                // A validated origin is visible ASCII, so this cannot fail; skipping it would
                // only narrow the list. The header value takes the string's bytes as they are.
                if let Ok(value) = HeaderValue::try_from(origin) {
                    self.exact.insert(key, value);
                }
            }
            OriginEntry::Pattern(pattern) => self.insert_pattern(pattern),
        }
    }

    fn insert_pattern(&mut self, pattern: OriginPattern) {
        let patterns = self.patterns.get_or_insert_default();
        let scheme = index(pattern.scheme());
        match pattern.host() {
            HostPattern::Exact(host) => {
                // The grammar only makes a pattern of an exact host with `:*`.
                if pattern.port() == PortPattern::Any {
                    patterns.any_port.entry(host.as_bytes().into()).or_default()[scheme] = true;
                }
            }
            HostPattern::OneLabel(base) => {
                patterns
                    .one_label
                    .entry(base.as_bytes().into())
                    .or_insert_with(|| Base::new(base))
                    .ports[scheme]
                    .insert(pattern.port());
            }
            HostPattern::AnyLabels(base) => {
                let labels = base.split('.').count();
                patterns
                    .any_labels
                    .entry(base.as_bytes().into())
                    .or_insert_with(|| Base::new(base))
                    .ports[scheme]
                    .insert(pattern.port());
                patterns.any_labels_depths |= 1 << labels.min(63);
                patterns.any_labels_deepest = patterns.any_labels_deepest.max(labels);
            }
        }
        // The entry as listed (its display), in one allocation.
        let mut entry = String::with_capacity(pattern.host().name().len() + ":65535".len() + 12);
        let _ = write!(entry, "{pattern}");
        patterns.listed.push((pattern, entry.into_boxed_str()));
    }

    /// The allow-origin value for `origin` if it is listed exactly, compared byte for byte.
    #[inline]
    fn lookup_exact(&self, origin: &[u8]) -> Option<HeaderValue> {
        self.exact.get(origin).cloned()
    }

    /// The listed entry that differs from `origin` only in scheme, port, letter case or a
    /// trailing slash or dot: what a user most likely meant to list. Exact entries first, then
    /// patterns whose hosts cover `origin`'s.
    pub(crate) fn closest(&self, origin: &str) -> Option<&str> {
        let host = loose_host(origin);
        self.exact
            .keys()
            // Every key was inserted from a `&str`.
            .filter_map(|entry| std::str::from_utf8(entry).ok())
            .find(|entry| loose_host(entry) == host)
            .or_else(|| {
                self.patterns
                    .as_ref()?
                    .listed
                    .iter()
                    .find(|(pattern, _)| covers_loosely(pattern.host(), &host))
                    .map(|(_, entry)| &**entry)
            })
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = String> + '_ {
        let exact = self
            .exact
            .keys()
            .map(|entry| String::from_utf8_lossy(entry).into_owned());
        let patterns = self
            .patterns
            .iter()
            .flat_map(|patterns| &patterns.listed)
            .map(|(_, entry)| entry.to_string());
        exact.chain(patterns)
    }
}

impl Patterns {
    /// The allow-origin value for `origin` if a pattern covers it (the request's own value).
    ///
    /// What a listed base matches is canonical by construction (it equals a canonical entry
    /// byte for byte), so only the parts a wildcard stands for are read: the labels before the
    /// base, each a DNS label as browsers serialize it, and the port, canonical and not the
    /// scheme's default.
    fn lookup(&self, origin: &[u8], request_value: &HeaderValue) -> Option<HeaderValue> {
        let (scheme, rest) = if let Some(rest) = origin.strip_prefix(b"https://") {
            (Scheme::Https, rest)
        } else {
            (Scheme::Http, origin.strip_prefix(b"http://")?)
        };
        let (host, port) = split_port(rest, scheme)?;
        let scheme = index(scheme);
        let allowed = || Some(request_value.clone());

        // `scheme://host:*`: the host as listed, byte for byte (so canonical too).
        if !self.any_port.is_empty()
            && self
                .any_port
                .get(host)
                .is_some_and(|schemes| schemes[scheme])
        {
            return allowed();
        }
        // An IPv6 address, a name without a dot, or a first label no wildcard stands for.
        let first_dot = position(host, b'.')?;
        if !is_dns_label(&host[..first_dot]) {
            return None;
        }

        // Both wildcards stop at a public suffix: a matched host must have its base's public
        // suffix (`*.amazonaws.com` does not match `s3.amazonaws.com`, a public suffix itself,
        // nor `**.amazonaws.com` `bucket.s3.amazonaws.com`). Looked up only on a match under a
        // base the list has rules below, from the base's place in the list (`Base::allow`).

        // `*.base`: one DNS label, then the base as listed.
        if !self.one_label.is_empty()
            && self
                .one_label
                .get(&host[first_dot + 1..])
                .is_some_and(|base| base.allow(scheme, port, host))
        {
            return allowed();
        }

        // `**.base`: one or more DNS labels, then the base as listed. Tails are tried from the
        // shortest, only at the depths of listed bases; the dots are found from the right. The
        // labels before a listed base (the first one is checked already) must be DNS labels.
        if self.any_labels_depths != 0 {
            let mut depth = 0;
            let mut at = host.len();
            while at > first_dot && depth < self.any_labels_deepest {
                // The next dot from the right (a plain loop: the tails are short).
                at -= 1;
                while host[at] != b'.' {
                    at -= 1;
                }
                depth += 1;
                if self.any_labels_depths & (1 << depth.min(63)) != 0
                    && self
                        .any_labels
                        .get(&host[at + 1..])
                        .is_some_and(|base| base.allow(scheme, port, host))
                    && (at == first_dot
                        || host[first_dot + 1..at]
                            .split(|&b| b == b'.')
                            .all(is_dns_label))
                {
                    return allowed();
                }
            }
        }
        None
    }
}

/// Splits what follows `scheme://` into the host and the port, if the port is as browsers
/// serialize it: absent for the scheme's default, otherwise `:` and digits without a leading
/// zero, at most 65535, other than the default, and nothing after them (a path, `@` or `.`
/// after the digits makes them no port). The port is looked for in the last six bytes only (a
/// port has at most five digits), so the host is not scanned: a `:` left in it (or an IPv6
/// address's, which stops at its `]`) makes it a host that no listed entry and no DNS label
/// matches.
fn split_port(rest: &[u8], scheme: Scheme) -> Option<(&[u8], Option<u16>)> {
    // An IPv6 address ends at its `]`; a name's port, if any, is in its last six bytes.
    let from = if rest.first() == Some(&b'[') {
        position(rest, b']')? + 1
    } else {
        rest.len().saturating_sub(6)
    };
    let Some(colon) = rest[from..]
        .iter()
        .rposition(|&b| b == b':')
        .map(|at| from + at)
    else {
        return (from == rest.len() || rest[0] != b'[').then_some((rest, None));
    };
    let (host, digits) = (&rest[..colon], &rest[colon + 1..]);
    if host.ends_with(b":") || (rest[0] == b'[' && colon != from) {
        return None;
    }
    scheme.canonical_port(digits).map(|port| (host, Some(port)))
}

/// Where `byte` first is in `text`: a plain loop, cheaper than `str::find` on strings as short as
/// origins.
#[inline]
fn position(text: &[u8], byte: u8) -> Option<usize> {
    text.iter().position(|&b| b == byte)
}

impl AllowedOrigins {
    /// Decides on the request's `Origin` header values (all of them: REST and ALB events can
    /// carry several, which is never a browser's doing and is refused). Under `*` every request
    /// is answered `*`, with or without an `Origin`: a cached copy of an Origin-less answer may
    /// later serve any origin.
    #[inline(always)]
    pub(crate) fn check(&self, headers: &http::HeaderMap) -> OriginMatch {
        match self {
            // The request's `Origin` is not even looked up.
            Self::Any => OriginMatch::Allowed(ANY),
            Self::List(list) => list.check(headers.get_all(http::header::ORIGIN).iter()),
        }
    }

    /// Whether answers depend on the request's `Origin` (and so must carry `Vary: Origin`).
    #[inline]
    pub(crate) fn vary_by_origin(&self) -> bool {
        matches!(self, Self::List(_))
    }
}

impl OriginList {
    /// The answer to the request's `Origin` values under this list.
    fn check<'a>(&self, mut values: impl Iterator<Item = &'a HeaderValue>) -> OriginMatch {
        let Some(value) = values.next() else {
            return OriginMatch::Absent;
        };
        if values.next().is_some() {
            return OriginMatch::Refused(Refusal::Multiple);
        }
        // Listed entries are visible ASCII and never `null`: a hit is allowed as it is.
        if let Some(allowed) = self.lookup_exact(value.as_bytes()) {
            return OriginMatch::Allowed(allowed);
        }
        // A refusal's precise reason is worked out only if it is logged.
        let Some(patterns) = &self.patterns else {
            return OriginMatch::Refused(Refusal::Unexplained);
        };
        match patterns.lookup(value.as_bytes(), value) {
            Some(allowed) => OriginMatch::Allowed(allowed),
            None => OriginMatch::Refused(Refusal::Unexplained),
        }
    }
}

/// One DNS label as browsers serialize it: lowercase letters, digits and inner hyphens.
fn is_dns_label(label: &[u8]) -> bool {
    (1..=63).contains(&label.len())
        && label
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
}

/// Whether a pattern's host part covers `host` (already lowercased, without scheme, port or
/// trailing `/` or `.`): the refusal then comes from the scheme, the port, case or a trailing
/// character.
fn covers_loosely(pattern: &HostPattern, host: &str) -> bool {
    let labels_before = |base: &str| {
        host.strip_suffix(base)
            .and_then(|rest| rest.strip_suffix('.'))
            .filter(|labels| {
                labels
                    .split('.')
                    .all(|label| is_dns_label(label.as_bytes()))
            })
    };
    match pattern {
        HostPattern::Exact(listed) => host == listed,
        HostPattern::OneLabel(base) => {
            labels_before(base).is_some_and(|label| !label.contains('.'))
                && public_suffix::suffix(host) == public_suffix::suffix(base)
        }
        HostPattern::AnyLabels(base) => {
            labels_before(base).is_some()
                && public_suffix::suffix(host) == public_suffix::suffix(base)
        }
    }
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

    /// A request's headers with these `Origin` values.
    fn origin_headers<const N: usize>(values: [&HeaderValue; N]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append(http::header::ORIGIN, value.clone());
        }
        headers
    }

    fn list(entries: &[&str]) -> AllowedOrigins {
        let mut list = OriginList::default();
        for entry in entries {
            list.insert(OriginEntry::parse(entry).unwrap());
        }
        AllowedOrigins::List(list)
    }

    fn allowed(origins: &AllowedOrigins, origin: &str) -> bool {
        let value = HeaderValue::from_str(origin).unwrap();
        matches!(
            origins.check(&origin_headers([&value])),
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
            origins.check(&origin_headers([&value, &value])),
            OriginMatch::Refused(Refusal::Multiple)
        ));
        assert!(matches!(
            origins.check(&origin_headers([])),
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
                let OriginMatch::Refused(refusal) = origins.check(&origin_headers([&value])) else {
                    panic!("{origin:?} allowed");
                };
                assert_eq!(refusal.explained(Some(&value)), want, "{origin:?}");
            }
        }
    }

    #[test]
    fn any_answers_star_with_or_without_an_origin() {
        assert!(matches!(
            AllowedOrigins::Any.check(&origin_headers([&HeaderValue::from_static("https://x.example")])),
            OriginMatch::Allowed(v) if v == "*"
        ));
        assert!(matches!(
            AllowedOrigins::Any.check(&origin_headers([])),
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

    /// Asserts `allowed` are allowed and `refused` refused by a list of `entries`.
    fn check_list(entries: &[&str], allowed_origins: &[&str], refused: &[&str]) {
        let origins = list(entries);
        for origin in allowed_origins {
            assert!(allowed(&origins, origin), "{origin} refused by {entries:?}");
        }
        for origin in refused {
            assert!(
                !HeaderValue::from_str(origin).is_ok_and(|value| matches!(
                    origins.check(&origin_headers([&value])),
                    OriginMatch::Allowed(_)
                )),
                "{origin} allowed by {entries:?}"
            );
        }
    }

    #[test]
    fn port_wildcard_matches_every_port_of_that_host_only() {
        check_list(
            &[
                "http://localhost:*",
                "http://127.0.0.1:*",
                "http://[::1]:*",
                "https://app.example.com:*",
            ],
            &[
                // No port: the scheme's default, which browsers leave out.
                "http://localhost",
                "http://localhost:3000",
                "http://localhost:5173",
                "http://localhost:1",
                "http://localhost:0",
                "http://localhost:443",
                "http://localhost:65535",
                "http://127.0.0.1",
                "http://127.0.0.1:8080",
                "http://[::1]",
                "http://[::1]:3000",
                "https://app.example.com",
                "https://app.example.com:8443",
                "https://app.example.com:80",
            ],
            &[
                "https://localhost:3000",
                "http://app.example.com:8443",
                // Port confusion.
                "http://localhost:3000.evil.com",
                "http://localhost:03000",
                "http://localhost:00",
                "http://localhost:80",
                "https://app.example.com:443",
                "http://localhost:65536",
                "http://localhost:99999",
                "http://localhost:100000",
                "http://localhost:",
                "http://localhost::3000",
                "http://localhost:3000:3000",
                "http://localhost:+3000",
                "http://localhost:-1",
                "http://localhost: 3000",
                "http://localhost:3%30",
                "http://localhost%3a3000",
                "http://localhost:3000/",
                "http://localhost:3000/app",
                "http://localhost:3000?",
                "http://localhost:3000#",
                "http://localhost:3000@evil.com",
                "http://user@localhost:3000",
                // Host confusion.
                "http://localhost.evil.com:3000",
                "http://evil.localhost:3000",
                "http://evillocalhost:3000",
                "http://LOCALHOST:3000",
                "http://localhost.:3000",
                "http://127.1:3000",
                "http://127.0.1:3000",
                "http://2130706433:3000",
                "http://0x7f.0.0.1:3000",
                "http://0177.0.0.1:3000",
                "http://127.0.0.1.:3000",
                "http://127.0.0.2:3000",
                "http://[0:0:0:0:0:0:0:1]:3000",
                "http://[::0:1]:3000",
                "http://[::1]:03000",
                "http://[::1]:",
                "http://[::1]x:3000",
                "http://[::1]]:3000",
                "http://[::ffff:127.0.0.1]:3000",
                "http://app.example.com",
                "null",
                "",
            ],
        );
    }

    #[test]
    fn deep_wildcard_matches_one_or_more_labels_under_the_same_public_suffix() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        check_list(
            &[
                "https://**.example.com",
                "http://**.localhost:*",
                "https://**.amazonaws.com",
                "https://**.example.co.uk:8443",
            ],
            &[
                "https://a.example.com",
                "https://a.b.example.com",
                "https://a.b.c.d.e.example.com",
                "https://1.example.com",
                "https://a-b.example.com",
                "https://a--b.example.com",
                "https://xn--bcher-kva.example.com",
                &format!("https://{label63}.example.com"),
                &format!("https://{label63}.{label63}.example.com"),
                "http://a.localhost",
                "http://a.b.localhost:3000",
                "https://www.amazonaws.com",
                "https://a.example.co.uk:8443",
                "https://a.b.example.co.uk:8443",
            ],
            &[
                // Never the base itself.
                "https://example.com",
                "http://localhost:3000",
                "https://amazonaws.com",
                // Other schemes and ports.
                "http://a.example.com",
                "https://a.localhost",
                "https://a.example.com:8443",
                "https://a.example.com:443",
                "https://a.example.co.uk",
                "https://a.example.co.uk:443",
                // Suffix and prefix tricks.
                "https://evil-example.com",
                "https://evilexample.com",
                "https://example.com.evil.com",
                "https://a.example.com.evil.com",
                "https://a.example.comm",
                "https://a.example.co",
                "https://a.xexample.com",
                // Not as browsers send it.
                "https://a.example.com.",
                "https://a.example.com/",
                "https://a.example.com/x",
                "https://a.example.com:",
                "https://A.example.com",
                "https://a.B.example.com",
                "https://a.Example.com",
                "https://a..example.com",
                "https://.example.com",
                "https://..example.com",
                "https://-a.example.com",
                "https://a-.example.com",
                "https://a.-b.example.com",
                "https://a_b.example.com",
                "https://a b.example.com",
                &format!("https://{label64}.example.com"),
                "https://a%2eexample.com",
                "https://a.example%2ecom",
                "https://%61.example.com",
                "https://a.example.com@evil.com",
                "https://evil.com@a.example.com",
                "https://evil.com#.example.com",
                "https://evil.com/.example.com",
                "https://evil.com?.example.com",
                "https://a.example.com\\@evil.com",
                // Below a public suffix under the base: anyone can create an S3 bucket.
                "https://bucket.s3.amazonaws.com",
                "https://a.bucket.s3.amazonaws.com",
                "https://x.execute-api.eu-west-1.amazonaws.com",
                "https://evil.eu-west-1.compute.amazonaws.com",
            ],
        );
    }

    #[test]
    fn one_label_patterns_keep_their_meaning_with_any_port() {
        check_list(
            &["https://*.example.com:*", "http://*.localhost"],
            &[
                "https://a.example.com",
                "https://a.example.com:8443",
                "http://a.localhost",
            ],
            &[
                "https://example.com",
                "https://a.b.example.com",
                "https://a.b.example.com:8443",
                "https://a.example.com:443",
                "https://a.example.com:08443",
                "http://a.b.localhost",
                "http://a.localhost:3000",
                "http://localhost",
            ],
        );
    }

    #[test]
    fn one_label_stops_at_a_public_suffix_too() {
        // `s3.amazonaws.com` is a public suffix (path-style buckets serve anyone's pages from
        // it): a one-label match must have the base's suffix as well.
        check_list(
            &["https://*.amazonaws.com"],
            &["https://www.amazonaws.com", "https://console.amazonaws.com"],
            &[
                "https://s3.amazonaws.com",
                "https://bucket.s3.amazonaws.com",
                "https://amazonaws.com",
            ],
        );
    }

    #[test]
    fn one_base_can_have_both_depths_and_several_ports() {
        check_list(
            &[
                "https://*.example.com",
                "https://*.example.com:8443",
                "https://*.example.com:9443",
                "https://**.example.com:7443",
                "https://**.a.example.com",
            ],
            &[
                "https://a.example.com",
                "https://b.example.com:8443",
                "https://c.example.com:9443",
                "https://a.b.example.com:7443",
                "https://a.example.com:7443",
                "https://b.a.example.com",
                "https://c.b.a.example.com",
            ],
            &[
                "https://a.b.example.com",
                "https://a.example.com:10443",
                "https://b.c.example.com:8443",
                "https://a.example.com:443",
            ],
        );
    }

    #[test]
    fn a_deep_match_is_tried_at_every_listed_depth() {
        // `**.amazonaws.com` matches first and is refused for its public suffix; the deeper base
        // (not a public suffix itself: its own suffix is `s3.amazonaws.com`) then allows it.
        check_list(
            &[
                "https://**.amazonaws.com",
                "https://**.my-bucket.s3.amazonaws.com",
            ],
            &[
                "https://a.my-bucket.s3.amazonaws.com",
                "https://b.a.my-bucket.s3.amazonaws.com",
                "https://www.amazonaws.com",
            ],
            &[
                "https://other-bucket.s3.amazonaws.com",
                "https://my-bucket.s3.amazonaws.com",
                "https://a.other.s3.amazonaws.com",
            ],
        );
        // Many bases of many depths: each request still looks up only the tails of the listed
        // depths.
        let mut entries: Vec<String> = (0..300)
            .map(|i| {
                let labels = ["a"].repeat(i % 5).join(".");
                match labels.is_empty() {
                    true => format!("https://**.site-{i}.example.com"),
                    false => format!("https://**.{labels}.site-{i}.example.com"),
                }
            })
            .collect();
        entries.push("https://*.one.example.com".into());
        let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
        check_list(
            &entries,
            &[
                "https://x.site-0.example.com",
                "https://x.y.a.site-1.example.com",
                "https://x.a.a.a.a.site-299.example.com",
                "https://x.one.example.com",
            ],
            &[
                "https://site-0.example.com",
                "https://x.site-1.example.com",
                "https://x.a.site-2.example.com",
                "https://x.y.one.example.com",
            ],
        );
    }

    #[test]
    fn matching_allocates_nothing() {
        let origins = list(&[
            "https://app.example.com",
            "https://*.preview.example.com",
            "https://**.example.org",
            "http://localhost:*",
        ]);
        for origin in [
            "https://app.example.com",
            "https://pr-1.preview.example.com",
            "https://a.b.example.org",
            "http://localhost:3000",
            "https://evil.example.net",
            "https://a.b.preview.example.com",
            "http://localhost:03000",
        ] {
            let value = HeaderValue::from_str(origin).unwrap();
            // The first clone of a header value shares its bytes (one allocation, once per
            // request value and once per process for a listed one): do it before counting, so
            // what is counted is the matching itself.
            let headers = origin_headers([&value]);
            drop(origins.check(&headers));
            let mut answer = None;
            let counted = allocation_counter::measure(|| {
                answer = Some(origins.check(&headers));
            });
            assert_eq!(counted.count_total, 0, "{origin}");
            drop(answer);
        }
    }

    #[test]
    fn closest_names_the_pattern_a_user_meant() {
        let AllowedOrigins::List(origins) = list(&[
            "http://localhost:*",
            "https://*.example.com",
            "https://**.example.org",
            "https://**.amazonaws.com",
        ]) else {
            unreachable!()
        };
        for (near, want) in [
            ("https://localhost:3000", "http://localhost:*"),
            ("http://LOCALHOST:3000", "http://localhost:*"),
            ("http://localhost:3000/", "http://localhost:*"),
            ("http://a.example.com", "https://*.example.com"),
            ("https://A.example.com", "https://*.example.com"),
            ("https://a.example.com:443", "https://*.example.com"),
            ("http://a.b.example.org:8080", "https://**.example.org"),
        ] {
            assert_eq!(origins.closest(near), Some(want), "{near}");
        }
        for far in [
            "https://a.b.example.com",
            "https://a_b.example.com",
            "https://example.org",
            "https://bucket.s3.amazonaws.com",
            "http://localhost.evil.com:3000",
        ] {
            assert_eq!(origins.closest(far), None, "{far}");
        }
    }

    /// The matcher against a reference written plainly, on generated lists and origins.
    mod reference {
        use proptest::prelude::*;
        use proptest::sample::{Index, select, subsequence};
        use url::Url;

        use super::*;

        /// Every entry form, valid: lists are drawn from these.
        const ENTRIES: &[&str] = &[
            "https://app.example.com",
            "http://localhost:3000",
            "https://*.example.com",
            "https://*.example.com:8443",
            "https://**.example.com",
            "https://**.example.com:*",
            "https://**.a.example.org:*",
            "https://app.example.org:*",
            "http://localhost:*",
            "http://127.0.0.1:*",
            "http://[::1]:*",
            "http://*.localhost",
            "http://**.localhost:*",
            "https://**.amazonaws.com",
            "https://*.amazonaws.com",
            "https://**.bucket.s3.amazonaws.com",
            "https://*.example.co.uk",
            "https://**.xn--bcher-kva.example",
        ];

        /// Whether `origin` is allowed by `entries`, worked out from the WHATWG URL parser (the
        /// origin must be what it serializes, so canonical) and the Public Suffix List, entry
        /// by entry.
        fn reference(entries: &[&str], origin: &str) -> bool {
            let Ok(url) = Url::parse(origin) else {
                return false;
            };
            if url.origin().ascii_serialization() != origin {
                return false;
            }
            let host = url.host_str().unwrap_or_default();
            let dns_labels = |labels: &str| {
                labels.split('.').all(|label| {
                    (1..=63).contains(&label.len())
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                })
            };
            entries.iter().any(|entry| {
                if *entry == origin {
                    return true;
                }
                let (scheme, rest) = entry.split_once("://").unwrap();
                let (host_part, port_part) = match rest.rsplit_once(':') {
                    Some((host, port)) if !port.contains(']') => (host, Some(port)),
                    _ => (rest, None),
                };
                let port_matches = match port_part {
                    Some("*") => true,
                    Some(port) => url.port() == port.parse().ok(),
                    None => url.port().is_none(),
                };
                let before = |base: &str| {
                    host.strip_suffix(base)
                        .and_then(|labels| labels.strip_suffix('.'))
                        .filter(|labels| dns_labels(labels))
                };
                let host_matches = if let Some(base) = host_part.strip_prefix("**.") {
                    before(base).is_some() && psl::suffix_str(host) == psl::suffix_str(base)
                } else if let Some(base) = host_part.strip_prefix("*.") {
                    before(base).is_some_and(|label| !label.contains('.'))
                        && psl::suffix_str(host) == psl::suffix_str(base)
                } else {
                    host == host_part
                };
                scheme == url.scheme() && port_matches && host_matches
            })
        }

        /// Labels, as browsers send them and not.
        fn label() -> impl Strategy<Value = String> {
            prop_oneof![
                // Random DNS-ish labels (not `xn--`: the matcher does not decode punycode,
                // which browsers only send valid; the WHATWG parser refuses the rest).
                4 => "[a-z0-9][a-z0-9-]{0,5}".prop_filter("no punycode", |l| !l.starts_with("xn--")),
                3 => select(vec![
                    "a", "b", "app", "www", "s3", "bucket", "example", "com", "org", "localhost",
                    "amazonaws", "execute-api", "eu-west-1", "compute", "co", "uk", "xn--bcher-kva",
                ])
                .prop_map(str::to_owned),
                1 => select(vec!["A", "Www", "a_b", "-a", "a-", "", "a%2e", "1", "0x7f"])
                    .prop_map(str::to_owned),
            ]
        }

        fn port(https: bool) -> impl Strategy<Value = String> {
            let default = if https { "443" } else { "80" };
            prop_oneof![
                3 => Just(String::new()),
                3 => (0u32..=65535).prop_map(|p| format!(":{p}")),
                1 => select(vec![":8443", ":3000", ":03000", ":", ":65536", ":99999", ":*"])
                    .prop_map(str::to_owned),
                1 => Just(format!(":{default}")),
            ]
        }

        /// An origin made from one of `entries`, its wildcards filled in.
        fn from_entry(entries: Vec<&'static str>) -> impl Strategy<Value = String> {
            (
                select(entries),
                prop::collection::vec(label(), 1..4),
                select(vec!["https", "http"]),
                any::<bool>(),
            )
                .prop_flat_map(|(entry, labels, other_scheme, switch_scheme)| {
                    let (scheme, rest) = entry.split_once("://").unwrap();
                    let scheme = if switch_scheme { other_scheme } else { scheme };
                    let (host_part, listed_port) = match rest.rsplit_once(':') {
                        Some((host, port)) if !port.contains(']') => (host, Some(port)),
                        _ => (rest, None),
                    };
                    let host = if let Some(base) = host_part.strip_prefix("**.") {
                        format!("{}.{base}", labels.join("."))
                    } else if let Some(base) = host_part.strip_prefix("*.") {
                        format!("{}.{base}", labels[0])
                    } else {
                        host_part.to_owned()
                    };
                    let scheme = scheme.to_owned();
                    let listed = listed_port.filter(|p| *p != "*").map(|p| format!(":{p}"));
                    let port = match listed {
                        Some(port) => prop_oneof![3 => Just(port), 1 => port_of(&scheme)].boxed(),
                        None => port_of(&scheme).boxed(),
                    };
                    port.prop_map(move |port| format!("{scheme}://{host}{port}"))
                })
        }

        fn port_of(scheme: &str) -> BoxedStrategy<String> {
            port(scheme == "https").boxed()
        }

        /// A way to spoil an origin, or none.
        fn spoil(origin: String, how: usize, at: Index) -> String {
            let (scheme, rest) = origin.split_once("://").unwrap();
            match how {
                0 => {
                    let i = at.index(origin.len());
                    let mut spoiled = origin.clone();
                    if spoiled.is_char_boundary(i) && spoiled.is_char_boundary(i + 1) {
                        spoiled[i..=i].make_ascii_uppercase();
                    }
                    spoiled
                }
                1 => format!("{origin}/"),
                2 => format!("{origin}."),
                3 => format!("{scheme}://evil-{rest}"),
                4 => format!("{scheme}://{rest}.evil.com"),
                5 => format!("{scheme}://a@{rest}"),
                6 => format!("{origin}@evil.com"),
                7 => origin.replacen('.', "..", 1),
                8 => origin.replacen('.', "%2e", 1),
                9 => format!("{scheme}://{}", rest.replacen('.', ".-", 1)),
                _ => origin,
            }
        }

        fn origin(entries: Vec<&'static str>) -> impl Strategy<Value = String> {
            prop_oneof![
                6 => (from_entry(entries), 0..16usize, any::<Index>())
                    .prop_map(|(origin, how, at)| spoil(origin, how, at)),
                1 => "(https?://)?[a-z0-9.:\\[\\]@*-]{0,24}",
            ]
        }

        /// A list drawn from [`ENTRIES`], and origins made mostly from its own entries.
        fn list_and_origins() -> impl Strategy<Value = (Vec<&'static str>, Vec<String>)> {
            subsequence(ENTRIES, 1..=ENTRIES.len()).prop_flat_map(|entries| {
                let origins = prop::collection::vec(origin(entries.clone()), 1..8);
                (Just(entries), origins)
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2048))]

            #[test]
            fn the_matcher_agrees_with_the_reference((entries, origins) in list_and_origins()) {
                let matcher = list(&entries);
                for origin in &origins {
                    let Ok(value) = HeaderValue::from_str(origin) else { continue };
                    let got = match matcher.check(&origin_headers([&value])) {
                        OriginMatch::Allowed(answer) => {
                            prop_assert_eq!(&answer, origin.as_str());
                            true
                        }
                        _ => false,
                    };
                    prop_assert_eq!(got, reference(&entries, origin), "{} with {:?}", origin, entries);
                }
            }
        }
    }
}
