//! A request's `Origin` value, read the way a browser writes it.

use std::ops::Range;

use url::{Host, Url};

use crate::Scheme;

/// An `Origin` header value that is exactly the WHATWG URL serialization of an `http` or
/// `https` origin: what a browser sends, and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalOrigin {
    /// The scheme.
    pub scheme: Scheme,
    /// Where the host is in the value (an IPv6 address with its brackets).
    pub host: Range<usize>,
    /// The port, when it is not the scheme's default one.
    pub port: Option<u16>,
    /// Whether a network attacker cannot impersonate it: `https`, or `http` on a loopback host.
    pub trustworthy: bool,
}

impl CanonicalOrigin {
    /// Reads `value`, or `None` when it is not a canonical `http(s)` origin (`null`, a path, a
    /// trailing slash or dot, uppercase, a default port, userinfo, anything else).
    ///
    /// ```
    /// use cors_grammar::CanonicalOrigin;
    ///
    /// let origin = CanonicalOrigin::parse("https://tenant.example.com:8443").unwrap();
    /// assert_eq!(&"https://tenant.example.com:8443"[origin.host], "tenant.example.com");
    /// assert_eq!(origin.port, Some(8443));
    /// for other in ["null", "https://a.example.com/", "https://A.example.com", "https://a.example.com:443"] {
    ///     assert_eq!(CanonicalOrigin::parse(other), None, "{other}");
    /// }
    /// ```
    #[must_use]
    pub fn parse(value: &str) -> Option<CanonicalOrigin> {
        let scheme = if value.starts_with("https://") {
            Scheme::Https
        } else if value.starts_with("http://") {
            Scheme::Http
        } else {
            return None;
        };
        let url = Url::parse(value).ok()?;
        if url.origin().ascii_serialization() != value {
            return None;
        }
        let host_text = url.host_str()?;
        let start = scheme.as_str().len() + "://".len();
        let trustworthy = scheme == Scheme::Https
            || match url.host()? {
                Host::Domain(domain) => domain == "localhost" || domain.ends_with(".localhost"),
                Host::Ipv4(ip) => ip.is_loopback(),
                Host::Ipv6(ip) => ip.is_loopback(),
            };
        Some(CanonicalOrigin {
            scheme,
            host: start..start + host_text.len(),
            port: url.port(),
            trustworthy,
        })
    }
}
