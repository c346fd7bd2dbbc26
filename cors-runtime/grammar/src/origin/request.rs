//! A request's `Origin` value, read the way a browser writes it.

use std::ops::Range;

use url::{Host, Url};

use super::Scheme;
use super::host::{domain_problem, is_loopback_host, plain_domain_len};

/// An `Origin` header value that is exactly the WHATWG URL serialization of an `http` or
/// `https` origin whose host DNS can resolve: what a browser sends, and nothing else.
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
    /// trailing slash or dot, an empty label, uppercase, a default port, userinfo, a character
    /// no domain name has, anything else).
    ///
    /// ```
    /// use cors_grammar::CanonicalOrigin;
    ///
    /// let origin = CanonicalOrigin::parse("https://tenant.example.com:8443").unwrap();
    /// assert_eq!(&"https://tenant.example.com:8443"[origin.host], "tenant.example.com");
    /// assert_eq!(origin.port, Some(8443));
    /// for other in [
    ///     "null",
    ///     "https://a.example.com/",
    ///     "https://a.example.com.",
    ///     "https://a..example.com",
    ///     "https://A.example.com",
    ///     "https://a.example.com:443",
    /// ] {
    ///     assert_eq!(CanonicalOrigin::parse(other), None, "{other}");
    /// }
    /// ```
    #[must_use]
    pub fn parse(value: &str) -> Option<CanonicalOrigin> {
        let (scheme, rest) = match value.strip_prefix("https://") {
            Some(rest) => (Scheme::Https, rest),
            None => (Scheme::Http, value.strip_prefix("http://")?),
        };
        let (host_len, port) = match plain_domain_len(rest.as_bytes()) {
            // The common shape, read directly: a plain domain name, then nothing or a port as
            // browsers write it.
            Some(host_len) => match &rest[host_len..] {
                "" => (host_len, None),
                port => {
                    let digits = port.strip_prefix(':')?.as_bytes();
                    (host_len, Some(scheme.canonical_port(digits)?))
                }
            },
            None => read_with_url(value)?,
        };
        let start = value.len() - rest.len();
        let host = start..start + host_len;
        let trustworthy = scheme == Scheme::Https || is_loopback_host(&value[host.clone()]);
        Some(CanonicalOrigin {
            scheme,
            host,
            port,
            trustworthy,
        })
    }
}

/// The length of the host and the port of `value`, by the WHATWG URL parser, if `value` is its
/// serialization of an origin whose host is an IP address or a domain name DNS can resolve (the
/// parser keeps a trailing dot and accepts empty labels, which no browser sends).
fn read_with_url(value: &str) -> Option<(usize, Option<u16>)> {
    let url = Url::parse(value).ok()?;
    if url.origin().ascii_serialization() != value {
        return None;
    }
    if let Some(Host::Domain(domain)) = url.host()
        && domain_problem(domain).is_some()
    {
        return None;
    }
    Some((url.host_str()?.len(), url.port()))
}
