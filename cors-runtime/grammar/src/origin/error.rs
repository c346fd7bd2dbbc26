//! Why an entry is refused, in the words both sides give.

use std::fmt;

/// Why an origin entry was refused, with the canonical form to write instead when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginEntryError {
    entry: String,
    pub(super) problem: OriginEntryProblem,
    pub(super) fix: Option<String>,
}

impl OriginEntryError {
    /// An error about `entry`, with the entry to write instead when there is one.
    #[must_use]
    pub fn new(entry: &str, problem: OriginEntryProblem, fix: Option<String>) -> Self {
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
    pub fn problem(&self) -> &OriginEntryProblem {
        &self.problem
    }

    /// The same error without a fix (when the fix would itself be refused).
    pub(crate) fn without_fix(self) -> Self {
        Self { fix: None, ..self }
    }

    /// The canonical entry to write instead, when the intent is clear.
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }
}

impl fmt::Display for OriginEntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "origin {} {}", Shown(&self.entry), self.problem)?;
        if let Some(fix) = &self.fix {
            write!(f, "; write `{fix}`")?;
        }
        Ok(())
    }
}

/// Text from a configuration as a message shows it: in backticks, control characters escaped
/// (quotes are not: a message about a quoted value shows the quotes as written), cut after 100
/// characters with its length in bytes (a pasted file or a runaway variable must not turn into a
/// megabyte of log line).
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 100;
        let cut = self.0.char_indices().nth(SHOWN).map(|(cut, _)| cut);
        f.write_str("`")?;
        for c in self.0[..cut.unwrap_or(self.0.len())].chars() {
            match c {
                '"' | '\'' => write!(f, "{c}")?,
                c => write!(f, "{}", c.escape_debug())?,
            }
        }
        match cut {
            Some(_) => write!(f, "…` ({} bytes)", self.0.len()),
            None => f.write_str("`"),
        }
    }
}

impl std::error::Error for OriginEntryError {}

/// What is wrong with an origin entry. Its `Display` reads as a predicate of the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginEntryProblem {
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

impl fmt::Display for OriginEntryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const BYTE_FOR_BYTE: &str = "browsers compare origins byte for byte";
        match self {
            OriginEntryProblem::Empty => {
                f.write_str("is empty: an origin looks like `https://app.example.com`")
            }
            OriginEntryProblem::Whitespace => f.write_str("contains whitespace"),
            OriginEntryProblem::Null => f.write_str(
                "is the opaque origin that sandboxed iframes, `file:` pages and `data:` URLs \
                 send: any page can claim it, so it can never be allowed",
            ),
            OriginEntryProblem::MissingScheme => f.write_str(
                "has no scheme: an origin is `scheme://host[:port]`, and the scheme is part of it",
            ),
            OriginEntryProblem::UnsupportedScheme(scheme) => write!(
                f,
                "uses the `{}` scheme: only `https://` and `http://` origins can be listed",
                scheme.escape_debug()
            ),
            OriginEntryProblem::Invalid(reason) => write!(f, "is not a valid origin: {reason}"),
            OriginEntryProblem::NoHost => f.write_str(
                "has no host: an origin is `scheme://host[:port]`, like `https://app.example.com`",
            ),
            OriginEntryProblem::Userinfo => {
                f.write_str("has a user name or password, which an origin never carries")
            }
            OriginEntryProblem::Path => {
                f.write_str("has a path: an origin is only `scheme://host[:port]`")
            }
            OriginEntryProblem::TrailingSlash => write!(
                f,
                "ends with `/`: browsers send the origin without a trailing slash, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginEntryProblem::Query => {
                f.write_str("has a query: an origin is only `scheme://host[:port]`")
            }
            OriginEntryProblem::Fragment => {
                f.write_str("has a fragment: an origin is only `scheme://host[:port]`")
            }
            OriginEntryProblem::DefaultPort(port) => write!(
                f,
                "names the default port {port}: browsers leave it out, and {BYTE_FOR_BYTE}"
            ),
            OriginEntryProblem::Uppercase => write!(
                f,
                "has uppercase letters: browsers send scheme and host in lowercase, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginEntryProblem::NonAscii => {
                f.write_str("has a non-ASCII host: browsers send it in punycode")
            }
            OriginEntryProblem::TrailingDot => write!(
                f,
                "ends its host with a dot: browsers send that as a different origin, and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginEntryProblem::NonCanonical => write!(
                f,
                "is not in the form browsers send (the WHATWG URL serialization), and \
                 {BYTE_FOR_BYTE}"
            ),
            OriginEntryProblem::MisplacedWildcard => f.write_str(
                "has a `*` that is not the whole leftmost label nor the whole port: a pattern is \
                 `https://*.example.com` (one label), `https://**.example.com` (one or more \
                 labels) or `http://localhost:*` (any port)",
            ),
            OriginEntryProblem::WildcardInsideLabel => f.write_str(
                "has a `*` inside a label: under a shared suffix such as `vercel.app` or \
                 `netlify.app` anyone can register a name that matches (`https://pr-*.vercel.app` \
                 would allow `https://pr-evil.vercel.app`), so a wildcard is only ever a whole \
                 label; list the origins, use `*.` or `**.` under a domain you own, or a \
                 predicate (`origins_fn`) for names only your code can tell apart",
            ),
            OriginEntryProblem::MisplacedPortWildcard => f.write_str(
                "has a `*` in its port beside other characters: the port is a number, or `:*` \
                 for every port of the host",
            ),
            OriginEntryProblem::WildcardTooBroad => f.write_str(
                "would match every site under a top-level domain: a pattern needs at least two \
                 labels after `*.` or `**.`, like `https://*.example.com` (`localhost` is the one \
                 exception: `http://*.localhost`)",
            ),
            OriginEntryProblem::WildcardOnIp => f.write_str(
                "puts `*.` or `**.` in front of an IP address: those patterns are for domain \
                 names (`:*`, any port, works with an address: `http://127.0.0.1:*`)",
            ),
            OriginEntryProblem::WildcardUnderPublicSuffix(suffix) => write!(
                f,
                "puts its wildcard directly under `{suffix}`, a public suffix where anyone can \
                 register a name: list your origins instead, or put the pattern under a name you \
                 own (`*.yours.{suffix}`)"
            ),
            OriginEntryProblem::WildcardAbovePublicSuffixes(base) => write!(
                f,
                "puts its wildcard directly under `{base}`, whose every subdomain is a public \
                 suffix (per the Public Suffix List), under which anyone can register a name: \
                 list your origins instead, or put the pattern under a name you own"
            ),
        }
    }
}
