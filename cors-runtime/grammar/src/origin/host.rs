//! What the host of an origin may be: a domain name a browser can reach, or an IP address; and
//! which hosts are always this machine. Entries and request origins both follow these rules.

/// The longest domain name DNS can carry, in characters (without a trailing dot).
pub(super) const MAX_DOMAIN_LENGTH: usize = 253;

/// The longest label DNS can carry, in characters.
const MAX_LABEL_LENGTH: usize = 63;

/// Why a domain name is none a browser can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DomainProblem {
    /// `..`, a leading dot, or (for a request's origin) a trailing dot.
    EmptyLabel,
    /// A character other than a letter, a digit, `-` and `_`.
    Character(char),
    /// A label longer than [`MAX_LABEL_LENGTH`].
    LongLabel,
    /// A name longer than [`MAX_DOMAIN_LENGTH`].
    TooLong,
}

impl DomainProblem {
    /// Why, as the end of a sentence about an entry.
    pub(super) fn reason(self) -> String {
        match self {
            DomainProblem::EmptyLabel => "the host has an empty label (`..`)".to_owned(),
            DomainProblem::Character(c) => format!(
                "the host has `{}`, which no domain name has: its labels are letters, digits, `-` \
                 and `_`",
                c.escape_debug()
            ),
            DomainProblem::LongLabel => {
                format!("a label of the host is longer than {MAX_LABEL_LENGTH} characters")
            }
            DomainProblem::TooLong => format!(
                "the host is longer than a domain name can be ({MAX_DOMAIN_LENGTH} characters)"
            ),
        }
    }
}

/// Why `domain`, as the WHATWG URL parser serializes a domain (lowercase ASCII, punycode for a
/// Unicode label), is none that DNS can resolve and so none a browser can send, if it is none.
/// The WHATWG parser itself accepts empty labels, `,`, `;`, `*`, `$` and other characters in a
/// domain, and names of any length.
pub(super) fn domain_problem(domain: &str) -> Option<DomainProblem> {
    if let Some(c) = domain
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(DomainProblem::Character(c));
    }
    if domain.split('.').any(str::is_empty) {
        return Some(DomainProblem::EmptyLabel);
    }
    if domain
        .split('.')
        .any(|label| label.len() > MAX_LABEL_LENGTH)
    {
        return Some(DomainProblem::LongLabel);
    }
    (domain.len() > MAX_DOMAIN_LENGTH).then_some(DomainProblem::TooLong)
}

/// The lowercase letters and the digits.
static LETTER_OR_DIGIT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_lowercase() || (byte as u8).is_ascii_digit();
        byte += 1;
    }
    table
};

/// The length of the domain name `text` starts with, up to its end or a `:`, if it is a plain
/// one, whose WHATWG serialization is itself: labels of lowercase letters, digits and inner
/// hyphens, 1 to 63 bytes, no `--` (so no punycode, which the WHATWG parser checks); the last
/// label starting with a letter (so no IPv4 address); at most 253 bytes.
pub(super) fn plain_domain_len(text: &[u8]) -> Option<usize> {
    let mut label_start = 0;
    let mut at = 0;
    loop {
        // A run of letters and digits: never empty (so no empty label, no hyphen first, last
        // or twice in a row).
        let run = text[at..]
            .iter()
            .position(|&byte| !LETTER_OR_DIGIT[usize::from(byte)])
            .unwrap_or(text.len() - at);
        if run == 0 {
            return None;
        }
        at += run;
        match text.get(at) {
            Some(b'-') => at += 1,
            Some(b'.') if at - label_start <= MAX_LABEL_LENGTH => {
                at += 1;
                label_start = at;
            }
            Some(b':') | None => break,
            Some(_) => return None,
        }
    }
    // The last label at most 63 bytes and starting with a letter, at most 253 bytes in all.
    (at - label_start <= MAX_LABEL_LENGTH
        && at <= MAX_DOMAIN_LENGTH
        && text[label_start].is_ascii_lowercase())
    .then_some(at)
}

/// `localhost` or a name under it: browsers resolve every such name to this machine, without
/// asking DNS.
pub(super) fn is_localhost(domain: &str) -> bool {
    domain == "localhost" || domain.ends_with(".localhost")
}

/// Whether a serialized host (a domain name, an IPv4 address, an IPv6 address in brackets) is
/// always this machine: `localhost` or a name under it, `127.0.0.0/8`, `[::1]`. The one
/// loopback rule of the project: entries (`http://` with credentials) and request origins (what
/// a predicate may allow with credentials) are trustworthy by it.
pub(super) fn is_loopback_host(host: &str) -> bool {
    if is_localhost(host) {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}
