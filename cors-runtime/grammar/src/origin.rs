use std::fmt;

use url::{Host, Url};

use crate::public_suffix;

mod fast;

/// The scheme of an allowed origin: CORS origins here are `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http://`: only trustworthy for loopback hosts.
    Http,
    /// `https://`.
    Https,
}

impl Scheme {
    /// The scheme as browsers serialize it, without `://`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port browsers leave out of this scheme's origins: 80 or 443.
    #[must_use]
    pub const fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    /// The port `digits` (what follows `:` in an origin) stand for, if browsers would write it
    /// so in this scheme's origins: decimal digits without a leading zero (`0` itself aside), at
    /// most 65535, and not the default port, which they leave out.
    ///
    /// ```
    /// use cors_grammar::Scheme;
    ///
    /// assert_eq!(Scheme::Http.canonical_port(b"3000"), Some(3000));
    /// assert_eq!(Scheme::Http.canonical_port(b"03000"), None);
    /// assert_eq!(Scheme::Http.canonical_port(b"80"), None);
    /// assert_eq!(Scheme::Https.canonical_port(b"65536"), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn canonical_port(self, digits: &[u8]) -> Option<u16> {
        if digits.is_empty() || digits.len() > 5 || (digits[0] == b'0' && digits.len() > 1) {
            return None;
        }
        let mut port: u32 = 0;
        for &digit in digits {
            if !digit.is_ascii_digit() {
                return None;
            }
            port = port * 10 + u32::from(digit - b'0');
        }
        let port = u16::try_from(port).ok()?;
        (port != self.default_port()).then_some(port)
    }

    fn from_lowercase(scheme: &str) -> Option<Self> {
        match scheme {
            "http" => Some(Scheme::Http),
            "https" => Some(Scheme::Https),
            _ => None,
        }
    }
}

/// One entry of an origin whitelist, validated and canonical.
///
/// Its [`Display`](fmt::Display) form is the canonical entry as a user writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `*`: any origin (never together with credentials).
    Any,
    /// One serialized origin, `scheme://host[:port]`, exactly as browsers send it.
    Exact(String),
    /// An origin with wildcards: `scheme://*.base[:port]`, `scheme://**.base[:port]`, or
    /// `scheme://host:*`, `scheme://*.base:*`, `scheme://**.base:*`.
    Pattern(OriginPattern),
}

/// An origin entry with wildcards: which hosts and which ports it stands for, with one scheme.
///
/// Built only by [`Origin::parse`], so it is always canonical and never a plain origin (at least
/// one of its host and port is a wildcard).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    scheme: Scheme,
    host: HostPattern,
    port: PortPattern,
}

/// The host part of an [`OriginPattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// This host and no other, as browsers serialize it (a domain name, an IPv4 address, or an
    /// IPv6 address in brackets): the pattern's wildcard is its port, `:*`.
    Exact(String),
    /// `*.base`: exactly one DNS label followed by `.base`, as a TLS wildcard certificate
    /// matches (`a.example.com` for `*.example.com`; not `a.b.example.com`, not `example.com`),
    /// whose public suffix is `base`'s own (`s3.amazonaws.com`, a public suffix, is not matched
    /// by `*.amazonaws.com`).
    OneLabel(String),
    /// `**.base`: one or more DNS labels followed by `.base` (`a.example.com` and
    /// `a.b.example.com` for `**.example.com`; not `example.com`), whose public suffix is
    /// `base`'s own (`bucket.s3.amazonaws.com`, under the public suffix `s3.amazonaws.com`, is
    /// not matched by `**.amazonaws.com`).
    AnyLabels(String),
}

/// The port part of an [`OriginPattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// No port written: the scheme's default port, which browsers leave out of the origin.
    Default,
    /// `:port`, a port that is not the scheme's default.
    Port(u16),
    /// `:*`: any port, the default one (no port in the origin) included.
    Any,
}

impl OriginPattern {
    /// The scheme every matching origin has.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The hosts it stands for.
    #[must_use]
    pub fn host(&self) -> &HostPattern {
        &self.host
    }

    /// The ports it stands for.
    #[must_use]
    pub fn port(&self) -> PortPattern {
        self.port
    }
}

impl HostPattern {
    /// The host (for [`HostPattern::Exact`]) or the base after `*.` or `**.`.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            HostPattern::Exact(name)
            | HostPattern::OneLabel(name)
            | HostPattern::AnyLabels(name) => name,
        }
    }
}

impl PortPattern {
    /// Whether an origin whose port is `port` (`None` when the origin has none: the scheme's
    /// default) matches.
    #[must_use]
    pub fn matches(self, port: Option<u16>) -> bool {
        match self {
            PortPattern::Any => true,
            PortPattern::Default => port.is_none(),
            PortPattern::Port(listed) => port == Some(listed),
        }
    }
}

/// What replaces `*` or `**` so that the WHATWG parser can read a pattern: one label.
const PLACEHOLDER: &str = "x";

/// The longest domain name DNS can carry, in characters (without a trailing dot).
const MAX_DOMAIN_LENGTH: usize = 253;

/// The wildcards of an entry, found before the WHATWG parser reads it.
struct Wildcards {
    /// `*.` or `**.` in front of the host.
    host: Option<HostWildcard>,
    /// `:*` as the port.
    any_port: bool,
    /// What follows `scheme://` with the host's wildcard replaced by [`PLACEHOLDER`] and `:*`
    /// left out: an entry the WHATWG parser reads as it reads an origin.
    candidate: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HostWildcard {
    OneLabel,
    AnyLabels,
}

impl HostWildcard {
    fn as_str(self) -> &'static str {
        match self {
            HostWildcard::OneLabel => "*",
            HostWildcard::AnyLabels => "**",
        }
    }
}

impl Wildcards {
    /// Finds the wildcards in `after_scheme` (which contains a `*`), or why a `*` is where no
    /// wildcard can be.
    fn find(after_scheme: &str) -> Result<Self, OriginProblem> {
        let authority_end = after_scheme
            .find(['/', '?', '#'])
            .unwrap_or(after_scheme.len());
        let (authority, tail) = after_scheme.split_at(authority_end);
        let (userinfo, host_and_port) = match authority.rfind('@') {
            Some(at) => authority.split_at(at + 1),
            None => ("", authority),
        };
        if tail.contains('*') || userinfo.contains('*') {
            return Err(OriginProblem::MisplacedWildcard);
        }
        let (host, port) = if host_and_port.starts_with('[') {
            match host_and_port.find(']') {
                Some(end) => host_and_port.split_at(end + 1),
                None => (host_and_port, ""),
            }
        } else {
            match host_and_port.find(':') {
                Some(colon) => host_and_port.split_at(colon),
                None => (host_and_port, ""),
            }
        };

        let any_port = match port {
            ":*" => true,
            _ if port.contains('*') => return Err(OriginProblem::MisplacedPortWildcard),
            _ => false,
        };

        let mut wildcard = None;
        let mut base = host;
        if host.contains('*') {
            if host.starts_with('[') {
                return Err(OriginProblem::WildcardOnIp);
            }
            let (first, rest) = host.split_once('.').unwrap_or((host, ""));
            if first.contains('*') {
                wildcard = Some(match first {
                    "*" => HostWildcard::OneLabel,
                    "**" => HostWildcard::AnyLabels,
                    _ => return Err(wildcard_label_problem(first)),
                });
                if rest.is_empty() {
                    // `https://*`, `https://**.`: no domain to be under.
                    return Err(OriginProblem::MisplacedWildcard);
                }
                base = rest;
            }
            if let Some(label) = base.split('.').find(|label| label.contains('*')) {
                return Err(wildcard_label_problem(label));
            }
        }

        let host = match wildcard {
            Some(_) => format!("{PLACEHOLDER}.{base}"),
            None => base.to_owned(),
        };
        let port = if any_port { "" } else { port };
        Ok(Wildcards {
            host: wildcard,
            any_port,
            candidate: format!("{userinfo}{host}{port}{tail}"),
        })
    }

