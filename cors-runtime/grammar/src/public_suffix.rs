//! The Public Suffix List: every use of it in the project goes through this module.
//!
//! Anyone can register a name directly under a public suffix (`com`, `co.uk`, `github.io`,
//! `s3.amazonaws.com`), so a pattern must never reach across one: the grammar refuses `*.` and
//! `**.` directly under a public suffix, and the runtime checks that a host a pattern's
//! wildcard matches has the same public suffix as the pattern's base (`bucket.s3.amazonaws.com`
//! does not match `**.amazonaws.com`, nor `s3.amazonaws.com` `*.amazonaws.com`).
//!
//! The list is Mozilla's, as the `psl` crate compiles it, including the default rule `*` (an
//! unlisted top-level domain such as `localhost` or `internal` is its own public suffix). Only
//! this module names `psl`, so that it can be replaced by another table without touching the
//! rules that use it.

/// The public suffix of `host`: a domain name in lowercase ASCII (punycode for an
/// internationalized name), without a trailing dot. The suffix is a tail of `host` made of whole
/// labels; `None` only for an empty name.
///
/// ```
/// use cors_grammar::public_suffix::suffix;
///
/// assert_eq!(suffix("a.b.example.com"), Some("com"));
/// assert_eq!(suffix("bucket.s3.amazonaws.com"), Some("s3.amazonaws.com"));
/// assert_eq!(suffix("app.example.co.uk"), Some("co.uk"));
/// assert_eq!(suffix("dev.localhost"), Some("localhost"));
/// ```
#[must_use]
pub fn suffix(host: &str) -> Option<&str> {
    let found = psl::suffix(host.as_bytes())?;
    // The suffix is a tail of `host` that starts after a `.` (or at its start), so a character
    // boundary: slicing keeps the `&str` without checking its bytes again.
    host.get(host.len() - found.as_bytes().len()..)
}

/// Whether `domain` is itself a public suffix, where anyone can register names.
///
/// ```
/// use cors_grammar::public_suffix::is_public_suffix;
///
/// assert!(is_public_suffix("github.io"));
/// assert!(!is_public_suffix("me.github.io"));
/// ```
#[must_use]
pub fn is_public_suffix(domain: &str) -> bool {
    suffix(domain) == Some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_as_the_list_has_them() {
        for (host, want) in [
            ("example.com", "com"),
            ("a.b.example.com", "com"),
            ("amazonaws.com", "com"),
            ("s3.amazonaws.com", "s3.amazonaws.com"),
            ("bucket.s3.amazonaws.com", "s3.amazonaws.com"),
            ("me.github.io", "github.io"),
            ("pr-evil.vercel.app", "vercel.app"),
            ("example.co.uk", "co.uk"),
            // A wildcard rule (`*.sch.uk`): every name directly under `sch.uk` is a suffix.
            ("school.sch.uk", "school.sch.uk"),
            ("sch.uk", "uk"),
            // The default rule: an unlisted top-level domain is a suffix.
            ("localhost", "localhost"),
            ("a.b.localhost", "localhost"),
            ("example.internal", "internal"),
        ] {
            assert_eq!(suffix(host), Some(want), "{host}");
        }
        assert_eq!(suffix(""), None);
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("amazonaws.com"));
    }
}
