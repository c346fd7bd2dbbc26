//! Reference answers the tests compare the library with, written independently of it.

/// Whether `label` is one DNS label as browsers serialize it in an origin: 1 to 63 lowercase
/// letters, digits and inner hyphens. What a `*.` pattern may match in place of `*`.
pub fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The entries of an `origins_env` value: split on commas and whitespace, empty ones dropped, as
/// the README says.
pub fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|e| !e.is_empty())
}

/// Whether an `origins_env` value is the any-origin entry `*` alone.
pub fn is_star(text: &str) -> bool {
    let mut entries = entries(text);
    entries.next() == Some("*") && entries.next().is_none()
}

/// Whether `origin` is `scheme://LABEL.parent`, LABEL one DNS label ([`is_dns_label`]): what
/// the pattern `scheme://*.parent` matches.
pub fn in_pattern(scheme: &str, parent: &str, origin: &str) -> bool {
    labels_before(scheme, parent, origin).is_some_and(is_dns_label)
}

/// What stands between `scheme://` and `.parent` in `origin`, if it has that shape.
fn labels_before<'o>(scheme: &str, parent: &str, origin: &'o str) -> Option<&'o str> {
    origin
        .strip_prefix(scheme)
        .and_then(|rest| rest.strip_prefix("://"))
        .and_then(|rest| rest.strip_suffix(parent))
        .and_then(|rest| rest.strip_suffix('.'))
}

/// Whether `origin` is one of `entries`, or matches one of them that is a pattern: one DNS label
/// then the base for `scheme://*.base` ([`in_pattern`]), one or more for `scheme://**.base`, and
/// for an entry ending in `:*` the same host with no port or any port. The public-suffix rule
/// (a match never crosses a public suffix below the base) is left out: it only narrows a match,
/// so this is what an entry may allow at most.
pub fn names<'e>(entries: impl IntoIterator<Item = &'e str>, origin: &str) -> bool {
    entries.into_iter().any(|entry| entry_names(entry, origin))
}

fn entry_names(entry: &str, origin: &str) -> bool {
    let (entry, origin) = match entry.strip_suffix(":*") {
        // Without the origin's port, if it ends with one: digits after the last `:` (then not
        // the scheme's, nor inside an IPv6 host, which ends with `]`).
        Some(host) => match origin.rsplit_once(':') {
            Some((without, port))
                if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (host, without)
            }
            _ => (host, origin),
        },
        None => (entry, origin),
    };
    entry == origin
        || entry
            .split_once("://*.")
            .is_some_and(|(scheme, parent)| in_pattern(scheme, parent, origin))
        || entry.split_once("://**.").is_some_and(|(scheme, parent)| {
            labels_before(scheme, parent, origin)
                .is_some_and(|labels| labels.split('.').all(is_dns_label))
        })
}
