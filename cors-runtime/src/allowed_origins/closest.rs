//! The listed entry a refused origin most likely meant: for the debug log only.

use cors_grammar::HostPattern;
use cors_grammar::public_suffix;

use super::OriginList;
use super::patterns::is_dns_label;

impl OriginList {
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
