//! Patterns: which hosts and ports an entry with wildcards stands for, where a `*` may be
//! written, and under which names a pattern may sit.

use std::fmt;

use super::host::{DomainProblem, MAX_DOMAIN_LENGTH, is_localhost};
use super::{OriginEntryProblem, Scheme};
use crate::public_suffix;

/// An origin entry with wildcards: which hosts and which ports it stands for, with one scheme.
///
/// Built only by [`OriginEntry::parse`](crate::OriginEntry::parse), so it is always canonical
/// and never a plain origin (at least one of its host and port is a wildcard).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    pub(super) scheme: Scheme,
    pub(super) host: HostPattern,
    pub(super) port: PortPattern,
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
pub(super) const PLACEHOLDER: &str = "x";

/// The wildcards of an entry, found before the WHATWG parser reads it.
pub(super) struct Wildcards {
    /// `*.` or `**.` in front of the host.
    pub(super) host: Option<HostWildcard>,
    /// `:*` as the port.
    pub(super) any_port: bool,
    /// What follows `scheme://` with the host's wildcard replaced by [`PLACEHOLDER`] and `:*`
    /// left out: an entry the WHATWG parser reads as it reads an origin.
    pub(super) candidate: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HostWildcard {
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
    pub(super) fn find(after_scheme: &str) -> Result<Self, OriginEntryProblem> {
        let authority_end = after_scheme
            .find(['/', '?', '#'])
            .unwrap_or(after_scheme.len());
        let (authority, tail) = after_scheme.split_at(authority_end);
        let (userinfo, host_and_port) = match authority.rfind('@') {
            Some(at) => authority.split_at(at + 1),
            None => ("", authority),
        };
        if tail.contains('*') || userinfo.contains('*') {
            return Err(OriginEntryProblem::MisplacedWildcard);
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
            _ if port.contains('*') => return Err(OriginEntryProblem::MisplacedPortWildcard),
            _ => false,
        };

        let mut wildcard = None;
        let mut base = host;
        if host.contains('*') {
            if host.starts_with('[') {
                return Err(OriginEntryProblem::WildcardOnIp);
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
                    return Err(OriginEntryProblem::MisplacedWildcard);
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
    pub(super) fn restore(&self, canonical: &str) -> String {
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
fn wildcard_label_problem(label: &str) -> OriginEntryProblem {
    if label.bytes().all(|b| b == b'*') {
        OriginEntryProblem::MisplacedWildcard
    } else {
        OriginEntryProblem::WildcardInsideLabel
    }
}

/// The rules every pattern's base (what follows `*.` or `**.`, already a domain name) obeys
/// beyond the URL grammar: the length, more than a single label, the public suffixes.
pub(super) fn check_wildcard_base(base: &str) -> Result<(), OriginEntryProblem> {
    if base.len() + PLACEHOLDER.len() + 1 > MAX_DOMAIN_LENGTH {
        return Err(OriginEntryProblem::Invalid(DomainProblem::TooLong.reason()));
    }
    // Every name under `localhost` is the user's own machine (browsers resolve it to loopback
    // without asking DNS), so `*.localhost` is the one pattern over a single label.
    if is_localhost(base) {
        return Ok(());
    }
    if !base.contains('.') {
        return Err(OriginEntryProblem::WildcardTooBroad);
    }
    // Anyone can register a name directly under a public suffix (`github.io`, `co.uk`,
    // `cloudfront.net`), so a pattern there allows strangers.
    let base_suffix = public_suffix::suffix(base);
    if base_suffix == Some(base) {
        return Err(OriginEntryProblem::WildcardUnderPublicSuffix(
            base.to_owned(),
        ));
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
        return Err(OriginEntryProblem::WildcardAbovePublicSuffixes(
            base.to_owned(),
        ));
    }
    Ok(())
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
