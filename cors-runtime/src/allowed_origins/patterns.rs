//! The patterns of a list (`*.`, `**.`, `:*`), one map per kind, and matching a request's
//! origin against them: at most one lookup per kind, of a slice of the request's own value.

use std::collections::HashMap;
use std::fmt::Write as _;

use cors_grammar::public_suffix::RulesBelow;
use cors_grammar::{HostPattern, OriginPattern, PortPattern, Scheme};
use http::HeaderValue;

/// The patterns of a list, in one map per kind.
#[derive(Clone, Debug, Default)]
pub(super) struct Patterns {
    /// `scheme://host:*` patterns, keyed by host, with the schemes listed for it.
    any_port: HashMap<Box<[u8]>, [bool; 2], Hasher>,
    /// `scheme://*.base[:port]` patterns, keyed by base.
    one_label: HashMap<Box<[u8]>, Base, Hasher>,
    /// `scheme://**.base[:port]` patterns, keyed by base.
    any_labels: HashMap<Box<[u8]>, Base, Hasher>,
    /// Bit `n` is set when a `**.` base has `n` labels (bit 63 for 63 or more): the only tails
    /// of a host worth looking up.
    any_labels_depths: u64,
    /// The most labels a `**.` base has.
    any_labels_deepest: usize,
    /// Every pattern with its entry as listed, for [`OriginList::closest`].
    pub(super) listed: Vec<(OriginPattern, Box<str>)>,
}

pub(super) type Hasher = foldhash::fast::RandomState;

/// The ports listed for one pattern host and scheme.
#[derive(Clone, Debug, Default)]
struct Ports {
    /// No port: the scheme's default, which browsers leave out.
    default: bool,
    /// `:*`.
    any: bool,
    /// Explicit ports, sorted.
    listed: Vec<u16>,
}

impl Ports {
    fn insert(&mut self, port: PortPattern) {
        match port {
            PortPattern::Default => self.default = true,
            PortPattern::Any => self.any = true,
            PortPattern::Port(port) => {
                if let Err(at) = self.listed.binary_search(&port) {
                    self.listed.insert(at, port);
                }
            }
        }
    }

    /// `port` is the request's canonical port, `None` for the default.
    fn allow(&self, port: Option<u16>) -> bool {
        self.any
            || match port {
                None => self.default,
                Some(port) => self.listed.binary_search(&port).is_ok(),
            }
    }
}

/// The `*.` or the `**.` patterns over one base: the ports listed per scheme.
#[derive(Clone, Debug)]
struct Base {
    ports: [Ports; 2],
    /// The base's place in the Public Suffix List, when the list has rules below it
    /// (`amazonaws.com`): a matching host's public suffix must be as long as the base's (both
    /// are tails of the host, so equal lengths mean equal suffixes), and finding it reads only
    /// the host's labels before the base. `None` when the list has no rule below the base
    /// (`example.com`): every host under it then has the base's suffix, and nothing is looked
    /// up.
    rules_below: Option<RulesBelow>,
}

impl Base {
    fn new(base: &str) -> Self {
        Base {
            ports: Default::default(),
            rules_below: RulesBelow::new(base),
        }
    }

    /// Whether `host`, which the wildcard matched (it ends with `.` and the base), with `port`
    /// is allowed.
    fn allow(&self, scheme: usize, port: Option<u16>, host: &[u8]) -> bool {
        self.ports[scheme].allow(port)
            && self
                .rules_below
                .is_none_or(|below| below.suffix_len_under(host) == below.suffix_len())
    }
}

fn index(scheme: Scheme) -> usize {
    match scheme {
        Scheme::Http => 0,
        Scheme::Https => 1,
    }
}

impl Patterns {
    /// Adds a validated pattern.
    pub(super) fn insert(&mut self, pattern: OriginPattern) {
        let patterns = self;
        let scheme = index(pattern.scheme());
        match pattern.host() {
            HostPattern::Exact(host) => {
                // The grammar only makes a pattern of an exact host with `:*`.
                if pattern.port() == PortPattern::Any {
                    patterns.any_port.entry(host.as_bytes().into()).or_default()[scheme] = true;
                }
            }
            HostPattern::OneLabel(base) => {
                patterns
                    .one_label
                    .entry(base.as_bytes().into())
                    .or_insert_with(|| Base::new(base))
                    .ports[scheme]
                    .insert(pattern.port());
            }
            HostPattern::AnyLabels(base) => {
                let labels = base.split('.').count();
                patterns
                    .any_labels
                    .entry(base.as_bytes().into())
                    .or_insert_with(|| Base::new(base))
                    .ports[scheme]
                    .insert(pattern.port());
                patterns.any_labels_depths |= 1 << labels.min(63);
                patterns.any_labels_deepest = patterns.any_labels_deepest.max(labels);
            }
        }
        // The entry as listed (its display), in one allocation.
        let mut entry = String::with_capacity(pattern.host().name().len() + ":65535".len() + 12);
        let _ = write!(entry, "{pattern}");
        patterns.listed.push((pattern, entry.into_boxed_str()));
    }

