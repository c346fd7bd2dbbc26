use std::fmt;

use url::{Host, Url};

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
    /// `scheme://*.parent[:port]`: any origin with that scheme and port whose host is one DNS
    /// label followed by `.parent`, as a TLS wildcard certificate matches.
    Subdomains {
        /// The scheme every matching origin has.
        scheme: Scheme,
        /// What follows `*.`: the parent domain and, when it is not the scheme's default, `:port`.
        parent: String,
    },
}

/// The placeholder label put where `*` stands, so that the WHATWG parser can read a pattern.
const PLACEHOLDER: &str = "x";

impl Origin {
    /// Parses one whitelist entry: `*`, `scheme://host[:port]` or `scheme://*.parent[:port]`.
    ///
    /// The entry must already be canonical (what the WHATWG URL standard serializes for an
    /// origin, as browsers send it); a non-canonical entry is an error whose
    /// [`fix`](OriginError::fix) is the canonical form, never silently rewritten.
    ///
    /// ```
    /// use cors_grammar::{Origin, OriginProblem, Scheme};
    ///
    /// assert_eq!(
    ///     Origin::parse("https://*.preview.example.com").unwrap(),
    ///     Origin::Subdomains { scheme: Scheme::Https, parent: "preview.example.com".into() },
    /// );
    /// let err = Origin::parse("https://app.example.com:443").unwrap_err();
    /// assert_eq!(err.problem(), &OriginProblem::DefaultPort(443));
    /// assert_eq!(err.fix(), Some("https://app.example.com"));
    /// ```
    pub fn parse(entry: &str) -> Result<Origin, OriginError> {
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

        let is_pattern = after_scheme.contains('*');
        let candidate = if is_pattern {
            match after_scheme.strip_prefix("*.") {
                Some(parent) if !parent.contains('*') => {
                    format!("{scheme_text}://{PLACEHOLDER}.{parent}")
                }
                _ => return fail(OriginProblem::MisplacedWildcard, None),
            }
        } else {
            entry.to_owned()
        };
        // Every fix below is the candidate's canonical form, with `*` put back for a pattern.
        let restore = |canonical: String| -> String {
            if is_pattern {
                canonical.replacen(&format!("://{PLACEHOLDER}."), "://*.", 1)
            } else {
                canonical
            }
        };

        let url = match Url::parse(&candidate) {
            Ok(url) => url,
            Err(err) => {
                let problem = match err {
                    url::ParseError::EmptyHost => OriginProblem::NoHost,
                    url::ParseError::InvalidIpv4Address if is_pattern => {
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

        if !url.username().is_empty() || url.password().is_some() {
            return fail(OriginProblem::Userinfo, Some(restore(canonical)));
        }
        if url.query().is_some() {
            return fail(OriginProblem::Query, Some(restore(canonical)));
        }
        if url.fragment().is_some() {
            return fail(OriginProblem::Fragment, Some(restore(canonical)));
        }
        if url.path() != "/" {
            return fail(OriginProblem::Path, Some(restore(canonical)));
        }
        if candidate.ends_with('/') {
            return fail(OriginProblem::TrailingSlash, Some(restore(canonical)));
        }
        if let Some(Host::Domain(domain)) = url.host() {
            if let Some(without_dot) = domain.strip_suffix('.') {
                let fix = canonical.replacen(domain, without_dot, 1);
                return fail(OriginProblem::TrailingDot, Some(restore(fix)));
            }
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
            return fail(problem, Some(restore(canonical)));
        }

        if !is_pattern {
            return Ok(Origin::Exact(canonical));
        }
        let Some(Host::Domain(domain)) = url.host() else {
            return fail(OriginProblem::WildcardOnIp, None);
        };
        let parent = domain
            .strip_prefix(PLACEHOLDER)
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(domain);
        if !parent.contains('.') {
            return fail(OriginProblem::WildcardTooBroad, None);
        }
        // Anyone can register a name directly under a public suffix (`github.io`, `co.uk`,
        // `cloudfront.net`), so a pattern there allows strangers. The list is Mozilla's Public
        // Suffix List, as the `psl` crate compiles it.
        if psl::suffix(parent.as_bytes())
            .is_some_and(|suffix| suffix.as_bytes() == parent.as_bytes())
        {
            return fail(
                OriginProblem::WildcardUnderPublicSuffix(parent.to_owned()),
                None,
            );
        }
        let parent = match url.port() {
            Some(port) => format!("{parent}:{port}"),
            None => parent.to_owned(),
        };
        Ok(Origin::Subdomains { scheme, parent })
    }

    /// Whether a network attacker cannot impersonate this origin: `https`, or `http` on a
    /// loopback host (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`).
    ///
    /// ```
    /// use cors_grammar::Origin;
    ///
    /// assert!(Origin::parse("http://localhost:3000").unwrap().is_trustworthy());
    /// assert!(!Origin::parse("http://app.example.com").unwrap().is_trustworthy());
    /// ```
    #[must_use]
    pub fn is_trustworthy(&self) -> bool {
        match self {
            Origin::Any => false,
            Origin::Subdomains { scheme, parent } => {
                *scheme == Scheme::Https || host_of(parent) == "localhost"
            }
            Origin::Exact(origin) => {
                let Ok(url) = Url::parse(origin) else {
                    return false;
                };
                url.scheme() == "https"
                    || match url.host() {
                        Some(Host::Domain(domain)) => {
                            domain == "localhost" || domain.ends_with(".localhost")
                        }
                        Some(Host::Ipv4(ip)) => ip.is_loopback(),
                        Some(Host::Ipv6(ip)) => ip.is_loopback(),
                        None => false,
                    }
            }
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Any => f.write_str("*"),
            Origin::Exact(origin) => f.write_str(origin),
            Origin::Subdomains { scheme, parent } => write!(f, "{}://*.{parent}", scheme.as_str()),
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
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|entry| !entry.is_empty())
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
    /// A `*` that is not the whole leftmost label.
    MisplacedWildcard,
    /// `*.` followed by a single label.
    WildcardTooBroad,
    /// `*.` in front of an IP address.
    WildcardOnIp,
    /// `*.` directly under a public suffix, where anyone can register a name.
    WildcardUnderPublicSuffix(String),
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
                "has a `*` that is not the whole leftmost label: a pattern looks like \
                 `https://*.example.com` and matches exactly one label",
            ),
            OriginProblem::WildcardTooBroad => f.write_str(
                "would match every site under a top-level domain: a `*.` pattern needs at least \
                 two labels after it, like `https://*.example.com`",
            ),
            OriginProblem::WildcardOnIp => {
                f.write_str("puts `*.` in front of an IP address: patterns are for domain names")
            }
            OriginProblem::WildcardUnderPublicSuffix(suffix) => write!(
                f,
                "puts `*.` directly under `{suffix}`, a public suffix where anyone can register \
                 a name: list your origins instead, or put the pattern under a name you own \
                 (`*.yours.{suffix}`)"
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

fn host_of(host_and_port: &str) -> &str {
    host_and_port
        .rsplit_once(':')
        .map_or(host_and_port, |(host, _)| host)
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

    #[test]
    fn accepts_patterns_of_one_label() {
        for entry in [
            "https://*.me.github.io",
            "https://*.example.co.uk",
            "https://*.example.internal",
        ] {
            assert!(Origin::parse(entry).is_ok(), "{entry}");
        }
        assert_eq!(
            Origin::parse("https://*.preview.example.com:8443"),
            Ok(Origin::Subdomains {
                scheme: Scheme::Https,
                parent: "preview.example.com:8443".into()
            })
        );
        assert_eq!(
            Origin::parse("http://*.example.com").unwrap().to_string(),
            "http://*.example.com"
        );
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
            ("https://*example.com", OriginProblem::MisplacedWildcard),
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
        ] {
            assert_eq!(
                Origin::parse(entry).unwrap().is_trustworthy(),
                want,
                "{entry}"
            );
        }
    }
}
