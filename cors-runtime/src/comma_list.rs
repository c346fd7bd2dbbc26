//! A leaf: the elements of a comma-separated header value (`Vary`,
//! `Access-Control-Request-Headers`), as RFC 9110 section 5.6.1 reads such a list.

/// The elements of `value`, trimmed of ASCII whitespace, without the empty ones (which RFC
/// 9110 tells recipients to ignore).
pub(crate) fn elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|element| !element.is_empty())
}

/// Whether `list` has `name` among its elements, compared case-insensitively (header names).
pub(crate) fn contains(list: &[u8], name: &[u8]) -> bool {
    elements(list).any(|listed| listed.eq_ignore_ascii_case(name))
}

/// `items` as one comma-separated header value. The items are validated names or methods, so
/// the value is always valid; were it not, it would be empty (allowing nothing more).
pub(crate) fn join<'a>(items: impl Iterator<Item = &'a str>) -> http::HeaderValue {
    http::HeaderValue::from_str(&items.collect::<Vec<_>>().join(", "))
        .unwrap_or(http::HeaderValue::from_static(""))
}
