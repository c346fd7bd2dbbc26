//! The origin a predicate (`origins_fn`) is asked about.

use std::fmt;
use std::ops::Range;

use cors_grammar::{CanonicalOrigin, Scheme};

/// The origin of a request, exactly as a browser serializes it (`scheme://host[:port]`,
/// lowercase, punycode for an internationalized name, no default port): what an
/// `origins_fn` predicate is asked about. It is never `null`, never a malformed or
/// non-canonical value, and never one of several `Origin` headers: those are refused before any
/// predicate is asked.
///
/// ```
/// use cors_runtime::Origin;
///
/// let origin = Origin::parse("https://acme.tenants.example.com:8443").unwrap();
/// assert_eq!(origin.scheme(), "https");
/// assert_eq!(origin.host(), "acme.tenants.example.com");
/// assert_eq!(origin.port(), Some(8443));
/// assert_eq!(origin.as_str(), "https://acme.tenants.example.com:8443");
/// assert!(Origin::parse("https://Acme.example.com").is_none());
/// assert!(Origin::parse("null").is_none());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    serialized: Box<str>,
    https: bool,
    host: Range<usize>,
    port: Option<u16>,
    trustworthy: bool,
}

impl Origin {
    /// Reads an `Origin` header value, or `None` when it is not exactly what a browser sends
    /// for an `http` or `https` page (the WHATWG URL serialization of its origin). For a
    /// predicate's unit tests.
    #[must_use]
    pub fn parse(value: &str) -> Option<Origin> {
        let CanonicalOrigin {
            scheme,
            host,
            port,
            trustworthy,
        } = CanonicalOrigin::parse(value)?;
        Some(Origin {
            serialized: value.into(),
            https: scheme == Scheme::Https,
            host,
            port,
            trustworthy,
        })
    }

    /// The scheme: `"https"` or `"http"`.
    #[must_use]
    pub fn scheme(&self) -> &str {
        if self.https { "https" } else { "http" }
    }

    /// The host: a lowercase domain name (punycode, `xn--…`, for an internationalized one), an
    /// IPv4 address, or an IPv6 address in brackets (`[::1]`).
    #[must_use]
    pub fn host(&self) -> &str {
        &self.serialized[self.host.clone()]
    }

    /// The port, when it is not the scheme's default (browsers leave 443 and 80 out).
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The origin as the browser sent it, and as `Access-Control-Allow-Origin` repeats it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// Whether a network attacker cannot impersonate it: `https`, or `http` on a loopback host.
    pub(crate) fn is_trustworthy(&self) -> bool {
        self.trustworthy
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialized)
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Origin").field(&self.as_str()).finish()
    }
}
