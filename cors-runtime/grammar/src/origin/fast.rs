//! The common shapes of a whitelist entry, read without the WHATWG URL parser.
//!
//! At cold start every entry of an `origins_env` variable is parsed, and the WHATWG parser
//! (`url`) with its IDNA processing, then the serialization the entry is compared with, cost
//! several thousand instructions per entry. Almost every entry a user writes is already
//! canonical and of a few simple shapes; this reads those directly and hands everything else to
//! the WHATWG parser (which also says what is wrong with an entry, and stays the reference:
//! `tests::fast_path::*` checks that both give the same answer, on generated entries near the
//! canonical shapes and on arbitrary ones).
//!
//! The shapes: `https://` or `http://`, then an optional `*.` or `**.`, then a domain name whose
//! labels are lowercase letters, digits and hyphens (1 to 63 of them, no hyphen first or last,
//! no `--`, so no punycode), the last one starting with a letter (so no IPv4 address), at most
//! 253 characters in all; then nothing, a port (digits without a leading zero, 1 to 65535, not
//! the scheme's default) or `:*`. For such an entry the WHATWG serialization is the entry itself.

use super::host::plain_domain_len;
use super::{HostPattern, OriginEntry, OriginEntryError, OriginPattern, PortPattern, Scheme};

/// The wildcard in front of a fast-path host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wildcard {
    /// `*.`
    OneLabel,
    /// `**.`
    AnyLabels,
}

/// An entry of the fast path's shapes, in parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    pub(super) scheme: Scheme,
    pub(super) wildcard: Option<Wildcard>,
    /// The domain name (after the wildcard, if any).
    pub(super) host: &'a str,
    pub(super) port: PortPattern,
}

/// `entry` in parts, if it has one of the fast path's shapes (see the module's documentation).
pub(super) fn read(entry: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = match entry.strip_prefix("https://") {
        Some(rest) => (Scheme::Https, rest),
        None => (Scheme::Http, entry.strip_prefix("http://")?),
    };
    let (wildcard, rest) = if let Some(rest) = rest.strip_prefix("**.") {
        (Some(Wildcard::AnyLabels), rest)
    } else if let Some(rest) = rest.strip_prefix("*.") {
        (Some(Wildcard::OneLabel), rest)
    } else {
        (None, rest)
    };
    let host_len = plain_domain_len(rest.as_bytes())?;
    let (host, port) = match rest.split_at(host_len) {
        (host, "") => (host, None),
        (host, port) => (host, Some(port.strip_prefix(':')?)),
    };
    let port = match port {
        None => PortPattern::Default,
        Some("*") => PortPattern::Any,
        Some(digits) => PortPattern::Port(scheme.canonical_port(digits.as_bytes())?),
    };
    Some(Parts {
        scheme,
        wildcard,
        host,
        port,
    })
}

/// What [`OriginEntry::parse`] returns for `entry`, if it has one of the fast path's shapes.
pub(super) fn parse(entry: &str) -> Option<Result<OriginEntry, OriginEntryError>> {
    let Parts {
        scheme,
        wildcard,
        host,
        port,
    } = read(entry)?;
    let host = match (wildcard, port) {
        (None, PortPattern::Default | PortPattern::Port(_)) => {
            return Some(Ok(OriginEntry::Exact(entry.to_owned())));
        }
        (None, PortPattern::Any) => HostPattern::Exact(host.to_owned()),
        (Some(wildcard), _) => {
            // The labels are already known to be DNS labels.
            if let Err(problem) = super::pattern::check_wildcard_base(host) {
                return Some(Err(OriginEntryError::new(entry, problem, None)));
            }
            match wildcard {
                Wildcard::OneLabel => HostPattern::OneLabel(host.to_owned()),
                Wildcard::AnyLabels => HostPattern::AnyLabels(host.to_owned()),
            }
        }
    };
    Some(Ok(OriginEntry::Pattern(OriginPattern {
        scheme,
        host,
        port,
    })))
}