    /// `canonical`, the WHATWG serialization of the candidate's origin, with the wildcards put
    /// back.
    fn restore(&self, canonical: &str) -> String {
        let (scheme, rest) = canonical.split_once("://").unwrap_or(("", canonical));
        let host = match self.host {
            Some(wildcard) => match rest
                .strip_prefix(PLACEHOLDER)
                .and_then(|rest| rest.strip_prefix('.'))
            {
                Some(base) => format!("{}.{base}", wildcard.as_str()),
                None => rest.to_owned(),
            },
            None => rest.to_owned(),
        };
        let port = if self.any_port { ":*" } else { "" };
        format!("{scheme}://{host}{port}")
    }
}

/// Why a label with a `*` in it is no wildcard.
fn wildcard_label_problem(label: &str) -> OriginProblem {
    if label.bytes().all(|b| b == b'*') {
        OriginProblem::MisplacedWildcard
    } else {
        OriginProblem::WildcardInsideLabel
    }
}

impl Origin {
    /// Parses one whitelist entry: `*`, `scheme://host[:port]`, or a pattern:
    /// `scheme://*.base[:port]` (one label), `scheme://**.base[:port]` (one or more labels),
    /// with `:*` in place of the port for any port (`http://localhost:*`,
    /// `https://**.example.com:*`).
    ///
    /// The entry must already be canonical (what the WHATWG URL standard serializes for an
    /// origin, as browsers send it, with the wildcards put back); a non-canonical entry is an
    /// error whose [`fix`](OriginError::fix) is the canonical form, never silently rewritten.
    ///
    /// ```
    /// use cors_grammar::{HostPattern, Origin, OriginProblem, PortPattern, Scheme};
    ///
    /// let Origin::Pattern(pattern) = Origin::parse("https://**.example.com").unwrap() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(pattern.scheme(), Scheme::Https);
    /// assert_eq!(pattern.host(), &HostPattern::AnyLabels("example.com".into()));
    /// assert_eq!(pattern.port(), PortPattern::Default);
    ///
    /// let err = Origin::parse("https://**.Example.com:443").unwrap_err();
    /// assert_eq!(err.problem(), &OriginProblem::Uppercase);
    /// assert_eq!(err.fix(), Some("https://**.example.com"));
    /// assert_eq!(
    ///     Origin::parse("https://app.example.com:443").unwrap_err().fix(),
    ///     Some("https://app.example.com"),
    /// );
    /// ```
    pub fn parse(entry: &str) -> Result<Origin, OriginError> {
        match fast::parse(entry) {
            Some(result) => result,
            None => Origin::parse_with_url(entry),
        }
    }

    /// [`Origin::parse`] by the WHATWG URL parser, for every shape of entry (the reference the
    /// fast path of the common shapes is tested against).
    fn parse_with_url(entry: &str) -> Result<Origin, OriginError> {
        let fail = |problem, fix: Option<String>| Err(OriginError::new(entry, problem, fix));

        if entry.is_empty() {
            return fail(OriginProblem::Empty, None);
        }
        if entry.chars().any(char::is_whitespace) {
            // Only whitespace around the entry has an obvious fix. Parsing the trimmed entry
            // again while whitespace is left inside it would never end.
            let trimmed = entry.trim();
            let fix = if trimmed.chars().any(char::is_whitespace) {
                None
            } else {
                match Origin::parse(trimmed) {
                    Ok(origin) => Some(origin.to_string()),
                    Err(err) => err.fix,
                }
            };
            return fail(OriginProblem::Whitespace, fix);
        }
        if entry.eq_ignore_ascii_case("null") {
            return fail(OriginProblem::Null, None);
        }
        if entry == "*" {
            return Ok(Origin::Any);
        }

        let Some((scheme_text, after_scheme)) = entry.split_once("://") else {
            let scheme = if looks_like_loopback(entry) {
                "http"
            } else {
                "https"
            };
            let fix = canonical_fix(&format!("{scheme}://{entry}"));
            return fail(OriginProblem::MissingScheme, fix);
        };
        let lowercase_scheme = scheme_text.to_ascii_lowercase();
        let Some(scheme) = Scheme::from_lowercase(&lowercase_scheme) else {
            return fail(
                OriginProblem::UnsupportedScheme(scheme_text.to_owned()),
                None,
            );
        };

        let wildcards = if after_scheme.contains('*') {
            match Wildcards::find(after_scheme) {
                Ok(wildcards) => Some(wildcards),
                Err(problem) => return fail(problem, None),
            }
        } else {
            None
        };
        let candidate = match &wildcards {
            Some(wildcards) => format!("{scheme_text}://{}", wildcards.candidate),
            None => entry.to_owned(),
        };
        let host_wildcard = wildcards.as_ref().and_then(|w| w.host);
        // Every fix below is the candidate's canonical form, with the wildcards put back.
        let restore = |canonical: String| -> String {
            match &wildcards {
                Some(wildcards) => wildcards.restore(&canonical),
                None => canonical,
            }
        };

        let url = match Url::parse(&candidate) {
            Ok(url) => url,
            Err(err) => {
                let problem = match err {
                    url::ParseError::EmptyHost => OriginProblem::NoHost,
                    url::ParseError::InvalidIpv4Address if host_wildcard.is_some() => {
                        OriginProblem::WildcardOnIp
                    }
                    url::ParseError::InvalidPort => {
                        OriginProblem::Invalid("the port is not a number from 0 to 65535".into())
                    }
                    url::ParseError::IdnaError => {
                        OriginProblem::Invalid("the host is not a valid domain name".into())
                    }
                    url::ParseError::InvalidIpv4Address | url::ParseError::InvalidIpv6Address => {
                        OriginProblem::Invalid("the host is not a valid IP address".into())
                    }
                    other => OriginProblem::Invalid(other.to_string()),
                };
                return fail(problem, None);
            }
        };
        let canonical = url.origin().ascii_serialization();
        // What a fix is: the canonical form with a trailing dot left out as well (browsers send
        // none), the wildcards put back; none when only dots are left of the host.
        let fix = || -> Option<String> {
            let fixed = match url.host() {
                Some(Host::Domain(domain)) if domain.ends_with('.') => {
                    let without_dots = domain.trim_end_matches('.');
                    if without_dots.is_empty() {
                        return None;
                    }
                    canonical.replacen(domain, without_dots, 1)
                }
                _ => canonical.clone(),
            };
            Some(restore(fixed))
        };

        if !url.username().is_empty() || url.password().is_some() {
            return fail(OriginProblem::Userinfo, fix());
        }
        if url.query().is_some() {
            return fail(OriginProblem::Query, fix());
        }
        if url.fragment().is_some() {
            return fail(OriginProblem::Fragment, fix());
        }
        if url.path() != "/" {
            return fail(OriginProblem::Path, fix());
        }
        if candidate.ends_with('/') {
            return fail(OriginProblem::TrailingSlash, fix());
        }
        if url.host_str().is_some_and(|host| host.ends_with('.')) {
            return fail(OriginProblem::TrailingDot, fix());
        }
        if canonical != candidate {
            let problem = if !candidate.is_ascii() {
                OriginProblem::NonAscii
            } else if candidate.bytes().any(|b| b.is_ascii_uppercase()) {
                OriginProblem::Uppercase
            } else if url.port().is_none() && explicit_port(&candidate).is_some() {
                OriginProblem::DefaultPort(url.port_or_known_default().unwrap_or_default())
            } else {
                OriginProblem::NonCanonical
            };
            return fail(problem, fix());
        }

        let Some(wildcards) = wildcards else {
            return Ok(Origin::Exact(canonical));
        };
        let port = match (wildcards.any_port, url.port()) {
            (true, _) => PortPattern::Any,
            (false, Some(port)) => PortPattern::Port(port),
            (false, None) => PortPattern::Default,
        };
        let host = match wildcards.host {
            None => HostPattern::Exact(url.host_str().unwrap_or_default().to_owned()),
            Some(wildcard) => {
                let Some(Host::Domain(domain)) = url.host() else {
                    return fail(OriginProblem::WildcardOnIp, None);
                };
                let base = domain
                    .strip_prefix(PLACEHOLDER)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .unwrap_or(domain);
                if let Err(problem) = check_pattern_base(base) {
                    return fail(problem, None);
                }
                match wildcard {
                    HostWildcard::OneLabel => HostPattern::OneLabel(base.to_owned()),
                    HostWildcard::AnyLabels => HostPattern::AnyLabels(base.to_owned()),
                }
            }
        };
        Ok(Origin::Pattern(OriginPattern { scheme, host, port }))
    }

