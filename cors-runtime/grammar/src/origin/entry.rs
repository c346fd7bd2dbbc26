//! An allowed-origin entry: what it may be, how it is read (the fast path first, then the WHATWG
//! URL parser), and whether a network attacker can impersonate what it allows.

use std::fmt;

use url::{Host, Url};

use super::host::{domain_problem, is_localhost, is_loopback_host};
use super::pattern::{HostWildcard, PLACEHOLDER, Wildcards, check_wildcard_base};
use super::{
    HostPattern, OriginEntryError, OriginEntryProblem, OriginPattern, PortPattern, Scheme, fast,
};

/// One entry of an origin whitelist, validated and canonical.
///
/// Its [`Display`](fmt::Display) form is the canonical entry as a user writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OriginEntry {
    /// `*`: any origin (never together with credentials).
    Any,
    /// One serialized origin, `scheme://host[:port]`, exactly as browsers send it.
    Exact(String),
    /// An origin with wildcards: `scheme://*.base[:port]`, `scheme://**.base[:port]`, or
    /// `scheme://host:*`, `scheme://*.base:*`, `scheme://**.base:*`.
    Pattern(OriginPattern),
}

impl OriginEntry {
    /// Parses one whitelist entry: `*`, `scheme://host[:port]`, or a pattern:
    /// `scheme://*.base[:port]` (one label), `scheme://**.base[:port]` (one or more labels),
    /// with `:*` in place of the port for any port (`http://localhost:*`,
    /// `https://**.example.com:*`).
    ///
    /// The entry must already be canonical (what the WHATWG URL standard serializes for an
    /// origin, as browsers send it, with the wildcards put back); a non-canonical entry is an
    /// error whose [`fix`](OriginEntryError::fix) is the canonical form, never silently rewritten.
    ///
    /// ```
    /// use cors_grammar::{HostPattern, OriginEntry, OriginEntryProblem, PortPattern, Scheme};
    ///
    /// let entry = OriginEntry::parse("https://**.example.com").unwrap();
    /// let OriginEntry::Pattern(pattern) = entry else {
    ///     unreachable!()
    /// };
    /// assert_eq!(pattern.scheme(), Scheme::Https);
    /// assert_eq!(pattern.host(), &HostPattern::AnyLabels("example.com".into()));
    /// assert_eq!(pattern.port(), PortPattern::Default);
    ///
    /// let err = OriginEntry::parse("https://**.Example.com:443").unwrap_err();
    /// assert_eq!(err.problem(), &OriginEntryProblem::Uppercase);
    /// assert_eq!(err.fix(), Some("https://**.example.com"));
    /// assert_eq!(
    ///     OriginEntry::parse("https://app.example.com:443").unwrap_err().fix(),
    ///     Some("https://app.example.com"),
    /// );
    /// ```
    pub fn parse(entry: &str) -> Result<OriginEntry, OriginEntryError> {
        match fast::parse(entry) {
            Some(result) => result,
            None => OriginEntry::parse_with_url(entry),
        }
    }

