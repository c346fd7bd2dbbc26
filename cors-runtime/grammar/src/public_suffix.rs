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

/// Whether the list has a rule for some name strictly under `domain` (a lowercase ASCII domain
/// name without a trailing dot). Only then can a name under `domain` have another public suffix
/// than `domain` itself: without such a rule, the rule that decides a name's suffix is the one
/// that decides `domain`'s.
///
/// ```
/// use cors_grammar::public_suffix::has_rules_below;
///
/// assert!(has_rules_below("amazonaws.com")); // s3.amazonaws.com, …
/// assert!(!has_rules_below("example.com"));
/// assert!(!has_rules_below("localhost"));
/// ```
#[must_use]
pub fn has_rules_below(domain: &str) -> bool {
    use psl::Psl as _;

    /// `domain`'s labels from the right, then one label no rule names, then nothing: the
    /// list's lookup asks for the label after `domain` only if some rule goes below it.
    struct Probe<'a> {
        labels: std::str::RSplit<'a, char>,
        asked_below: bool,
    }
    impl<'a> Iterator for Probe<'a> {
        type Item = &'a [u8];

        fn next(&mut self) -> Option<&'a [u8]> {
            match self.labels.next() {
                Some(label) => Some(label.as_bytes()),
                None if !self.asked_below => {
                    self.asked_below = true;
                    Some(b"\0")
                }
                None => None,
            }
        }
    }

    let mut probe = Probe {
        labels: domain.rsplit('.'),
        asked_below: false,
    };
    psl::List.find(&mut probe);
    probe.asked_below
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
        for (domain, below) in [
            ("com", true),
            ("uk", true),
            ("amazonaws.com", true),
            ("s3.amazonaws.com", false),
            ("compute.amazonaws.com", true),
            ("sch.uk", true),
            ("kawasaki.jp", true),
            ("github.io", false),
            ("example.com", false),
            ("preview.example.com", false),
            ("me.github.io", false),
            ("example.co.uk", false),
            ("localhost", false),
            ("dev.localhost", false),
            ("example.internal", false),
        ] {
            assert_eq!(has_rules_below(domain), below, "{domain}");
        }
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("amazonaws.com"));
    }

    proptest::proptest! {
        /// Without a rule below a domain, every name under it has the domain's public suffix:
        /// what lets the runtime skip the lookup for such a pattern base.
        #[test]
        fn without_rules_below_names_under_a_domain_share_its_suffix(
            labels in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "www", "s3", "bucket", "compute", "eu-west-1", "execute-api", "sch",
                    "city", "x", "github", "co", "blogspot", "app", "1",
                ]),
                1..4,
            ),
            base in proptest::sample::select(vec![
                "com", "uk", "jp", "io", "app", "example.com", "amazonaws.com",
                "s3.amazonaws.com", "compute.amazonaws.com", "eu-west-1.amazonaws.com",
                "sch.uk", "kawasaki.jp", "github.io", "me.github.io", "vercel.app",
                "example.co.uk", "co.uk", "localhost", "example.internal",
            ]),
        ) {
            let name = format!("{}.{base}", labels.join("."));
            if !has_rules_below(base) {
                proptest::prop_assert_eq!(suffix(&name), suffix(base), "{}", name);
            }
        }
    }
}