    /// Whether a network attacker cannot impersonate this origin: `https`, or `http` on a
    /// loopback host (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), for a pattern every
    /// origin it matches.
    ///
    /// ```
    /// use cors_grammar::Origin;
    ///
    /// assert!(Origin::parse("http://localhost:3000").unwrap().is_trustworthy());
    /// assert!(Origin::parse("http://**.localhost:*").unwrap().is_trustworthy());
    /// assert!(!Origin::parse("http://app.example.com").unwrap().is_trustworthy());
    /// assert!(!Origin::parse("http://app.example.com:*").unwrap().is_trustworthy());
    /// ```
    #[must_use]
    pub fn is_trustworthy(&self) -> bool {
        match self {
            Origin::Any => false,
            Origin::Pattern(pattern) => {
                pattern.scheme == Scheme::Https
                    || match &pattern.host {
                        HostPattern::Exact(host) => is_loopback_host(host),
                        HostPattern::OneLabel(base) | HostPattern::AnyLabels(base) => {
                            is_localhost(base)
                        }
                    }
            }
            Origin::Exact(origin) => {
                if origin.starts_with("https://") {
                    return true;
                }
                if let Some(parts) = fast::read(origin)
                    && parts.wildcard.is_none()
                    && parts.port != PortPattern::Any
                {
                    return is_localhost(parts.host);
                }
                let Ok(url) = Url::parse(origin) else {
                    return false;
                };
                url.scheme() == "https" || url.host_str().is_some_and(is_loopback_host)
            }
        }
    }
}

/// The rules every pattern's base (what follows `*.` or `**.`) obeys beyond the URL grammar.
fn check_pattern_base(base: &str) -> Result<(), OriginProblem> {
    if base.split('.').any(str::is_empty) {
        return Err(OriginProblem::Invalid(
            "the host has an empty label (`..`)".into(),
        ));
    }
    check_wildcard_base(base)
}

/// [`check_pattern_base`] but for empty labels: the length, a single label, the public
/// suffixes.
fn check_wildcard_base(base: &str) -> Result<(), OriginProblem> {
    if base.len() + PLACEHOLDER.len() + 1 > MAX_DOMAIN_LENGTH {
        return Err(OriginProblem::Invalid(format!(
            "the host is longer than a domain name can be ({MAX_DOMAIN_LENGTH} characters)"
        )));
    }
    // Every name under `localhost` is the user's own machine (browsers resolve it to loopback
    // without asking DNS), so `*.localhost` is the one pattern over a single label.
    if is_localhost(base) {
        return Ok(());
    }
    if !base.contains('.') {
        return Err(OriginProblem::WildcardTooBroad);
    }
    // Anyone can register a name directly under a public suffix (`github.io`, `co.uk`,
    // `cloudfront.net`), so a pattern there allows strangers.
    let base_suffix = public_suffix::suffix(base);
    if base_suffix == Some(base) {
        return Err(OriginProblem::WildcardUnderPublicSuffix(base.to_owned()));
    }
    // A wildcard rule of the list (`*.sch.uk`) makes every name directly under `base` a public
    // suffix itself: the names a pattern there matches are registries, and below them anyone
    // registers. (`x.base`, on the stack: it fits, by the length check above.)
    let mut child = [0; MAX_DOMAIN_LENGTH];
    let child_len = PLACEHOLDER.len() + 1 + base.len();
    child[..PLACEHOLDER.len()].copy_from_slice(PLACEHOLDER.as_bytes());
    child[PLACEHOLDER.len()] = b'.';
    child[PLACEHOLDER.len() + 1..child_len].copy_from_slice(base.as_bytes());
    let child = std::str::from_utf8(&child[..child_len]).unwrap_or_default();
    if public_suffix::suffix(child).map(str::len) != base_suffix.map(str::len) {
        return Err(OriginProblem::WildcardAbovePublicSuffixes(base.to_owned()));
    }
    Ok(())
}

/// `localhost` or a name under it.
fn is_localhost(domain: &str) -> bool {
    domain == "localhost" || domain.ends_with(".localhost")
}

/// A serialized host (domain, IPv4, `[IPv6]`) that is always this machine.
fn is_loopback_host(host: &str) -> bool {
    if is_localhost(host) {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Any => f.write_str("*"),
            Origin::Exact(origin) => f.write_str(origin),
            Origin::Pattern(pattern) => pattern.fmt(f),
        }
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces written as they are, without format arguments: the runtime lists every
        // pattern of a whitelist in this form at cold start.
        f.write_str(self.scheme.as_str())?;
        f.write_str("://")?;
        let (wildcard, host) = match &self.host {
            HostPattern::Exact(host) => ("", host),
            HostPattern::OneLabel(base) => ("*.", base),
            HostPattern::AnyLabels(base) => ("**.", base),
        };
        f.write_str(wildcard)?;
        f.write_str(host)?;
        match self.port {
            PortPattern::Default => Ok(()),
            PortPattern::Port(port) => write!(f, ":{port}"),
            PortPattern::Any => f.write_str(":*"),
        }
    }
}

/// Splits the value of an origins environment variable into its entries: they are separated by
/// whitespace and/or commas, and empty entries are skipped.
///
/// ```
/// let entries: Vec<_> = cors_grammar::split_origin_list(" https://a.example, https://b.example\n").collect();
/// assert_eq!(entries, ["https://a.example", "https://b.example"]);
/// ```
pub fn split_origin_list(value: &str) -> impl Iterator<Item = &str> {
    // Byte by byte (a variable of a thousand entries is read at cold start), a whole character
    // at a time where one is not ASCII.
    let bytes = value.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            match separator_len(value, at) {
                0 => break,
                len => at += len,
            }
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        loop {
            at += bytes[at..]
                .iter()
                .position(|&byte| ENDS_ASCII_RUN[usize::from(byte)])
                .unwrap_or(bytes.len() - at);
            if at == bytes.len() || separator_len(value, at) != 0 {
                break;
            }
            // A character that is not ASCII, nor whitespace.
            at += value[at..].chars().next().map_or(1, char::len_utf8);
        }
        Some(&value[start..at])
    })
}