    /// The allow-origin value for `origin` if a pattern covers it (the request's own value).
    ///
    /// What a listed base matches is canonical by construction (it equals a canonical entry
    /// byte for byte), so only the parts a wildcard stands for are read: the labels before the
    /// base, each a DNS label as browsers serialize it, and the port, canonical and not the
    /// scheme's default.
    pub(super) fn lookup(&self, origin: &[u8], request_value: &HeaderValue) -> Option<HeaderValue> {
        let (scheme, rest) = if let Some(rest) = origin.strip_prefix(b"https://") {
            (Scheme::Https, rest)
        } else {
            (Scheme::Http, origin.strip_prefix(b"http://")?)
        };
        let (host, port) = split_port(rest, scheme)?;
        let scheme = index(scheme);
        let allowed = || Some(request_value.clone());

        // `scheme://host:*`: the host as listed, byte for byte (so canonical too).
        if !self.any_port.is_empty()
            && self
                .any_port
                .get(host)
                .is_some_and(|schemes| schemes[scheme])
        {
            return allowed();
        }
        // An IPv6 address, a name without a dot, or a first label no wildcard stands for.
        let first_dot = position(host, b'.')?;
        if !is_dns_label(&host[..first_dot]) {
            return None;
        }

        // Both wildcards stop at a public suffix: a matched host must have its base's public
        // suffix (`*.amazonaws.com` does not match `s3.amazonaws.com`, a public suffix itself,
        // nor `**.amazonaws.com` `bucket.s3.amazonaws.com`). Looked up only on a match under a
        // base the list has rules below, from the base's place in the list (`Base::allow`).

        // `*.base`: one DNS label, then the base as listed.
        if !self.one_label.is_empty()
            && self
                .one_label
                .get(&host[first_dot + 1..])
                .is_some_and(|base| base.allow(scheme, port, host))
        {
            return allowed();
        }

        // `**.base`: one or more DNS labels, then the base as listed. Tails are tried from the
        // shortest, only at the depths of listed bases; the dots are found from the right. The
        // labels before a listed base (the first one is checked already) must be DNS labels.
        if self.any_labels_depths != 0 {
            let mut depth = 0;
            let mut at = host.len();
            while at > first_dot && depth < self.any_labels_deepest {
                // The next dot from the right (a plain loop: the tails are short).
                at -= 1;
                while host[at] != b'.' {
                    at -= 1;
                }
                depth += 1;
                if self.any_labels_depths & (1 << depth.min(63)) != 0
                    && self
                        .any_labels
                        .get(&host[at + 1..])
                        .is_some_and(|base| base.allow(scheme, port, host))
                    && (at == first_dot
                        || host[first_dot + 1..at]
                            .split(|&b| b == b'.')
                            .all(is_dns_label))
                {
                    return allowed();
                }
            }
        }
        None
    }
}

/// Splits what follows `scheme://` into the host and the port, if the port is as browsers
/// serialize it: absent for the scheme's default, otherwise `:` and digits without a leading
/// zero, at most 65535, other than the default, and nothing after them (a path, `@` or `.`
/// after the digits makes them no port). The port is looked for in the last six bytes only (a
/// port has at most five digits), so the host is not scanned: a `:` left in it (or an IPv6
/// address's, which stops at its `]`) makes it a host that no listed entry and no DNS label
/// matches.
fn split_port(rest: &[u8], scheme: Scheme) -> Option<(&[u8], Option<u16>)> {
    // An IPv6 address ends at its `]`; a name's port, if any, is in its last six bytes.
    let from = if rest.first() == Some(&b'[') {
        position(rest, b']')? + 1
    } else {
        rest.len().saturating_sub(6)
    };
    let Some(colon) = rest[from..]
        .iter()
        .rposition(|&b| b == b':')
        .map(|at| from + at)
    else {
        return (from == rest.len() || rest[0] != b'[').then_some((rest, None));
    };
    let (host, digits) = (&rest[..colon], &rest[colon + 1..]);
    if host.ends_with(b":") || (rest[0] == b'[' && colon != from) {
        return None;
    }
    scheme.canonical_port(digits).map(|port| (host, Some(port)))
}

/// Where `byte` first is in `text`: a plain loop, cheaper than `str::find` on strings as short as
/// origins.
#[inline]
fn position(text: &[u8], byte: u8) -> Option<usize> {
    text.iter().position(|&b| b == byte)
}

/// One DNS label as browsers serialize it: lowercase letters, digits and inner hyphens.
pub(super) fn is_dns_label(label: &[u8]) -> bool {
    (1..=63).contains(&label.len())
        && label
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
}
