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