/// The bytes that end a run of ASCII characters in an entry: separators and the first byte of
/// a character that is not ASCII.
static ENDS_ASCII_RUN: [bool; 256] = {
    let mut ends = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        ends[byte] = matches!(byte as u8, b',' | b' ' | b'\t'..=b'\r') || byte >= 0x80;
        byte += 1;
    }
    ends
};

/// The length of the separator (a comma or a whitespace character) at byte `at` of `text` (a
/// character boundary), 0 if there is none there.
#[inline]
fn separator_len(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        b',' | b' ' | b'\t'..=b'\r' => 1,
        byte if byte.is_ascii() => 0,
        _ => match text[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
    }
}

/// Why an origin entry was refused, with the canonical form to write instead when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    entry: String,
    problem: OriginProblem,
    fix: Option<String>,
}

impl OriginError {
    /// An error about `entry`, with the entry to write instead when there is one.
    #[must_use]
    pub fn new(entry: &str, problem: OriginProblem, fix: Option<String>) -> Self {
        Self {
            entry: entry.to_owned(),
            problem,
            fix,
        }
    }

    /// The entry as it was written.
    #[must_use]
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// What is wrong with it.
    #[must_use]
    pub fn problem(&self) -> &OriginProblem {
        &self.problem
    }

    /// The canonical entry to write instead, when the intent is clear.
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A pasted file or a runaway variable must not turn into a megabyte of log line.
        const SHOWN: usize = 100;
        match self.entry.char_indices().nth(SHOWN) {
            Some((cut, _)) => write!(
                f,
                "origin `{}…` ({} bytes) {}",
                self.entry[..cut].escape_debug(),
                self.entry.len(),
                self.problem
            )?,
            None => write!(f, "origin `{}` {}", self.entry.escape_debug(), self.problem)?,
        }
        if let Some(fix) = &self.fix {
            write!(f, "; write `{fix}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginError {}

/// What is wrong with an origin entry. Its `Display` reads as a predicate of the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginProblem {
    /// The entry is empty.
    Empty,
    /// The entry contains whitespace.
    Whitespace,
    /// The entry is `null`.
    Null,
    /// The entry has no `scheme://`.
    MissingScheme,
    /// The scheme is neither `http` nor `https`.
    UnsupportedScheme(String),
    /// The WHATWG URL parser refused the entry.
    Invalid(String),
    /// There is no host after `scheme://`.
    NoHost,
    /// The entry has a user name or password.
    Userinfo,
    /// The entry has a path.
    Path,
    /// The entry ends with `/`.
    TrailingSlash,
    /// The entry has a query.
    Query,
    /// The entry has a fragment.
    Fragment,
    /// The entry names its scheme's default port.
    DefaultPort(u16),
    /// The entry has uppercase letters.
    Uppercase,
    /// The host is not ASCII (browsers send punycode).
    NonAscii,
    /// The host ends with a dot.
    TrailingDot,
    /// The entry differs from its WHATWG serialization in some other way.
    NonCanonical,
    /// A `*` that is neither the whole leftmost label (`*.`, `**.`) nor the whole port (`:*`).
    MisplacedWildcard,
    /// A `*` inside a label, beside other characters (`pr-*.example.com`).
    WildcardInsideLabel,
    /// A `*` in the port beside other characters (`:30*`).
    MisplacedPortWildcard,
    /// `*.` or `**.` followed by a single label (other than `localhost`).
    WildcardTooBroad,
    /// `*.` or `**.` in front of an IP address.
    WildcardOnIp,
    /// `*.` or `**.` directly under a public suffix, where anyone can register a name.
    WildcardUnderPublicSuffix(String),
    /// `*.` or `**.` directly under a name whose every subdomain is a public suffix (a wildcard
    /// rule of the list, such as `*.sch.uk`).
    WildcardAbovePublicSuffixes(String),
}

impl fmt::Display for OriginProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const BYTE_FOR_BYTE: &str = "browsers compare origins byte for byte";
        match self {
            OriginProblem::Empty => {
                f.write_str("is empty: an origin looks like `https://app.example.com`")
            }
            OriginProblem::Whitespace => f.write_str("contains whitespace"),
            OriginProblem::Null => f.write_str(
                "is the opaque origin that sandboxed iframes, `file:` pages and `data:` URLs \
                 send: any page can claim it, so it can never be allowed",
            ),
            OriginProblem::MissingScheme => f.write_str(
                "has no scheme: an origin is `scheme://host[:port]`, and the scheme is part of it",
            ),
            OriginProblem::UnsupportedScheme(scheme) => write!(
                f,
                "uses the `{}` scheme: only `https://` and `http://` origins can be listed",
                scheme.escape_debug()
            ),
            OriginProblem::Invalid(reason) => write!(f, "is not a valid origin: {reason}"),
            OriginProblem::NoHost => f.write_str(
                "has no host: an origin is `scheme://host[:port]`, like `https://app.example.com`",
            ),
            OriginProblem::Userinfo => {
                f.write_str("has a user name or password, which an origin never carries")
            }
            OriginProblem::Path => {
                f.write_str("has a path: an origin is only `scheme://host[:port]`")
            }
            OriginProblem::TrailingSlash => write!(
                f,
                "ends with `/`: browsers send the origin without a trailing slash, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginProblem::Query => {
                f.write_str("has a query: an origin is only `scheme://host[:port]`")
            }
            OriginProblem::Fragment => {
                f.write_str("has a fragment: an origin is only `scheme://host[:port]`")
            }
            OriginProblem::DefaultPort(port) => write!(
                f,
                "names the default port {port}: browsers leave it out, and {BYTE_FOR_BYTE}"
            ),
            OriginProblem::Uppercase => write!(
                f,
                "has uppercase letters: browsers send scheme and host in lowercase, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginProblem::NonAscii => {
                f.write_str("has a non-ASCII host: browsers send it in punycode")
            }
            OriginProblem::TrailingDot => write!(
                f,
                "ends its host with a dot: browsers send that as a different origin, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginProblem::NonCanonical => write!(
                f,
                "is not in the form browsers send (the WHATWG URL serialization), and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginProblem::MisplacedWildcard => f.write_str(
                "has a `*` that is not the whole leftmost label nor the whole port: a pattern is \
                 `https://*.example.com` (one label), `https://**.example.com` (one or more \
                 labels) or `http://localhost:*` (any port)",
            ),
            OriginProblem::WildcardInsideLabel => f.write_str(
                "has a `*` inside a label: under a shared suffix such as `vercel.app` or \
                 `netlify.app` anyone can register a name that matches (`https://pr-*.vercel.app` \
                 would allow `https://pr-evil.vercel.app`), so a wildcard is only ever a whole \
                 label; list the origins, use `*.` or `**.` under a domain you own, or a \
                 predicate (`origins_fn`) for names only your code can tell apart",
            ),
            OriginProblem::MisplacedPortWildcard => f.write_str(
                "has a `*` in its port beside other characters: the port is a number, or `:*` \
                 for every port of the host",
            ),
            OriginProblem::WildcardTooBroad => f.write_str(
                "would match every site under a top-level domain: a pattern needs at least two \
                 labels after `*.` or `**.`, like `https://*.example.com` (`localhost` is the one \
                 exception: `http://*.localhost`)",
            ),
            OriginProblem::WildcardOnIp => f.write_str(
                "puts `*.` or `**.` in front of an IP address: those patterns are for domain \
                 names (`:*`, any port, works with an address: `http://127.0.0.1:*`)",
            ),
            OriginProblem::WildcardUnderPublicSuffix(suffix) => write!(
                f,
                "puts its wildcard directly under `{suffix}`, a public suffix where anyone can \
                 register a name: list your origins instead, or put the pattern under a name you \
                 own (`*.yours.{suffix}`)"
            ),
            OriginProblem::WildcardAbovePublicSuffixes(base) => write!(
                f,
                "puts its wildcard directly under `{base}`, whose every subdomain is a public \
                 suffix (per the Public Suffix List), under which anyone can register a name: \
                 list your origins instead, or put the pattern under a name you own"
            ),
        }
    }
}