    /// [`OriginEntry::parse`] by the WHATWG URL parser, for every shape of entry (the reference the
    /// fast path of the common shapes is tested against).
    pub(super) fn parse_with_url(entry: &str) -> Result<OriginEntry, OriginEntryError> {
        let fail = |problem, fix: Option<String>| Err(OriginEntryError::new(entry, problem, fix));

        if entry.is_empty() {
            return fail(OriginEntryProblem::Empty, None);
        }
        if entry.chars().any(char::is_whitespace) {
            // Only whitespace around the entry has an obvious fix. Parsing the trimmed entry
            // again while whitespace is left inside it would never end.
            let trimmed = entry.trim();
            let fix = if trimmed.chars().any(char::is_whitespace) {
                None
            } else {
                match OriginEntry::parse(trimmed) {
                    Ok(origin) => Some(origin.to_string()),
                    Err(err) => err.fix,
                }
            };
            return fail(OriginEntryProblem::Whitespace, fix);
        }
        if entry.eq_ignore_ascii_case("null") {
            return fail(OriginEntryProblem::Null, None);
        }
        if entry == "*" {
            return Ok(OriginEntry::Any);
        }

        let Some((scheme_text, after_scheme)) = entry.split_once("://") else {
            let scheme = if looks_like_loopback(entry) {
                "http"
            } else {
                "https"
            };
            let fix = canonical_fix(&format!("{scheme}://{entry}"));
            return fail(OriginEntryProblem::MissingScheme, fix);
        };
        let lowercase_scheme = scheme_text.to_ascii_lowercase();
        let Some(scheme) = Scheme::from_lowercase(&lowercase_scheme) else {
            return fail(
                OriginEntryProblem::UnsupportedScheme(scheme_text.to_owned()),
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
                    url::ParseError::EmptyHost => OriginEntryProblem::NoHost,
                    url::ParseError::InvalidIpv4Address if host_wildcard.is_some() => {
                        OriginEntryProblem::WildcardOnIp
                    }
                    url::ParseError::InvalidPort => OriginEntryProblem::Invalid(
                        "the port is not a number from 0 to 65535".into(),
                    ),
                    url::ParseError::IdnaError => {
                        OriginEntryProblem::Invalid("the host is not a valid domain name".into())
                    }
                    url::ParseError::InvalidIpv4Address | url::ParseError::InvalidIpv6Address => {
                        OriginEntryProblem::Invalid("the host is not a valid IP address".into())
                    }
                    other => OriginEntryProblem::Invalid(other.to_string()),
                };
                return fail(problem, None);
            }
        };
        // A host DNS cannot resolve (an empty label, a character no domain name has) has no
        // fix to offer. Trailing dots have their own problem, and a fix, below.
        if let Some(Host::Domain(domain)) = url.host() {
            let name = domain.trim_end_matches('.');
            if let Some(problem) = domain_problem(name).filter(|_| !name.is_empty()) {
                return fail(OriginEntryProblem::Invalid(problem.reason()), None);
            }
        }
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
            return fail(OriginEntryProblem::Userinfo, fix());
        }
        if url.query().is_some() {
            return fail(OriginEntryProblem::Query, fix());
        }
        if url.fragment().is_some() {
            return fail(OriginEntryProblem::Fragment, fix());
        }
        if url.path() != "/" {
            return fail(OriginEntryProblem::Path, fix());
        }
        if candidate.ends_with('/') {
            return fail(OriginEntryProblem::TrailingSlash, fix());
        }
        if url.host_str().is_some_and(|host| host.ends_with('.')) {
            return fail(OriginEntryProblem::TrailingDot, fix());
        }
        if canonical != candidate {
            let problem = if !candidate.is_ascii() {
                OriginEntryProblem::NonAscii
            } else if candidate.bytes().any(|b| b.is_ascii_uppercase()) {
                OriginEntryProblem::Uppercase
            } else if url.port().is_none() && explicit_port(&candidate).is_some() {
                OriginEntryProblem::DefaultPort(url.port_or_known_default().unwrap_or_default())
            } else {
                OriginEntryProblem::NonCanonical
            };
            return fail(problem, fix());
        }

        let Some(wildcards) = wildcards else {
            return Ok(OriginEntry::Exact(canonical));
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
                    return fail(OriginEntryProblem::WildcardOnIp, None);
                };
                let base = domain
                    .strip_prefix(PLACEHOLDER)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .unwrap_or(domain);
                if let Err(problem) = check_wildcard_base(base) {
                    return fail(problem, None);
                }
                match wildcard {
                    HostWildcard::OneLabel => HostPattern::OneLabel(base.to_owned()),
                    HostWildcard::AnyLabels => HostPattern::AnyLabels(base.to_owned()),
                }
            }
        };
        Ok(OriginEntry::Pattern(OriginPattern { scheme, host, port }))
    }

    /// Whether a network attacker cannot impersonate this origin: `https`, or `http` on a
    /// loopback host (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), for a pattern every
    /// origin it matches.
    ///
    /// ```
    /// use cors_grammar::OriginEntry;
    ///
    /// assert!(OriginEntry::parse("http://localhost:3000").unwrap().is_trustworthy());
    /// assert!(OriginEntry::parse("http://**.localhost:*").unwrap().is_trustworthy());
    /// assert!(!OriginEntry::parse("http://app.example.com").unwrap().is_trustworthy());
    /// assert!(!OriginEntry::parse("http://app.example.com:*").unwrap().is_trustworthy());
    /// ```
    #[must_use]
    pub fn is_trustworthy(&self) -> bool {
        match self {
            OriginEntry::Any => false,
            OriginEntry::Pattern(pattern) => {
                pattern.scheme == Scheme::Https
                    || match &pattern.host {
                        HostPattern::Exact(host) => is_loopback_host(host),
                        HostPattern::OneLabel(base) | HostPattern::AnyLabels(base) => {
                            is_localhost(base)
                        }
                    }
            }
            OriginEntry::Exact(origin) => {
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

impl fmt::Display for OriginEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginEntry::Any => f.write_str("*"),
            OriginEntry::Exact(origin) => f.write_str(origin),
            OriginEntry::Pattern(pattern) => pattern.fmt(f),
        }
    }
}

fn canonical_fix(candidate: &str) -> Option<String> {
    match OriginEntry::parse(candidate) {
        Ok(origin) => Some(origin.to_string()),
        Err(err) => err.fix,
    }
}

/// Whether `entry`, written without a scheme, names a loopback host (then `http://` is what
/// it lacks): its host as the WHATWG parser reads it, without the wildcards.
fn looks_like_loopback(entry: &str) -> bool {
    let entry = entry.strip_suffix(":*").unwrap_or(entry);
    let entry = ["**.", "*."]
        .iter()
        .find_map(|wildcard| entry.strip_prefix(wildcard))
        .unwrap_or(entry);
    Url::parse(&format!("http://{entry}"))
        .is_ok_and(|url| url.host_str().is_some_and(is_loopback_host))
}

/// The explicit `:port` of a `scheme://authority` string, if it names one.
fn explicit_port(origin: &str) -> Option<&str> {
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let (host, port) = authority.rsplit_once(':')?;
    let outside_brackets = !host.starts_with('[') || host.ends_with(']');
    (outside_brackets && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .then_some(port)
}