fn canonical_fix(candidate: &str) -> Option<String> {
    match Origin::parse(candidate) {
        Ok(origin) => Some(origin.to_string()),
        Err(err) => err.fix,
    }
}

fn looks_like_loopback(entry: &str) -> bool {
    let host = entry.split(':').next().unwrap_or(entry);
    host == "localhost" || host.starts_with("127.") || entry.starts_with("[::1]")
}

/// The explicit `:port` of a `scheme://authority` string, if it names one.
fn explicit_port(origin: &str) -> Option<&str> {
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let (host, port) = authority.rsplit_once(':')?;
    let outside_brackets = !host.starts_with('[') || host.ends_with(']');
    (outside_brackets && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .then_some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(entry: &str) -> (OriginProblem, Option<String>) {
        let err = Origin::parse(entry).expect_err(entry);
        (err.problem, err.fix)
    }

    #[test]
    fn accepts_canonical_origins() {
        for entry in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://127.0.0.1:8080",
            "http://[::1]:9000",
            "https://xn--bcher-kva.example",
            "https://app.example.com:8443",
        ] {
            assert_eq!(
                Origin::parse(entry),
                Ok(Origin::Exact(entry.into())),
                "{entry}"
            );
        }
    }

    fn pattern(scheme: Scheme, host: HostPattern, port: PortPattern) -> Origin {
        Origin::Pattern(OriginPattern { scheme, host, port })
    }

    #[test]
    fn accepts_patterns_in_their_canonical_form() {
        use HostPattern::{AnyLabels, Exact, OneLabel};
        use Scheme::{Http, Https};
        let cases: &[(&str, Scheme, HostPattern, PortPattern)] = &[
            (
                "https://*.me.github.io",
                Https,
                OneLabel("me.github.io".into()),
                PortPattern::Default,
            ),
            (
                "https://*.example.co.uk",
                Https,
                OneLabel("example.co.uk".into()),
                PortPattern::Default,
            ),
            (
                "https://*.example.internal",
                Https,
                OneLabel("example.internal".into()),
                PortPattern::Default,
            ),
            (
                "https://*.preview.example.com:8443",
                Https,
                OneLabel("preview.example.com".into()),
                PortPattern::Port(8443),
            ),
            (
                "http://*.example.com",
                Http,
                OneLabel("example.com".into()),
                PortPattern::Default,
            ),
            (
                "https://*.example.com:80",
                Https,
                OneLabel("example.com".into()),
                PortPattern::Port(80),
            ),
            (
                "https://**.example.com",
                Https,
                AnyLabels("example.com".into()),
                PortPattern::Default,
            ),
            (
                "https://**.example.com:*",
                Https,
                AnyLabels("example.com".into()),
                PortPattern::Any,
            ),
            (
                "https://**.example.com:8443",
                Https,
                AnyLabels("example.com".into()),
                PortPattern::Port(8443),
            ),
            (
                "https://**.xn--bcher-kva.example",
                Https,
                AnyLabels("xn--bcher-kva.example".into()),
                PortPattern::Default,
            ),
            // Not a public suffix itself: the runtime keeps a match below `s3.amazonaws.com`
            // out (`HostPattern::AnyLabels`).
            (
                "https://**.amazonaws.com",
                Https,
                AnyLabels("amazonaws.com".into()),
                PortPattern::Default,
            ),
            (
                "http://*.localhost",
                Http,
                OneLabel("localhost".into()),
                PortPattern::Default,
            ),
            (
                "http://**.localhost",
                Http,
                AnyLabels("localhost".into()),
                PortPattern::Default,
            ),
            (
                "http://**.localhost:*",
                Http,
                AnyLabels("localhost".into()),
                PortPattern::Any,
            ),
            (
                "http://*.dev.localhost:3000",
                Http,
                OneLabel("dev.localhost".into()),
                PortPattern::Port(3000),
            ),
            (
                "http://localhost:*",
                Http,
                Exact("localhost".into()),
                PortPattern::Any,
            ),
            (
                "http://127.0.0.1:*",
                Http,
                Exact("127.0.0.1".into()),
                PortPattern::Any,
            ),
            (
                "http://[::1]:*",
                Http,
                Exact("[::1]".into()),
                PortPattern::Any,
            ),
            (
                "https://app.example.com:*",
                Https,
                Exact("app.example.com".into()),
                PortPattern::Any,
            ),
            (
                "http://10.0.0.1:*",
                Http,
                Exact("10.0.0.1".into()),
                PortPattern::Any,
            ),
        ];
        for (entry, scheme, host, port) in cases {
            let parsed = Origin::parse(entry);
            assert_eq!(parsed, Ok(pattern(*scheme, host.clone(), *port)), "{entry}");
            assert_eq!(parsed.unwrap().to_string(), *entry);
        }
    }

    #[test]
    fn refuses_non_canonical_patterns_with_their_canonical_form() {
        let cases: &[(&str, OriginProblem, &str)] = &[
            (
                "https://**.Example.com:443",
                OriginProblem::Uppercase,
                "https://**.example.com",
            ),
            (
                "https://**.example.com:443",
                OriginProblem::DefaultPort(443),
                "https://**.example.com",
            ),
            (
                "http://*.localhost:80",
                OriginProblem::DefaultPort(80),
                "http://*.localhost",
            ),
            (
                "HTTP://LOCALHOST:*",
                OriginProblem::Uppercase,
                "http://localhost:*",
            ),
            (
                "http://127.1:*",
                OriginProblem::NonCanonical,
                "http://127.0.0.1:*",
            ),
            (
                "http://2130706433:*",
                OriginProblem::NonCanonical,
                "http://127.0.0.1:*",
            ),
            (
                "http://[0:0:0:0:0:0:0:1]:*",
                OriginProblem::NonCanonical,
                "http://[::1]:*",
            ),
            (
                "https://*.example.com:08443",
                OriginProblem::NonCanonical,
                "https://*.example.com:8443",
            ),
            (
                "https://**.example.com/",
                OriginProblem::TrailingSlash,
                "https://**.example.com",
            ),
            (
                "http://localhost:*/",
                OriginProblem::TrailingSlash,
                "http://localhost:*",
            ),
            (
                "https://**.example.com/app",
                OriginProblem::Path,
                "https://**.example.com",
            ),
            (
                "https://**.example.com:*?x=1",
                OriginProblem::Query,
                "https://**.example.com:*",
            ),
            (
                "https://**.example.com#top",
                OriginProblem::Fragment,
                "https://**.example.com",
            ),
            (
                "https://user@**.example.com",
                OriginProblem::Userinfo,
                "https://**.example.com",
            ),
            (
                "https://**.example.com.:*",
                OriginProblem::TrailingDot,
                "https://**.example.com:*",
            ),
            (
                "https://**.bücher.example",
                OriginProblem::NonAscii,
                "https://**.xn--bcher-kva.example",
            ),
            (
                "**.example.com",
                OriginProblem::MissingScheme,
                "https://**.example.com",
            ),
            (
                "localhost:*",
                OriginProblem::MissingScheme,
                "http://localhost:*",
            ),
            (
                " http://**.localhost:* ",
                OriginProblem::Whitespace,
                "http://**.localhost:*",
            ),
        ];
        for (entry, want, fix) in cases {
            let (got, got_fix) = problem(entry);
            assert_eq!(&got, want, "{entry}");
            assert_eq!(got_fix.as_deref(), Some(*fix), "{entry}");
            assert_eq!(
                Origin::parse(fix).map(|o| o.to_string()).as_deref(),
                Ok(*fix),
                "the fix of {entry} is itself canonical"
            );
        }
    }

    #[test]
    fn refuses_wildcards_that_are_no_pattern() {
        let cases: &[(&str, OriginProblem)] = &[
            (
                "https://pr-*.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            (
                "https://*-preview.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            ("https://*example.com", OriginProblem::WildcardInsideLabel),
            (
                "https://a*b.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            (
                "https://a.pr-*.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            (
                "https://*.pr-*.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            (
                "https://**a.example.com",
                OriginProblem::WildcardInsideLabel,
            ),
            (
                "https://app.*.example.com",
                OriginProblem::MisplacedWildcard,
            ),
            (
                "https://app.**.example.com",
                OriginProblem::MisplacedWildcard,
            ),
            ("https://*.*.example.com", OriginProblem::MisplacedWildcard),
            ("https://**.*.example.com", OriginProblem::MisplacedWildcard),
            ("https://*.**.example.com", OriginProblem::MisplacedWildcard),
            ("https://***.example.com", OriginProblem::MisplacedWildcard),
            ("https://example.*", OriginProblem::MisplacedWildcard),
            ("https://*", OriginProblem::MisplacedWildcard),
            ("https://**", OriginProblem::MisplacedWildcard),
            ("https://*.", OriginProblem::MisplacedWildcard),
            ("https://**:*", OriginProblem::MisplacedWildcard),
            ("https://example.com/*", OriginProblem::MisplacedWildcard),
            ("https://example.com?*", OriginProblem::MisplacedWildcard),
            ("https://*@example.com", OriginProblem::MisplacedWildcard),
            ("http://localhost:3*", OriginProblem::MisplacedPortWildcard),
            ("http://localhost:*3", OriginProblem::MisplacedPortWildcard),
            ("http://localhost:**", OriginProblem::MisplacedPortWildcard),
            ("http://localhost:*:*", OriginProblem::MisplacedPortWildcard),
            ("http://[::1]:3*", OriginProblem::MisplacedPortWildcard),
            ("https://*.com", OriginProblem::WildcardTooBroad),
            ("https://**.com", OriginProblem::WildcardTooBroad),
            ("https://**.internal:*", OriginProblem::WildcardTooBroad),
            ("https://*.1.2.3", OriginProblem::WildcardOnIp),
            ("https://**.0.0.1:*", OriginProblem::WildcardOnIp),
            ("http://[*::1]:3000", OriginProblem::WildcardOnIp),
            (
                "https://**.github.io",
                OriginProblem::WildcardUnderPublicSuffix("github.io".into()),
            ),
            (
                "https://**.vercel.app:*",
                OriginProblem::WildcardUnderPublicSuffix("vercel.app".into()),
            ),
            (
                "https://**.co.uk",
                OriginProblem::WildcardUnderPublicSuffix("co.uk".into()),
            ),
            (
                "https://**.s3.amazonaws.com",
                OriginProblem::WildcardUnderPublicSuffix("s3.amazonaws.com".into()),
            ),
            (
                "https://*.sch.uk",
                OriginProblem::WildcardAbovePublicSuffixes("sch.uk".into()),
            ),
            (
                "https://**.compute.amazonaws.com",
                OriginProblem::WildcardAbovePublicSuffixes("compute.amazonaws.com".into()),
            ),
        ];
        for (entry, want) in cases {
            let (got, fix) = problem(entry);
            assert_eq!(&got, want, "{entry}");
            assert_eq!(fix, None, "{entry}");
        }
        for entry in [
            "https://*..example.com",
            "https://**.example..com",
            &format!("https://**.{}.example.com", "a.".repeat(120)),
        ] {
            assert!(
                matches!(problem(entry).0, OriginProblem::Invalid(_)),
                "{entry}"
            );
        }
    }

    #[test]
    fn a_fix_is_canonical_in_one_step() {
        // Found by `fixes_are_canonical_and_accepted_entries_display_as_themselves`: a fix kept
        // the host's trailing dot, or was `https://` for a host of dots only.
        for (entry, problem_want, fix) in [
            ("https://a.?", OriginProblem::Query, Some("https://a")),
            (
                "https://a../",
                OriginProblem::TrailingSlash,
                Some("https://a"),
            ),
            ("https://a..", OriginProblem::TrailingDot, Some("https://a")),
            (
                "https://*.example.com./",
                OriginProblem::TrailingSlash,
                Some("https://*.example.com"),
            ),
            ("https://.?", OriginProblem::Query, None),
            ("https://.", OriginProblem::TrailingDot, None),
        ] {
            assert_eq!(
                problem(entry),
                (problem_want, fix.map(str::to_owned)),
                "{entry}"
            );
        }
    }

    #[test]
    fn a_wildcard_inside_a_label_says_why_and_what_to_do() {
        let message = Origin::parse("https://pr-*.example.com")
            .unwrap_err()
            .to_string();
        for needle in [
            "`https://pr-*.example.com` has a `*` inside a label",
            "anyone can register",
            "`https://pr-evil.vercel.app`",
            "list the origins",
            "`*.` or `**.` under a domain you own",
            "a predicate (`origins_fn`)",
        ] {
            assert!(message.contains(needle), "{needle} not in {message}");
        }
    }

    #[test]
    fn refuses_non_canonical_entries_with_their_canonical_form() {
        let cases: &[(&str, OriginProblem, Option<&str>)] = &[
            (
                "https://app.example.com/",
                OriginProblem::TrailingSlash,
                Some("https://app.example.com"),
            ),
            (
                "https://app.example.com/api",
                OriginProblem::Path,
                Some("https://app.example.com"),
            ),
            (
                "https://app.example.com?x=1",
                OriginProblem::Query,
                Some("https://app.example.com"),
            ),
            (
                "https://app.example.com#top",
                OriginProblem::Fragment,
                Some("https://app.example.com"),
            ),
            (
                "https://user:pw@app.example.com",
                OriginProblem::Userinfo,
                Some("https://app.example.com"),
            ),
            (
                "https://app.example.com:443",
                OriginProblem::DefaultPort(443),
                Some("https://app.example.com"),
            ),
            (
                "http://app.example.com:80",
                OriginProblem::DefaultPort(80),
                Some("http://app.example.com"),
            ),
            (
                "https://App.Example.com",
                OriginProblem::Uppercase,
                Some("https://app.example.com"),
            ),
            (
                "HTTPS://app.example.com",
                OriginProblem::Uppercase,
                Some("https://app.example.com"),
            ),
            (
                "https://bücher.example",
                OriginProblem::NonAscii,
                Some("https://xn--bcher-kva.example"),
            ),
            (
                "https://app.example.com.",
                OriginProblem::TrailingDot,
                Some("https://app.example.com"),
            ),
            (
                " https://app.example.com",
                OriginProblem::Whitespace,
                Some("https://app.example.com"),
            ),
            (
                "app.example.com",
                OriginProblem::MissingScheme,
                Some("https://app.example.com"),
            ),
            (
                "localhost:3000",
                OriginProblem::MissingScheme,
                Some("http://localhost:3000"),
            ),
            (
                "https://*.Preview.example.com",
                OriginProblem::Uppercase,
                Some("https://*.preview.example.com"),
            ),
            (
                "https://*.example.com:443",
                OriginProblem::DefaultPort(443),
                Some("https://*.example.com"),
            ),
            (
                "http://0x7f.0.0.1",
                OriginProblem::NonCanonical,
                Some("http://127.0.0.1"),
            ),
        ];
        for (entry, want, fix) in cases {
            let (got, got_fix) = problem(entry);
            assert_eq!(&got, want, "{entry}");
            assert_eq!(got_fix.as_deref(), *fix, "{entry}");
        }
    }

    #[test]
    fn refuses_what_is_no_origin() {
        let cases: &[(&str, OriginProblem)] = &[
            ("", OriginProblem::Empty),
            ("https://app .example.com", OriginProblem::Whitespace),
            (" https://a pp.example.com ", OriginProblem::Whitespace),
            ("https://app.example.com\u{a0}", OriginProblem::Whitespace),
            ("null", OriginProblem::Null),
            ("NULL", OriginProblem::Null),
            (
                "ftp://files.example.com",
                OriginProblem::UnsupportedScheme("ftp".into()),
            ),
            ("https://", OriginProblem::NoHost),
            ("https://*example.com", OriginProblem::WildcardInsideLabel),
            (
                "https://app.*.example.com",
                OriginProblem::MisplacedWildcard,
            ),
            ("https://*.*.example.com", OriginProblem::MisplacedWildcard),
            ("*.example.com", OriginProblem::MissingScheme),
            ("https://*.com", OriginProblem::WildcardTooBroad),
            ("https://*.1.2.3", OriginProblem::WildcardOnIp),
            (
                "https://*.github.io",
                OriginProblem::WildcardUnderPublicSuffix("github.io".into()),
            ),
            (
                "https://*.co.uk",
                OriginProblem::WildcardUnderPublicSuffix("co.uk".into()),
            ),
            (
                "https://*.cloudfront.net",
                OriginProblem::WildcardUnderPublicSuffix("cloudfront.net".into()),
            ),
            (
                "https://*.execute-api.eu-west-1.amazonaws.com",
                OriginProblem::WildcardUnderPublicSuffix(
                    "execute-api.eu-west-1.amazonaws.com".into(),
                ),
            ),
        ];
        for (entry, want) in cases {
            assert_eq!(&problem(entry).0, want, "{entry}");
        }
        assert!(matches!(
            problem("https://app.example.com:99999").0,
            OriginProblem::Invalid(_)
        ));
    }

    #[test]
    fn messages_name_the_entry_and_the_fix() {
        let err = Origin::parse("https://App.example.com/").unwrap_err();
        assert_eq!(
            err.to_string(),
            "origin `https://App.example.com/` ends with `/`: browsers send the origin without a \
             trailing slash, and browsers compare origins byte for byte; write \
             `https://app.example.com`"
        );
    }

    #[test]
    fn trustworthy_is_https_or_loopback() {
        for (entry, want) in [
            ("https://app.example.com", true),
            ("http://localhost:3000", true),
            ("http://dev.localhost", true),
            ("http://127.0.0.1:8080", true),
            ("http://[::1]:8080", true),
            ("http://app.example.com", false),
            ("http://10.0.0.1", false),
            ("http://*.example.com", false),
            ("https://*.example.com", true),
            ("https://**.example.com", true),
            ("http://**.example.com", false),
            ("http://*.localhost", true),
            ("http://**.localhost:*", true),
            ("http://**.dev.localhost", true),
            ("http://localhost:*", true),
            ("http://app.localhost:*", true),
            ("http://127.0.0.1:*", true),
            ("http://127.9.9.9:*", true),
            ("http://[::1]:*", true),
            ("http://10.0.0.1:*", false),
            ("http://app.example.com:*", false),
            ("https://app.example.com:*", true),
            ("http://localhost.example.com:*", false),
            ("http://*.localhost.example.com", false),
        ] {
            assert_eq!(
                Origin::parse(entry).unwrap().is_trustworthy(),
                want,
                "{entry}"
            );
        }
    }

    /// Generated entries: every canonical pattern is accepted and is its own display, every
    /// simple misspelling of one is refused with it as the fix, and whatever the input, a fix is
    /// canonical and an accepted entry displays as itself.
    mod properties {
        use proptest::prelude::*;
        use proptest::sample::select;

        use super::*;

        /// A DNS label as browsers send it (not `xn--`: punycode labels are checked by the
        /// WHATWG parser).
        fn label() -> impl Strategy<Value = String> {
            "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?"
                .prop_filter("not punycode", |l| !l.starts_with("xn--"))
        }

        /// A domain a pattern may sit under: registrable domains, names under them, and
        /// `localhost`.
        fn base() -> impl Strategy<Value = String> {
            (
                prop::collection::vec(label(), 0..3),
                select(vec![
                    "example.com",
                    "example.org",
                    "example.co.uk",
                    "me.github.io",
                    "amazonaws.com",
                    "example.internal",
                    "xn--bcher-kva.example",
                    "localhost",
                ]),
            )
                .prop_map(|(mut labels, domain)| {
                    labels.push(domain.to_owned());
                    labels.join(".")
                })
        }

        fn scheme() -> impl Strategy<Value = Scheme> {
            prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]
        }

        fn port(scheme: Scheme) -> impl Strategy<Value = PortPattern> {
            prop_oneof![
                Just(PortPattern::Default),
                Just(PortPattern::Any),
                (0u16..=65535)
                    .prop_filter("not the default port", move |p| *p != scheme.default_port())
                    .prop_map(PortPattern::Port),
            ]
        }

        /// A canonical pattern entry, and what it parses to.
        fn canonical_pattern() -> impl Strategy<Value = (String, OriginPattern)> {
            scheme().prop_flat_map(|scheme| {
                let host = prop_oneof![
                    base().prop_map(HostPattern::OneLabel),
                    base().prop_map(HostPattern::AnyLabels),
                    base().prop_map(HostPattern::Exact),
                    select(vec!["127.0.0.1", "10.1.2.3", "[::1]", "[2001:db8::1]"])
                        .prop_map(|host| HostPattern::Exact(host.to_owned())),
                ];
                (host, port(scheme)).prop_map(move |(host, port)| {
                    // A pattern without wildcard in its host has `:*` for its port.
                    let port = match host {
                        HostPattern::Exact(_) => PortPattern::Any,
                        _ => port,
                    };
                    let pattern = OriginPattern { scheme, host, port };
                    (pattern.to_string(), pattern)
                })
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn canonical_patterns_are_accepted_as_written((entry, pattern) in canonical_pattern()) {
                let parsed = Origin::parse(&entry);
                prop_assert_eq!(&parsed, &Ok(Origin::Pattern(pattern)), "{}", entry);
                prop_assert_eq!(parsed.unwrap().to_string(), entry);
            }

            #[test]
            fn misspelled_patterns_are_refused_with_the_canonical_form(
                (entry, pattern) in canonical_pattern(),
                which in any::<prop::sample::Index>(),
                at in any::<prop::sample::Index>(),
            ) {
                let (scheme, rest) = entry.split_once("://").unwrap();
                let (host, port) = match rest.rfind(':') {
                    Some(colon) if !rest[colon..].contains(']') => rest.split_at(colon),
                    _ => (rest, ""),
                };
                let mut misspellings = vec![
                    (format!("{entry}/"), OriginProblem::TrailingSlash),
                    (format!("{entry}/app"), OriginProblem::Path),
                    (format!("{entry}?q"), OriginProblem::Query),
                ];
                let letters: Vec<usize> = host
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_lowercase())
                    .map(|(i, _)| i)
                    .collect();
                if !letters.is_empty() {
                    let i = letters[at.index(letters.len())];
                    let mut host = host.to_owned();
                    host[i..=i].make_ascii_uppercase();
                    misspellings.push((format!("{scheme}://{host}{port}"), OriginProblem::Uppercase));
                }
                if pattern.port() == PortPattern::Default {
                    let default = pattern.scheme().default_port();
                    misspellings.push((format!("{entry}:{default}"), OriginProblem::DefaultPort(default)));
                }
                if !matches!(pattern.host(), HostPattern::Exact(host) if !host.ends_with(|c: char| c.is_ascii_lowercase())) {
                    misspellings.push((format!("{scheme}://{host}.{port}"), OriginProblem::TrailingDot));
                }
                let (misspelled, want) = &misspellings[which.index(misspellings.len())];
                let err = Origin::parse(misspelled).unwrap_err();
                prop_assert_eq!(err.problem(), want, "{}", misspelled);
                prop_assert_eq!(err.fix(), Some(entry.as_str()), "{}", misspelled);
            }

            #[test]
            fn fixes_are_canonical_and_accepted_entries_display_as_themselves(
                scheme in select(vec!["https://", "http://", "HTTP://", ""]),
                rest in "[a-zA-Z0-9*.:/@?#\\[\\]-]{0,24}",
            ) {
                let entry = format!("{scheme}{rest}");
                match Origin::parse(&entry) {
                    Ok(origin) => {
                        let shown = origin.to_string();
                        prop_assert_eq!(&shown, &entry);
                        prop_assert_eq!(Origin::parse(&shown), Ok(origin));
                    }
                    Err(err) => {
                        if let Some(fix) = err.fix() {
                            prop_assert_ne!(fix, entry.as_str());
                            match Origin::parse(fix) {
                                Ok(origin) => prop_assert_eq!(origin.to_string(), fix),
                                // Canonical, but refused for another reason (a pattern under a
                                // public suffix): nothing left to rewrite.
                                Err(again) => prop_assert_eq!(again.fix(), None, "{}", fix),
                            }
                        }
                    }
                }
            }
        }
    }

    /// The fast path of the common shapes (`fast.rs`) against the WHATWG parser: the same
    /// answer (the origin, or the problem and the fix) on every input.
    mod fast_path {
        use proptest::prelude::*;
        use proptest::sample::select;

        use super::*;

        /// `is_trustworthy` as it was, by the WHATWG parser alone.
        fn trustworthy_by_url(origin: &Origin) -> bool {
            match origin {
                Origin::Exact(origin) => Url::parse(origin).is_ok_and(|url| {
                    url.scheme() == "https" || url.host_str().is_some_and(is_loopback_host)
                }),
                other => other.is_trustworthy(),
            }
        }

        fn same_answer(entry: &str) -> Result<(), TestCaseError> {
            let fast = Origin::parse(entry);
            let reference = Origin::parse_with_url(entry);
            prop_assert_eq!(&fast, &reference, "{:?}", entry);
            if let Ok(origin) = &fast {
                prop_assert_eq!(
                    origin.is_trustworthy(),
                    trustworthy_by_url(origin),
                    "{:?}",
                    entry
                );
            }
            Ok(())
        }

        /// A label near the fast path's: lowercase, digits, hyphens, sometimes uppercase,
        /// punycode, all digits, hexadecimal, empty.
        fn label() -> impl Strategy<Value = String> {
            prop_oneof![
                6 => "[a-z0-9][a-z0-9-]{0,6}[a-z0-9]",
                2 => "[a-z0-9-]{0,4}",
                1 => "[a-zA-Z0-9-]{1,5}",
                1 => "xn--[a-z0-9-]{0,8}",
                1 => "[0-9]{1,3}",
                1 => "0x[0-9a-f]{0,3}",
                1 => "[a-z]{1,3}-{2}[a-z]{1,3}",
                1 => select(vec![
                    "localhost", "example", "com", "co", "uk", "github", "io", "amazonaws",
                    "s3", "sch", "kawasaki", "jp", "internal", "a".repeat(63).leak(),
                    "a".repeat(64).leak(), "\u{e9}t\u{e9}",
                ]).prop_map(str::to_owned),
            ]
        }

        fn near_canonical() -> impl Strategy<Value = String> {
            (
                select(vec![
                    "https://",
                    "http://",
                    "HTTP://",
                    "https:/",
                    "ftp://",
                    "",
                    "https://u@",
                ]),
                select(vec![
                    "", "", "", "*.", "**.", "*", "***.", "x*.", ".", "*.*.",
                ]),
                prop::collection::vec(label(), 1..5),
                select(vec!["", "", "."]),
                prop_oneof![
                    3 => select(vec![
                        "", "", "", ":", ":0", ":80", ":443", ":8080", ":08080", ":65535",
                        ":65536", ":99999", ":*", ":**", ":1*", ":+1", ":1a",
                    ]).prop_map(str::to_owned),
                    1 => (0u32..70_000).prop_map(|port| format!(":{port}")),
                ],
                select(vec!["", "", "", "/", "/path", "?q", "#f", "@x", " "]),
            )
                .prop_map(|(scheme, wildcard, labels, dot, port, tail)| {
                    format!("{scheme}{wildcard}{}{dot}{port}{tail}", labels.join("."))
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4096))]

            #[test]
            fn near_canonical_entries(entry in near_canonical()) {
                same_answer(&entry)?;
            }

            #[test]
            fn arbitrary_entries(
                scheme in select(vec!["https://", "http://", ""]),
                rest in "[a-z0-9*.:/@?#\\[\\]A-Z%-]{0,30}",
            ) {
                same_answer(&format!("{scheme}{rest}"))?;
            }

            #[test]
            fn arbitrary_text(entry in "\\PC{0,40}") {
                same_answer(&entry)?;
            }

            /// The common shapes do take the fast path.
            #[test]
            fn canonical_entries_take_the_fast_path(
                scheme in select(vec!["https://", "http://"]),
                wildcard in select(vec!["", "*.", "**."]),
                labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", 0..3),
                domain in select(vec!["example.com", "example.co.uk", "localhost", "example.internal"]),
                port in select(vec!["", ":8443", ":3000", ":*"]),
            ) {
                prop_assume!(labels.iter().all(|label| !label.contains("--")));
                let mut labels = labels;
                labels.push(domain.to_owned());
                let entry = format!("{scheme}{wildcard}{}{port}", labels.join("."));
                prop_assert!(fast::parse(&entry).is_some(), "{}", entry);
                same_answer(&entry)?;
            }
        }
    }

    mod split {
        use proptest::prelude::*;

        use crate::split_origin_list;

        proptest! {
            /// The entries are what splitting on commas and whitespace (`char::is_whitespace`)
            /// and dropping empty pieces gives.
            #[test]
            fn entries_are_what_is_between_commas_and_whitespace(
                value in "[a-z:/,. \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}\u{e9}\u{1f600}-]{0,40}",
            ) {
                let want: Vec<&str> = value
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|entry| !entry.is_empty())
                    .collect();
                let got: Vec<&str> = split_origin_list(&value).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
