//! No attacker-chosen `Origin` widens a `**.` pattern, a `:*` pattern or a predicate.
//!
//! [`attack_corpus`](super::attack_corpus) attacks exact entries and `*.` patterns. The forms
//! added after them have weak spots of their own, and each gets a corpus built around them:
//!
//! - `https://**.preview.example.com`: prefix tricks (`https://a.preview.example.com.evil.com`,
//!   `…:443@evil.com`), suffix tricks (`https://evilpreview.example.com`), the base itself (which
//!   `**.` does not match), empty labels, labels that are no DNS label (`_`, a hyphen at either
//!   end, uppercase, 64 letters, `*`), trailing dots, percent-encoded dots, user-info, other
//!   schemes and ports, IDN and other Unicode, whitespace, several origins;
//! - `https://**.amazonaws.com` and `https://*.amazonaws.com`: names below a public suffix that
//!   lies under the base (`bucket.s3.amazonaws.com`, `s3.amazonaws.com`, execute-api and
//!   compute names). The test checks with the `psl` crate that each has another public suffix
//!   than the base, so that the corpus cannot silently hold a name the pattern should allow;
//! - `http://127.0.0.1:*`, `http://localhost:*`, `http://[::1]:*`: port confusion (the default
//!   port written out, leading zeros, signs, 65536, more host after the digits), other hosts
//!   (`localhost.evil.com`, `127.0.0.2`, `app.localhost`), other spellings of the address that
//!   browsers never send (`127.1`, `2130706433`, `0x7f.0.0.1`, `[0:0:0:0:0:0:0:1]`,
//!   `[::1%25eth0]`), user-info, other schemes, percent-encoding, case, trailing dots;
//! - `origins_fn`: a correct predicate (an exact set of tenant origins), beside a listed origin,
//!   fed look-alikes of a tenant (`https://tenant-a.example.com.evil.com`,
//!   `https://evil-tenant-a.example.com`, `https://tenant-a.example.com@evil.com`, uppercase,
//!   a trailing dot, empty labels, characters no domain name has, the default port, `null`,
//!   several origins, bytes that are not UTF-8, IDN). It records every origin it is asked
//!   about. A second predicate, which allows every `https` origin, is fed spellings browsers
//!   never send, some of which the WHATWG parser keeps as written (a trailing dot, empty
//!   labels): it must never be asked about them, and none may be reflected.
//!
//! Every corpus is sent, with the origins the entry does cover (so that the test fails both
//! ways):
//!
//! 1. through the exact per-request path `#[cors]` expands to (`Policy::build`, then `before`
//!    and `After::finish`), with the entry in the attribute and in `ALLOWED_ORIGINS`, each with
//!    and without credentials, as actual requests and preflights;
//! 2. as real Lambda event JSON of every [`EventKind`] to `#[cors]` handlers that list the entry
//!    (and name the predicate) in the attribute, with and without credentials. Several `Origin`
//!    headers reach the handler as the service delivers them (see `attack_corpus`).
//!
//! An independent reference rule per form (the README's, written here) decides: a refused
//! origin gets no `Access-Control-*` header at all and one `Vary` naming `Origin`; a covered
//! one is allowed. The predicate must be asked exactly what the README says: the one `Origin`
//! value, byte for byte, only when it is canonical (what the WHATWG URL parser serializes it
//! to, with a host DNS can resolve: no trailing dot, no empty label), not listed, and not plain
//! `http` on a host that is not a loopback one with credentials; never for `null`, a malformed
//! or non-canonical value, several values, or a listed origin; at most once per request.
//!
//! Controls: the corpora are run against naive matchers written here (suffix, prefix and
//! substring checks on the raw header, unanchored and unescaped-dot regular expressions, URL
//! normalisation with `url`, a suffix check that ignores public suffixes, predicates written on
//! the raw header, …). Every attack must be accepted by at least one naive matcher its class
//! claims to defeat, and every naive matcher of a form must be fooled by at least one attack
//! on it, while accepting an origin the entry covers.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::net::Ipv6Addr;

use cors_runtime::__for_tests::{Predicate, Spec};
use cors_runtime::{Origin, cors};
use cors_tests::events::{EventBuilder, EventKind, Invocation, invoke};
use cors_tests::reference::is_dns_label;
use http::HeaderValue;
use lambda_http::{Body, Error, Response, service_fn};
use url::{Host, Url};

use super::attack_corpus::{
    Attack, Kind, OTHER_LISTED, assert_every_attack_fools, build_policy, business, check_answer,
    delivered, event, header_lines, host_only, lenient_utf8, punycode_origin, regex, request,
    respond, skeleton, spec, values_of,
};

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

/// One entry under attack, with its corpus and the naive matchers the corpus is meant to fool.
#[derive(Debug)]
struct Form {
    name: &'static str,
    /// The entry under attack (for [`Rule::Predicate`], the exact origin listed beside the
    /// predicate), then [`OTHER_LISTED`]: the list, in the attribute and in the variable.
    entries: [&'static str; 2],
    rule: Rule,
    /// The host the naive matchers are written for: the pattern's base, the `:*` host, the
    /// tenant's host.
    host: &'static str,
    /// An origin the form covers, which every naive matcher accepts too.
    example: &'static str,
    /// More origins the form covers: they must be allowed.
    covered: &'static [&'static str],
    /// The corpus's classes, each with the naive matchers it fools.
    classes: &'static [(Class, &'static [Naive])],
    corpus: fn(&Form) -> Vec<Attack<Class>>,
}

/// The README's rule for a form, written independently of the library.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// `https://`, one DNS label (or, `deep`, one or more), `.` and the base ([`Form::host`]),
    /// no port, and a host with the base's public suffix.
    Labels { deep: bool },
    /// `http://`, the host ([`Form::host`]) byte for byte, and no port or a canonical one:
    /// digits without a leading zero, at most 65535, not 80.
    AnyPort,
    /// The listed [`Form::entry`], or one of [`TENANTS`] (the predicate's answer).
    Predicate,
}

/// The origins the predicate allows.
const TENANTS: &[&str] = &[
    "https://tenant-a.example.com",
    "https://tenant-b.example.com:8443",
    "http://localhost:4200",
];

/// The classes of the `**.` corpus, and what each fools.
#[rustfmt::skip]
const DEEP_CLASSES: &[(Class, &[Naive])] = {
    use Naive::*;
    &[
        (Class::Prefix, &[Contains, UnanchoredRegex]),
        (Class::Suffix, &[BareSuffix, UnescapedDotRegex, Contains]),
        (Class::Base, &[BareSuffix, Contains]),
        (Class::EmptyLabel, &[DotSuffix, UnanchoredRegex, WhatwgHostSuffix]),
        (Class::NonDnsLabel, &[DotSuffix, UnanchoredRegex]),
        (Class::Case, &[DotSuffix, Lowercased, Whatwg, WhatwgHostSuffix]),
        (Class::Trailing, &[HostOnly, Whatwg, Contains, UnanchoredRegex]),
        (Class::PercentEncoding, &[Whatwg, WhatwgHostSuffix, DotSuffix, BareSuffix]),
        (Class::Userinfo, &[DotSuffix, Whatwg, WhatwgHostSuffix, Contains]),
        (Class::Scheme, &[DotSuffix, Whatwg, WhatwgHostSuffix, HostOnly]),
        (Class::Port, &[Whatwg, WhatwgHostSuffix, HostOnly, Contains]),
        (Class::Idn, &[Whatwg, Skeleton, DotSuffix, BareSuffix]),
        (Class::Null, &[TrustsNull]),
        (Class::Whitespace, &[Trimmed, Whatwg, DotSuffix, Contains]),
        (Class::Joined, &[SplitList, DotSuffix, Contains]),
        (Class::TwoOriginHeaders, &[AnyValue]),
        (Class::InvalidUtf8, &[DropInvalid, LenientUtf8, Contains]),
    ]
};

const DEEP: Form = Form {
    name: "`**.` pattern",
    entries: ["https://**.preview.example.com", OTHER_LISTED],
    rule: Rule::Labels { deep: true },
    host: "preview.example.com",
    example: "https://a.preview.example.com",
    covered: &[
        "https://a.b.preview.example.com",
        "https://a.b.c.d.e.preview.example.com",
        "https://pr-1.preview.example.com",
        "https://1.preview.example.com",
        "https://a--b.preview.example.com",
        "https://xn--bcher-kva.preview.example.com",
        // The longest label, 63 letters.
        "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.preview.example.com",
    ],
    classes: DEEP_CLASSES,
    corpus: deep_corpus,
};

const PUBLIC_SUFFIX_DEEP: Form = Form {
    name: "`**.` pattern over public suffixes",
    entries: ["https://**.amazonaws.com", OTHER_LISTED],
    rule: Rule::Labels { deep: true },
    host: "amazonaws.com",
    example: "https://www.amazonaws.com",
    // Next to the boundaries: `elb.amazonaws.com` and `compute-1.amazonaws.com` are not public
    // suffixes themselves, only the names under them.
    covered: &[
        "https://console.amazonaws.com",
        "https://a.console.amazonaws.com",
        "https://a.b.c.amazonaws.com",
        "https://elb.amazonaws.com",
        "https://compute-1.amazonaws.com",
        "https://s3-accesspoint.amazonaws.com",
    ],
    classes: &[(Class::PublicSuffix, &[Naive::IgnoresPublicSuffixes])],
    corpus: public_suffix_corpus,
};

const PUBLIC_SUFFIX_ONE: Form = Form {
    name: "`*.` pattern over public suffixes",
    entries: ["https://*.amazonaws.com", OTHER_LISTED],
    rule: Rule::Labels { deep: false },
    host: "amazonaws.com",
    example: "https://www.amazonaws.com",
    covered: &[
        "https://console.amazonaws.com",
        "https://a-1.amazonaws.com",
        "https://elb.amazonaws.com",
        "https://compute-1.amazonaws.com",
    ],
    classes: &[(Class::PublicSuffix, &[Naive::IgnoresPublicSuffixes])],
    corpus: public_suffix_corpus,
};

/// The classes of the corpora of `:*` on `127.0.0.1` and `localhost`, and what each fools.
#[rustfmt::skip]
const ANY_PORT_CLASSES: &[(Class, &[Naive])] = {
    use Naive::*;
    &[
        (Class::Port, &[Prefix, PortRegex, Whatwg, HostOnly]),
        (Class::OtherHost, &[Prefix, PortRegex, AnyLoopback, HostSuffix]),
        (Class::AddressSpelling, &[WhatwgHost, Whatwg, AnyLoopback, Prefix]),
        (Class::Userinfo, &[Prefix, PortRegex, Whatwg, WhatwgHost]),
        (Class::Scheme, &[WhatwgHost, Whatwg, HostOnly, AnyLoopback]),
        (Class::PercentEncoding, &[Prefix, Whatwg, WhatwgHost]),
        (Class::Case, &[Whatwg, WhatwgHost, Lowercased, HostOnly]),
        (Class::Trailing, &[Prefix, PortRegex, HostOnly, Whatwg]),
        (Class::Idn, &[Whatwg, WhatwgHost, Skeleton]),
        (Class::Null, &[TrustsNull]),
        (Class::Whitespace, &[Trimmed, Whatwg, Prefix]),
        (Class::Joined, &[SplitList, Prefix]),
        (Class::TwoOriginHeaders, &[AnyValue]),
        (Class::InvalidUtf8, &[DropInvalid, LenientUtf8, Prefix]),
    ]
};

const LOOPBACK_V4: Form = Form {
    name: "`:*` on 127.0.0.1",
    entries: ["http://127.0.0.1:*", OTHER_LISTED],
    rule: Rule::AnyPort,
    host: "127.0.0.1",
    example: "http://127.0.0.1:3000",
    covered: &[
        "http://127.0.0.1",
        "http://127.0.0.1:5173",
        "http://127.0.0.1:1",
        "http://127.0.0.1:443",
        "http://127.0.0.1:65535",
    ],
    classes: ANY_PORT_CLASSES,
    corpus: any_port_corpus,
};

const LOCALHOST: Form = Form {
    name: "`:*` on localhost",
    entries: ["http://localhost:*", OTHER_LISTED],
    rule: Rule::AnyPort,
    host: "localhost",
    example: "http://localhost:3000",
    covered: &[
        "http://localhost",
        "http://localhost:5173",
        "http://localhost:8080",
        "http://localhost:443",
        "http://localhost:65535",
    ],
    classes: ANY_PORT_CLASSES,
    corpus: any_port_corpus,
};

/// The classes of the corpus of `:*` on `[::1]` (no IDN spelling of an IPv6 address, an IPv6
/// zone index), and what each fools.
#[rustfmt::skip]
const LOOPBACK_V6_CLASSES: &[(Class, &[Naive])] = {
    use Naive::*;
    &[
        (Class::Port, &[Prefix, PortRegex, Whatwg, HostOnly]),
        (Class::OtherHost, &[Prefix, PortRegex, AnyLoopback]),
        (Class::AddressSpelling, &[WhatwgHost, Whatwg, AnyLoopback, Ipv6IgnoringZone]),
        (Class::Userinfo, &[Prefix, PortRegex, Whatwg, WhatwgHost]),
        (Class::Scheme, &[WhatwgHost, Whatwg, HostOnly, AnyLoopback]),
        (Class::PercentEncoding, &[Prefix, Whatwg, WhatwgHost]),
        (Class::Case, &[Whatwg, WhatwgHost, Lowercased, HostOnly]),
        (Class::Trailing, &[Prefix, PortRegex, HostOnly, Whatwg]),
        (Class::Null, &[TrustsNull]),
        (Class::Whitespace, &[Trimmed, Whatwg, Prefix]),
        (Class::Joined, &[SplitList, Prefix]),
        (Class::TwoOriginHeaders, &[AnyValue]),
        (Class::InvalidUtf8, &[DropInvalid, LenientUtf8, Prefix]),
    ]
};

const LOOPBACK_V6: Form = Form {
    name: "`:*` on [::1]",
    entries: ["http://[::1]:*", OTHER_LISTED],
    rule: Rule::AnyPort,
    host: "[::1]",
    example: "http://[::1]:3000",
    covered: &[
        "http://[::1]",
        "http://[::1]:5173",
        "http://[::1]:1",
        "http://[::1]:65535",
    ],
    classes: LOOPBACK_V6_CLASSES,
    corpus: any_port_corpus,
};

/// The classes of the predicate's corpus, and what each fools.
#[rustfmt::skip]
const PREDICATE_CLASSES: &[(Class, &[Naive])] = {
    use Naive::*;
    &[
        (Class::Prefix, &[StartsWith, ContainsTenant]),
        (Class::Suffix, &[EndsWith, ContainsTenant]),
        (Class::Userinfo, &[StartsWith, EndsWith, ContainsTenant, Whatwg]),
        (Class::Case, &[Lowercased, Whatwg, EndsWith, ContainsTenant]),
        (Class::Trailing, &[StartsWith, HostOnly, Whatwg]),
        (Class::EmptyLabel, &[StartsWith, EndsWith, ContainsTenant]),
        (Class::NonDnsLabel, &[StartsWith, EndsWith, ContainsTenant]),
        (Class::Port, &[StartsWith, Whatwg, HostOnly]),
        (Class::Scheme, &[EndsWith, ContainsTenant, Whatwg, HostOnly]),
        (Class::PercentEncoding, &[Whatwg, ContainsTenant]),
        (Class::Idn, &[Skeleton, Whatwg, StartsWith]),
        (Class::Null, &[TrustsNull]),
        (Class::Whitespace, &[Trimmed, Whatwg, StartsWith, EndsWith]),
        (Class::Joined, &[SplitList, StartsWith, EndsWith]),
        (Class::TwoOriginHeaders, &[AnyValue]),
        (Class::InvalidUtf8, &[DropInvalid, LenientUtf8, StartsWith]),
    ]
};

const PREDICATE: Form = Form {
    name: "origins_fn",
    entries: ["https://app.example.com", OTHER_LISTED],
    rule: Rule::Predicate,
    host: "tenant-a.example.com",
    example: "https://tenant-a.example.com",
    covered: &[
        "https://tenant-b.example.com:8443",
        "http://localhost:4200",
        // Listed: answered without asking the predicate.
        "https://app.example.com",
        OTHER_LISTED,
    ],
    classes: PREDICATE_CLASSES,
    corpus: predicate_corpus,
};

const FORMS: [&Form; 7] = [
    &DEEP,
    &PUBLIC_SUFFIX_DEEP,
    &PUBLIC_SUFFIX_ONE,
    &LOOPBACK_V4,
    &LOCALHOST,
    &LOOPBACK_V6,
    &PREDICATE,
];

impl Form {
    /// The entry under attack.
    fn entry(&self) -> &'static str {
        self.entries[0]
    }

    /// The reference: exactly one `Origin` value that the configuration allows.
    fn allows(&self, values: &[Vec<u8>]) -> bool {
        let [value] = values else { return false };
        std::str::from_utf8(value).is_ok_and(|v| self.allows_one(v))
    }

    fn allows_one(&self, v: &str) -> bool {
        self.entries[1..].contains(&v) || self.rule_allows(v, true)
    }

    /// The form's rule; `public_suffixes` false leaves the public-suffix check out (a control).
    fn rule_allows(&self, v: &str, public_suffixes: bool) -> bool {
        match self.rule {
            Rule::Labels { .. } => v
                .strip_prefix("https://")
                .is_some_and(|host| self.covers_host(host, public_suffixes)),
            Rule::AnyPort => v
                .strip_prefix("http://")
                .and_then(|rest| rest.strip_prefix(self.host))
                .is_some_and(|port| {
                    port.is_empty()
                        || port.strip_prefix(':').is_some_and(|digits| {
                            !digits.starts_with('0')
                                && digits.bytes().all(|b| b.is_ascii_digit())
                                && digits.parse::<u16>().is_ok_and(|port| port != 80)
                        })
                }),
            Rule::Predicate => v == self.entry() || TENANTS.contains(&v),
        }
    }

    /// Whether `host` is one the form names, whatever the scheme and port (for
    /// [`Naive::HostOnly`]).
    fn allows_host(&self, host: &str) -> bool {
        match self.rule {
            Rule::Labels { .. } => self.covers_host(host, true),
            Rule::AnyPort => host == self.host,
            Rule::Predicate => TENANTS
                .iter()
                .chain(&self.entries)
                .any(|origin| host_only(origin) == host),
        }
    }

    fn covers_host(&self, host: &str, public_suffixes: bool) -> bool {
        let Rule::Labels { deep } = self.rule else {
            unreachable!("a pattern")
        };
        let Some(labels) = host
            .strip_suffix(self.host)
            .and_then(|labels| labels.strip_suffix('.'))
        else {
            return false;
        };
        (if deep {
            labels.split('.').all(is_dns_label)
        } else {
            is_dns_label(labels)
        }) && (!public_suffixes || psl::suffix_str(host) == psl::suffix_str(self.host))
    }

    /// The origins that must be allowed.
    fn all_covered(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.example).chain(self.covered.iter().copied())
    }

    fn fools(&self, class: Class) -> &'static [Naive] {
        self.classes
            .iter()
            .find(|(c, _)| *c == class)
            .map_or_else(|| panic!("{}: no {class:?} class", self.name), |(_, n)| n)
    }

    fn naives(&self) -> BTreeSet<Naive> {
        self.classes
            .iter()
            .flat_map(|(_, naives)| naives.iter().copied())
            .collect()
    }

    /// What the predicate must be asked about `values` (on a policy with `credentials`): the one
    /// value, when it is canonical, not listed, and not plain `http` on a host that is not a
    /// loopback one with credentials. Nothing for the other forms.
    fn expected_asks(&self, values: &[Vec<u8>], credentials: bool) -> Vec<String> {
        let [value] = values else { return vec![] };
        let Ok(v) = std::str::from_utf8(value) else {
            return vec![];
        };
        let Some(url) = canonical(v) else {
            return vec![];
        };
        let listed = self.entries.contains(&v);
        let insecure = credentials && url.scheme() == "http" && !is_loopback(&url, false);
        if !matches!(self.rule, Rule::Predicate) || listed || insecure {
            return vec![];
        }
        vec![v.to_owned()]
    }
}

/// `v` parsed, if it is exactly the WHATWG serialization of an `http` or `https` origin whose
/// host DNS can resolve (so one a browser sends): an IP address, or a domain whose labels are 1
/// to 63 letters, digits, `-` and `_`, 253 characters at most. The WHATWG parser alone keeps a
/// trailing dot and accepts empty labels and characters such as `,` and `*`.
fn canonical(v: &str) -> Option<Url> {
    let url = Url::parse(v).ok()?;
    let resolvable = match url.host()? {
        Host::Domain(domain) => {
            domain.len() <= 253
                && domain.split('.').all(|label| {
                    (1..=63).contains(&label.len())
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
        }
        Host::Ipv4(_) | Host::Ipv6(_) => true,
    };
    (matches!(url.scheme(), "http" | "https")
        && url.origin().ascii_serialization() == v
        && resolvable)
        .then_some(url)
}

/// A loopback host as the README lists them: `localhost`, a name under it, 127.0.0.0/8,
/// `[::1]`; `mapped` counts IPv4-mapped loopback addresses too (`[::ffff:127.0.0.1]`).
fn is_loopback(url: &Url, mapped: bool) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip == Ipv6Addr::LOCALHOST
                || (mapped && ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()))
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The corpora
// ---------------------------------------------------------------------------------------------

/// The attack classes. Each form names the ones its corpus has, with the naive matchers they
/// fool ([`Form::classes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Class {
    /// More host after the covered origin or the listed host: `…example.com.evil.com`.
    Prefix,
    /// More in front of the base or host without a dot: `https://evilpreview.example.com`.
    Suffix,
    /// The `**.` pattern's base itself, which it never matches.
    Base,
    /// An empty label: `https://.preview.example.com`, `https://a..preview.example.com`.
    EmptyLabel,
    /// A label that is no DNS label as browsers serialize it: `_`, a hyphen at either end, 64
    /// letters, `*`.
    NonDnsLabel,
    /// A host below a public suffix that lies under the base: `bucket.s3.amazonaws.com`.
    PublicSuffix,
    /// Another host, that a browser may send: `localhost.evil.com`, `127.0.0.2`, `app.localhost`.
    OtherHost,
    /// Another spelling of the listed address, that browsers never send: `127.1`, `[0::1]`.
    AddressSpelling,
    /// User-info, path, query or fragment tricks: `https://evil.com@a.preview.example.com`.
    Userinfo,
    /// Another scheme, or a malformed one.
    Scheme,
    /// The default port written out, another port, a malformed one.
    Port,
    /// Percent-encoded characters in the host or port.
    PercentEncoding,
    /// Letter case.
    Case,
    /// A trailing dot or slash.
    Trailing,
    /// IDN look-alikes and Unicode that URL parsers fold onto ASCII.
    Idn,
    /// `null`.
    Null,
    /// Whitespace around or inside.
    Whitespace,
    /// Several origins in one header.
    Joined,
    /// Two `Origin` headers.
    TwoOriginHeaders,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
}

/// Collects attacks of one class each.
#[derive(Default)]
struct Corpus(Vec<Attack<Class>>);

impl Corpus {
    fn add<S: Into<String>>(&mut self, class: Class, values: impl IntoIterator<Item = S>) {
        self.0.extend(values.into_iter().map(|v| Attack {
            class,
            values: vec![v.into().into_bytes()],
        }));
    }

    /// The attacks every form with a single host gets, around the covered origin `o` whose host
    /// is `h`: `null`, whitespace, several origins in one header or in two, bytes that are not
    /// UTF-8.
    fn common(&mut self, o: &str, h: &str) {
        self.add(Class::Null, ["null", "NULL", " null"]);
        // Inside the host: just before its last character.
        let (scheme, _) = o.split_once("://").expect("an origin");
        let (inner_left, inner_right) = h.split_at(h.len() - 1);
        #[rustfmt::skip]
        self.add(Class::Whitespace, [
            format!(" {o}"), format!("{o} "), format!("\t{o}"), format!("{o}\t"),
            format!("{scheme}://{inner_left}\t{inner_right}{}", &o[scheme.len() + 3 + h.len()..]),
        ]);
        #[rustfmt::skip]
        self.add(Class::Joined, [
            format!("{o}, https://evil.com"), format!("https://evil.com, {o}"),
            format!("{o},{o}"), format!("https://evil.com {o}"), format!("null {o}"),
        ]);
        for pair in [
            [o, "https://evil.com"],
            ["https://evil.com", o],
            [o, o],
            ["null", o],
            [o, ""],
        ] {
            self.0.push(Attack {
                class: Class::TwoOriginHeaders,
                values: pair.iter().map(|v| v.as_bytes().to_vec()).collect(),
            });
        }
        let (ob, hb) = (o.as_bytes(), h.as_bytes());
        let host_at = scheme.len() + 3;
        let mid = host_at + hb.len() / 2;
        // The host's middle character as an overlong two-byte sequence.
        let overlong = [0xC0 | (ob[mid] >> 6), 0x80 | (ob[mid] & 0x3F)];
        let invalid: [Vec<u8>; 5] = [
            [ob, b"\xff"].concat(),
            [b"\xff", ob].concat(),
            [ob, b"\xc0\xae"].concat(),
            [&ob[..mid], b"\x80", &ob[mid..]].concat(),
            [&ob[..mid], &overlong, &ob[mid + 1..]].concat(),
        ];
        self.0.extend(invalid.into_iter().map(|value| Attack {
            class: Class::InvalidUtf8,
            values: vec![value],
        }));
    }
}

/// The `**.` corpus: around `https://a.preview.example.com` under `https://**.preview.example.com`.
fn deep_corpus(form: &Form) -> Vec<Attack<Class>> {
    let (o, b) = (form.example, form.host);
    let mut c = Corpus::default();
    #[rustfmt::skip]
    c.add(Class::Prefix, [
        format!("{o}.evil.com"), format!("https://a.b.{b}.evil.com"), format!("{o}-evil.com"),
        format!("{o}evil.com"), format!("{o}:443@evil.com"), format!("{o}.{b}.evil.com"),
        format!("https://{b}.evil.com"), format!("{o}.example.org"), format!("{o}0"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Suffix, [
        format!("https://evil{b}"), format!("https://a-{b}"), format!("https://a{b}"),
        format!("https://a.evil-{b}"), format!("https://a.b.evil{b}"), format!("https://0{b}"),
    ]);
    c.add(Class::Base, [format!("https://{b}")]);
    #[rustfmt::skip]
    c.add(Class::EmptyLabel, [
        format!("https://.{b}"), format!("https://a..{b}"), format!("https://..{b}"),
        format!("https://a.b..{b}"), format!("https://a..b.{b}"), format!("https://.a.{b}"),
    ]);
    #[rustfmt::skip]
    c.add(Class::NonDnsLabel, [
        format!("https://_.{b}"), format!("https://a_b.{b}"), format!("https://-a.{b}"),
        format!("https://a-.{b}"), format!("https://a.-b.{b}"), format!("https://a.b-.{b}"),
        format!("https://{}.{b}", "a".repeat(64)), format!("https://a.{}.{b}", "b".repeat(64)),
        format!("https://*.{b}"), format!("https://**.{b}"), format!("https://a*b.{b}"),
        format!("https://a!.{b}"), format!("https://a$.{b}"), format!("https://a&b.{b}"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Case, [
        format!("https://A.{b}"), "https://a.Preview.example.com".into(),
        format!("https://a.{}", b.to_ascii_uppercase()), "HTTPS://a.preview.example.com".into(),
        format!("https://a.B.{b}"), "https://a.preview.example.COM".into(),
    ]);
    c.add(
        Class::Trailing,
        ["/", ".", "./", "//", "..", "/.", ".:443"].map(|t| format!("{o}{t}")),
    );
    #[rustfmt::skip]
    c.add(Class::PercentEncoding, [
        "https://a%2epreview.example.com", "https://a%2Epreview.example.com",
        "https://a.preview%2eexample.com", "https://a.preview.example%2ecom",
        "https://%61.preview.example.com", "https://a%252epreview.example.com",
        "https://evil.com%2f.preview.example.com", "https://evil.com%23.preview.example.com",
        "https://evil.com%40a.preview.example.com",
    ]);
    #[rustfmt::skip]
    c.add(Class::Userinfo, [
        format!("{o}@evil.com"), format!("https://evil.com@a.{b}"),
        format!("https://user:pass@a.{b}"), format!("https://@a.{b}"),
        format!("https://evil.com#.{b}"), format!("https://evil.com/.{b}"),
        format!("https://evil.com?.{b}"), format!("https://evil.com\\.{b}"),
        format!("{o}%40evil.com"), format!("{o}#@evil.com"), format!("{o}/@evil.com"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Scheme, [
        format!("http://a.{b}"), format!("wss://a.{b}"), format!("ftp://a.{b}"),
        format!("https:a.{b}"), format!("https:/a.{b}"), format!("https:\\\\a.{b}"),
        format!("//a.{b}"), format!("a.{b}"), format!("https://{o}"), format!("blob:{o}"),
        format!("httpss://a.{b}"),
    ]);
    c.add(
        Class::Port,
        [
            ":443", ":8443", ":0443", ":", ":65536", ":+443", ":443/", ":0", ":4430",
        ]
        .map(|p| format!("{o}{p}")),
    );
    // Look-alike letters in the base (in the wildcard's label they would make a legitimate
    // punycode label), raw and in punycode.
    let mut idn: Vec<String> = Vec::new();
    for raw in [
        "https://a.pr\u{435}view.example.com",
        "https://a.preview.ex\u{430}mple.com",
        "https://a.preview.e\u{445}ample.com",
        "https://a.preview.example.c\u{43e}m",
    ] {
        idn.push(punycode_origin(raw));
        idn.push(raw.to_owned());
    }
    // Unicode that the URL standard maps onto a covered origin: fullwidth and circled letters,
    // ideographic and fullwidth full stops, the ignored soft hyphen, a raw IDN label.
    #[rustfmt::skip]
    idn.extend([
        format!("https://\u{ff41}.{b}"), format!("https://\u{24d0}.{b}"),
        "https://a\u{3002}preview\u{3002}example\u{3002}com".to_owned(),
        format!("https://a\u{ff0e}{b}"), format!("https://a\u{ad}.{b}"),
        format!("https://b\u{fc}cher.{b}"),
    ]);
    c.add(Class::Idn, idn);
    c.common(o, &o["https://".len()..]);
    c.0
}

/// Names below a public suffix under `amazonaws.com`; for a `*.` form, those with one label
/// before the base.
fn public_suffix_corpus(form: &Form) -> Vec<Attack<Class>> {
    const HOSTS: &[&str] = &[
        // S3: `s3.amazonaws.com` and its regional and website names are public suffixes.
        "s3.amazonaws.com",
        "s3-external-1.amazonaws.com",
        "s3-us-west-2.amazonaws.com",
        "s3-eu-west-1.amazonaws.com",
        "s3-us-gov-west-1.amazonaws.com",
        "s3-fips-us-gov-west-1.amazonaws.com",
        "s3-website-us-east-1.amazonaws.com",
        "s3-website-eu-west-1.amazonaws.com",
        "bucket.s3.amazonaws.com",
        "a.bucket.s3.amazonaws.com",
        "www.s3.amazonaws.com",
        "bucket.s3-website-us-east-1.amazonaws.com",
        "bucket.s3-external-1.amazonaws.com",
        "bucket.s3.us-east-1.amazonaws.com",
        "bucket.s3.eu-west-1.amazonaws.com",
        "bucket.s3.dualstack.us-east-1.amazonaws.com",
        "bucket.s3-website.eu-west-1.amazonaws.com",
        "x.s3-object-lambda.us-east-1.amazonaws.com",
        // API Gateway, EC2, load balancers (wildcard rules: every name directly under
        // `compute-1.amazonaws.com` or `elb.amazonaws.com` is a public suffix).
        "abc123.execute-api.us-east-1.amazonaws.com",
        "evil.execute-api.eu-west-1.amazonaws.com",
        "ec2-203-0-113-1.compute-1.amazonaws.com",
        "x.ec2-203-0-113-1.compute-1.amazonaws.com",
        "evil.eu-west-1.compute.amazonaws.com",
        "x.elb.amazonaws.com",
        "x.us-east-1.elb.amazonaws.com",
    ];
    let Rule::Labels { deep } = form.rule else {
        unreachable!("a pattern")
    };
    let mut c = Corpus::default();
    c.add(
        Class::PublicSuffix,
        HOSTS
            .iter()
            .filter(|host| deep || host.matches('.').count() == 2)
            .map(|host| format!("https://{host}")),
    );
    c.0
}

/// The `:*` corpus around `http://HOST:3000`, for one of the three loopback hosts.
fn any_port_corpus(form: &Form) -> Vec<Attack<Class>> {
    let (o, h) = (form.example, form.host);
    let mut c = Corpus::default();
    #[rustfmt::skip]
    c.add(Class::Port, [
        ":80", ":03000", ":+3000", ":65536", ":99999", ":3000.evil.com", ": 3000", ":",
        ":3000:3000", ":-1", ":0x0bb8", ":3000#", ":3000?", ":00", ":080", ":3e3",
        ":\u{663}\u{660}\u{660}\u{660}",
    ].map(|p| format!("http://{h}{p}")));
    let other: &[&str] = match h {
        "127.0.0.1" => &[
            "http://127.0.0.2:3000",
            "http://127.0.0.10:3000",
            "http://127.0.0.11:3000",
            "http://127.0.0.1.evil.com:3000",
            "http://127.0.0.1.nip.io:3000",
            "http://127x0x0x1:3000",
            "http://10.127.0.0.1:3000",
            "http://evil.127.0.0.1:3000",
            "http://127.0.0.1evil.com:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
        ],
        "localhost" => &[
            "http://localhost.evil.com:3000",
            "http://localhost.localdomain:3000",
            "http://localhostt:3000",
            "http://evil-localhost:3000",
            "http://evillocalhost:3000",
            "http://app.localhost:3000",
            "http://evil.localhost",
            "http://127.0.0.1:3000",
            "http://[::1]:3000",
        ],
        _ => &[
            "http://[::1].evil.com:3000",
            "http://[::1]evil.com:3000",
            "http://127.0.0.1:3000",
            "http://localhost:3000",
        ],
    };
    c.add(Class::OtherHost, other.iter().copied());
    let spelling: &[&str] = match h {
        "127.0.0.1" => &[
            "http://127.1:3000",
            "http://127.0.1:3000",
            "http://2130706433:3000",
            "http://0x7f.0.0.1:3000",
            "http://0x7f000001:3000",
            "http://0177.0.0.1:3000",
            "http://127.000.000.001:3000",
            "http://[::ffff:127.0.0.1]:3000",
            "http://[::ffff:7f00:1]:3000",
        ],
        "localhost" => &[
            "http://127.1:3000",
            "http://0x7f.1:3000",
            "http://[::ffff:127.0.0.1]:3000",
        ],
        _ => &[
            "http://[0:0:0:0:0:0:0:1]:3000",
            "http://[::0:1]:3000",
            "http://[0::1]:3000",
            "http://[::0001]:3000",
            "http://[0000::1]:3000",
            "http://[0:0::1]:3000",
            "http://[::1%25eth0]:3000",
            "http://[::1%eth0]:3000",
            "http://[::ffff:127.0.0.1]:3000",
        ],
    };
    c.add(Class::AddressSpelling, spelling.iter().copied());
    #[rustfmt::skip]
    c.add(Class::Userinfo, [
        format!("{o}@evil.com"), format!("http://evil.com@{h}:3000"),
        format!("http://{h}@evil.com:3000"), format!("http://user:pass@{h}:3000"),
        format!("{o}#@evil.com"), format!("http://{h}:@evil.com"), format!("http://@{h}:3000"),
        format!("{o}/@evil.com"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Scheme, [
        format!("https://{h}:3000"), format!("ws://{h}:3000"), format!("http:{h}:3000"),
        format!("http:/{h}:3000"), format!("http:\\\\{h}:3000"), format!("blob:{o}"),
        format!("{h}:3000"), format!("https://{h}"), format!("ftp://{h}:3000"),
    ]);
    let mut percent: Vec<String> = vec![format!("http://{h}%3a3000"), format!("http://{h}:%33000")];
    percent.extend(
        match h {
            "127.0.0.1" => &["http://127%2e0.0.1:3000", "http://%31%32%37.0.0.1:3000"][..],
            "localhost" => &[
                "http://l%6fcalhost:3000",
                "http://%6c%6f%63%61%6c%68%6f%73%74:3000",
                "http://localhost%2e:3000",
            ],
            _ => &["http://[::1]%2f:3000"],
        }
        .iter()
        .map(|v| (*v).to_owned()),
    );
    c.add(Class::PercentEncoding, percent);
    let mut case = vec![format!("HTTP://{h}:3000"), format!("Http://{h}:3000")];
    if h == "localhost" {
        case.extend(["http://LOCALHOST:3000".into(), "http://LocalHost".into()]);
    }
    c.add(Class::Case, case);
    #[rustfmt::skip]
    c.add(Class::Trailing, [
        format!("{o}/"), format!("http://{h}/"), format!("http://{h}.:3000"),
        format!("http://{h}./"), format!("{o}/."), format!("{o}//"),
    ]);
    let idn: &[&str] = match h {
        "127.0.0.1" => &[
            "http://\u{ff11}\u{ff12}\u{ff17}.\u{ff10}.\u{ff10}.\u{ff11}:3000",
            "http://127\u{3002}0\u{3002}0\u{3002}1:3000",
            "http://127\u{ff0e}0.0.1:3000",
            // Punycode whose decoding is the address itself.
            "http://xn--127-.0.0.1:3000",
        ],
        "localhost" => &[
            "http://\u{ff4c}\u{ff4f}\u{ff43}\u{ff41}\u{ff4c}\u{ff48}\u{ff4f}\u{ff53}\u{ff54}:3000",
            "http://l\u{43e}calhost:3000",
            "http://localhost\u{ad}:3000",
        ],
        _ => &[],
    };
    let mut idn: Vec<String> = idn.iter().map(|v| (*v).to_owned()).collect();
    if h == "localhost" {
        // The Cyrillic look-alike in punycode (without a port, which `skeleton` does not read).
        idn.push(punycode_origin("http://l\u{43e}calhost"));
    }
    c.add(Class::Idn, idn);
    c.common(o, h);
    c.0
}

/// Look-alikes of the tenant `https://tenant-a.example.com` for the predicate.
fn predicate_corpus(form: &Form) -> Vec<Attack<Class>> {
    let (o, h) = (form.example, form.host);
    let mut c = Corpus::default();
    #[rustfmt::skip]
    c.add(Class::Prefix, [
        format!("{o}.evil.com"), format!("{o}-evil.com"), format!("{o}evil.com"),
        format!("{o}.example.org"),  "https://tenant-a.example.co".into(),
        "https://tenant-ab.example.com".into(), format!("{o}.tenant-b.example.com:8443"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Suffix, [
        format!("https://evil-{h}"), format!("https://evil{h}"), format!("https://x.{h}"),
        format!("https://{h}.{h}"), format!("https://not-{h}"), format!("https://a.b.{h}"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Userinfo, [
        format!("{o}@evil.com"), format!("https://evil.com@{h}"), format!("{o}:443@evil.com"),
        format!("https://evil.com#{h}"), format!("https://evil.com/{h}"),
        format!("https://evil.com?{h}"), format!("https://evil.com\\{h}"),
        format!("https://user:pass@{h}"), format!("https://{h}@{h}"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Case, [
        "https://TENANT-A.example.com", "https://Tenant-A.Example.com",
        "HTTPS://tenant-a.example.com", "https://tenant-a.example.COM",
        "https://TENANT-B.EXAMPLE.COM:8443",
    ]);
    c.add(
        Class::Trailing,
        [".", "/", "./", "/x", "?x", "#x", "..", ".:8443"].map(|t| format!("{o}{t}")),
    );
    // Hosts the WHATWG parser serializes as written, but DNS cannot resolve.
    #[rustfmt::skip]
    c.add(Class::EmptyLabel, [
        "https://tenant-a..example.com", "https://.tenant-a.example.com",
        "https://tenant-a.example..com", "https://..tenant-a.example.com",
        "https://tenant-a...example.com",
    ]);
    #[rustfmt::skip]
    c.add(Class::NonDnsLabel, [
        format!("{o},"), format!("{o};"), format!("{o}$"), format!("https://*.{h}"),
        "https://tenant-a!.example.com".into(), "https://tenant-a.example.com*".into(),
        format!("https://{}.{h}", "a".repeat(64)), format!("https://x,{h}"),
    ]);
    #[rustfmt::skip]
    c.add(Class::Port, [
        format!("{o}:443"), format!("{o}:8443"), format!("{o}:0443"), format!("{o}:"),
        format!("{o}:65536"), "https://tenant-b.example.com".into(),
        "https://tenant-b.example.com:08443".into(), "http://localhost:04200".into(),
    ]);
    #[rustfmt::skip]
    c.add(Class::Scheme, [
        format!("http://{h}"), format!("wss://{h}"), format!("https:{h}"), format!("https:/{h}"),
        format!("blob:{o}"), h.to_owned(), format!("//{h}"), "https://localhost:4200".into(),
    ]);
    #[rustfmt::skip]
    c.add(Class::PercentEncoding, [
        "https://tenant-a%2eexample.com", "https://tenant%2da.example.com",
        "https://%74enant-a.example.com", "https://tenant-a.example%2ecom",
    ]);
    let mut idn = Vec::new();
    for raw in [
        "https://ten\u{430}nt-a.example.com",
        "https://tenant-\u{430}.example.com",
        "https://t\u{435}nant-a.example.com",
    ] {
        idn.push(punycode_origin(raw));
        idn.push(raw.to_owned());
    }
    #[rustfmt::skip]
    idn.extend([
        "https://\u{ff54}\u{ff45}\u{ff4e}\u{ff41}\u{ff4e}\u{ff54}-a.example.com".to_owned(),
        "https://tenant-a\u{3002}example\u{3002}com".to_owned(),
        "https://tenant-a.example.com.xn--e1afmkfd.com".to_owned(),
        "https://tenant\u{ad}-a.example.com".to_owned(),
    ]);
    c.add(Class::Idn, idn);
    c.common(o, h);
    c.0
}

// ---------------------------------------------------------------------------------------------
// Naive matchers (controls)
// ---------------------------------------------------------------------------------------------

/// Matchers with the mistakes that the attack classes exploit, each written for one form as a
/// hurried server-side check (or predicate) would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Naive {
    // The form's own rule, applied to something else than the one raw value.
    /// Accepts if any of several `Origin` headers passes.
    AnyValue,
    /// Splits the header on commas and whitespace; any part passing is enough.
    SplitList,
    /// Trims whitespace first.
    Trimmed,
    /// Lowercases first.
    Lowercased,
    /// Parses the value with the WHATWG URL parser (`url`) and checks its serialized origin:
    /// user-info, paths, default ports, case, percent-encoding, tabs, other spellings of an
    /// address and fullwidth letters are normalised away.
    Whatwg,
    /// Checks the host only (scheme, port, case, trailing `/` and `.` ignored).
    HostOnly,
    /// Decodes punycode and folds look-alike letters first.
    Skeleton,
    /// Decodes lossily and drops what is not UTF-8.
    DropInvalid,
    /// A lenient UTF-8 decoder that accepts overlong sequences (`\xc0\xae` is `.`).
    LenientUtf8,
    /// Trusts `null` too.
    TrustsNull,
    // `**.`, on the raw header.
    /// `origin.ends_with(".preview.example.com")`.
    DotSuffix,
    /// `origin.ends_with("preview.example.com")`.
    BareSuffix,
    /// `.*\.preview\.example\.com`, searched anywhere.
    UnanchoredRegex,
    /// `origin.contains("preview.example.com")`.
    Contains,
    /// The WHATWG-parsed host ends with `.preview.example.com` (scheme and port ignored).
    WhatwgHostSuffix,
    /// `^https://.+.preview.example.com$`, the dots not escaped.
    UnescapedDotRegex,
    // Public suffixes.
    /// The pattern's rule (labels, scheme, no port) without the public-suffix check.
    IgnoresPublicSuffixes,
    // `:*`.
    /// `origin.starts_with("http://127.0.0.1")`.
    Prefix,
    /// `^http://127.0.0.1:\d+`: the dots not escaped, the end not anchored.
    PortRegex,
    /// The WHATWG-parsed host equals the listed one (scheme and port ignored).
    WhatwgHost,
    /// Any loopback host, WHATWG-parsed ("it is local anyway"), scheme and port ignored.
    AnyLoopback,
    /// The host ends with the listed one.
    HostSuffix,
    /// The host parsed as an IPv6 address after dropping its zone index (`%eth0`, `%25eth0`),
    /// as IP libraries compare addresses.
    Ipv6IgnoringZone,
    // A predicate written on the raw header (`fn(&str) -> bool`).
    /// `origin.ends_with("tenant-a.example.com")`.
    EndsWith,
    /// `origin.contains("tenant-a")`.
    ContainsTenant,
    /// `origin.starts_with("https://tenant-a.example.com")`.
    StartsWith,
}

impl Naive {
    /// Whether this matcher, written for `form`, lets `values` through. All but
    /// [`Naive::AnyValue`] read the first `Origin` value, as `HeaderMap::get` does.
    fn accepts(self, form: &Form, values: &[Vec<u8>]) -> bool {
        if self == Naive::AnyValue {
            return values
                .iter()
                .any(|v| std::str::from_utf8(v).is_ok_and(|v| form.allows_one(v)));
        }
        let raw: &[u8] = values.first().map_or(&[], Vec::as_slice);
        let text = String::from_utf8_lossy(raw);
        let v = text.as_ref();
        let h = form.host;
        let whatwg = Url::parse(v).ok();
        let whatwg_host = whatwg.as_ref().and_then(Url::host_str);
        match self {
            Naive::AnyValue => unreachable!("handled above"),
            Naive::SplitList => v
                .split(|c: char| c == ',' || c.is_whitespace())
                .any(|part| form.allows_one(part)),
            Naive::Trimmed => form.allows_one(v.trim()),
            Naive::Lowercased => form.allows_one(&v.to_ascii_lowercase()),
            Naive::Whatwg => whatwg
                .as_ref()
                .is_some_and(|url| form.allows_one(&url.origin().ascii_serialization())),
            Naive::HostOnly => form.allows_host(&host_only(v)),
            Naive::Skeleton => form.allows_one(&skeleton(v)),
            Naive::DropInvalid => form.allows_one(&v.replace('\u{fffd}', "")),
            Naive::LenientUtf8 => form.allows_one(&lenient_utf8(raw)),
            Naive::TrustsNull => v.trim().eq_ignore_ascii_case("null") || form.allows_one(v),
            Naive::DotSuffix => v.ends_with(&format!(".{h}")),
            Naive::BareSuffix => v.ends_with(h),
            Naive::UnanchoredRegex => regex(&format!(".*\\.{}", h.replace('.', "\\."))).is_match(v),
            Naive::Contains => v.contains(h),
            Naive::WhatwgHostSuffix => {
                whatwg_host.is_some_and(|host| host.ends_with(&format!(".{h}")))
            }
            Naive::UnescapedDotRegex => regex(&format!("^https://.+.{h}$")).is_match(v),
            Naive::IgnoresPublicSuffixes => form.rule_allows(v, false),
            Naive::Prefix => v.starts_with(&format!("http://{h}")),
            Naive::PortRegex => {
                let host = h.replace('[', "\\[").replace(']', "\\]");
                regex(&format!("^http://{host}:\\d+")).is_match(v)
            }
            Naive::WhatwgHost => whatwg_host == Some(h),
            Naive::AnyLoopback => whatwg.as_ref().is_some_and(|url| is_loopback(url, true)),
            Naive::HostSuffix => host_only(v).ends_with(h),
            Naive::Ipv6IgnoringZone => {
                let host = host_only(v);
                let address = host.trim_start_matches('[').trim_end_matches(']');
                let address = address.split_once('%').map_or(address, |(a, _)| a);
                address.parse::<Ipv6Addr>().ok() == h.trim_matches(['[', ']']).parse().ok()
            }
            Naive::EndsWith => v.ends_with(h),
            Naive::ContainsTenant => v.contains(h.split('.').next().expect("a label")),
            Naive::StartsWith => v.starts_with(&format!("https://{h}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The predicate
// ---------------------------------------------------------------------------------------------

thread_local! {
    /// Every origin [`tenant`] was asked about on this thread, in order. Each test runs on its
    /// own thread (the `#[tokio::test]` runtime is a current-thread one, and `#[cors]` asks the
    /// predicate synchronously), so no test sees another's calls.
    static ASKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The correct predicate: an exact lookup of the origin in a set. It records what it is asked.
fn tenant(origin: &Origin) -> bool {
    ASKED.with_borrow_mut(|asked| asked.push(origin.as_str().to_owned()));
    TENANTS.contains(&origin.as_str())
}

/// What [`tenant`] was asked since the last call.
fn take_asked() -> Vec<String> {
    ASKED.with_borrow_mut(std::mem::take)
}

/// The README's promises about what the predicate is asked, for one request with `values`
/// (as the handler received them), then the exact list the reference expects.
fn check_asked(
    form: &Form,
    values: &[Vec<u8>],
    credentials: bool,
    asked: &[String],
) -> Result<(), String> {
    if asked.len() > 1 {
        return Err(format!("predicate asked {} times: {asked:?}", asked.len()));
    }
    if let Some(asked) = asked.first() {
        let [value] = values else {
            return Err(format!(
                "predicate asked {asked:?} with {} values",
                values.len()
            ));
        };
        if asked.as_bytes() != value.as_slice() {
            return Err(format!("predicate asked {asked:?}, not the header's value"));
        }
        if canonical(asked).is_none() {
            return Err(format!("predicate asked the non-canonical {asked:?}"));
        }
        if form.entries.contains(&asked.as_str()) {
            return Err(format!("predicate asked the listed {asked:?}"));
        }
    }
    let want = form.expected_asks(values, credentials);
    if asked != want {
        return Err(format!("predicate asked {asked:?}, want {want:?}"));
    }
    Ok(())
}

/// What a request of the tests carries: an attack, or an origin the form covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Attack(Class),
    Covered,
}

/// The form's corpus, then the origins it covers.
fn cases(form: &Form) -> Vec<Attack<Case>> {
    let attacks = (form.corpus)(form).into_iter().map(|a| Attack {
        class: Case::Attack(a.class),
        values: a.values,
    });
    let covered = form.all_covered().map(|origin| Attack {
        class: Case::Covered,
        values: vec![origin.as_bytes().to_vec()],
    });
    attacks.chain(covered).collect()
}

// ---------------------------------------------------------------------------------------------
// Configurations
// ---------------------------------------------------------------------------------------------

/// One configuration of a form under test: the entry in the attribute or in the variable.
struct Config {
    name: String,
    spec: Spec<'static>,
    env: Option<String>,
}

fn configs(form: &'static Form) -> Vec<Config> {
    let mut configs = Vec::new();
    for credentials in [false, true] {
        for in_env in [false, true] {
            let mut spec = if in_env {
                spec(&[], Some("ALLOWED_ORIGINS"), credentials)
            } else {
                spec(&form.entries, None, credentials)
            };
            if matches!(form.rule, Rule::Predicate) {
                spec.origins_fn = Some(Predicate::Function(tenant));
            }
            configs.push(Config {
                name: format!(
                    "{}, in the {}{}",
                    form.name,
                    if in_env { "environment" } else { "attribute" },
                    if credentials {
                        ", with credentials"
                    } else {
                        ""
                    }
                ),
                spec,
                env: in_env.then(|| format!("{}, {}\n", form.entries[1], form.entries[0])),
            });
        }
    }
    configs
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn every_corpus_has_its_classes_and_only_attacks() {
    let mut total = 0;
    for form in FORMS {
        let attacks = (form.corpus)(form);
        total += attacks.len();
        let classes: BTreeSet<Class> = attacks.iter().map(|a| a.class).collect();
        let named: BTreeSet<Class> = form.classes.iter().map(|(c, _)| *c).collect();
        assert_eq!(classes, named, "{}: the classes of the corpus", form.name);
        let mut seen = BTreeSet::new();
        let repeated: Vec<_> = attacks.iter().filter(|a| !seen.insert(&a.values)).collect();
        assert!(
            repeated.is_empty(),
            "{}: repeated attacks {repeated:?}",
            form.name
        );
        for attack in &attacks {
            for value in &attack.values {
                assert!(
                    HeaderValue::from_bytes(value).is_ok(),
                    "{}: {attack:?} cannot be sent as a header",
                    form.name
                );
            }
            // The reference refuses every attack: none is secretly a covered origin.
            assert!(
                !form.allows(&attack.values),
                "{}: {attack:?} is covered",
                form.name
            );
        }
        for origin in form.all_covered() {
            assert!(
                form.allows(&[origin.as_bytes().to_vec()]),
                "{}: the reference refuses {origin}",
                form.name
            );
            assert_eq!(canonical(origin).map(|_| ()), Some(()), "{origin}");
        }
        let json = attacks.iter().filter(|a| a.json_values().is_some()).count();
        assert!(
            json * 4 >= attacks.len() * 3,
            "{}: {json} attacks fit in JSON",
            form.name
        );
    }
    assert!(total >= 300, "{total} attacks");
}

/// Each public-suffix attack really crosses a public suffix (per the `psl` crate, not the
/// library): its host's public suffix is not the base's, so the corpus cannot hold a name the
/// pattern should allow. The covered names have the base's suffix.
#[test]
fn public_suffix_attacks_have_another_public_suffix_than_the_base() {
    for form in [&PUBLIC_SUFFIX_DEEP, &PUBLIC_SUFFIX_ONE] {
        let base_suffix = psl::suffix_str(form.host);
        assert_eq!(base_suffix, Some("com"));
        let attacks = (form.corpus)(form);
        let deep = matches!(form.rule, Rule::Labels { deep: true });
        assert!(attacks.len() >= if deep { 25 } else { 8 }, "{}", form.name);
        for attack in attacks {
            let origin = String::from_utf8(attack.values[0].clone()).expect("ASCII");
            let host = origin.strip_prefix("https://").expect("https");
            assert!(canonical(&origin).is_some(), "{origin} is not canonical");
            assert!(host.ends_with(".amazonaws.com"), "{origin}");
            let suffix = psl::suffix_str(host);
            assert_ne!(suffix, base_suffix, "{origin}: the base's public suffix");
            assert!(
                suffix.is_some_and(|s| s.len() > "amazonaws.com".len()),
                "{origin}: public suffix {suffix:?} does not lie under the base"
            );
        }
        for origin in form.all_covered() {
            let host = origin.strip_prefix("https://").expect("https");
            assert_eq!(psl::suffix_str(host), base_suffix, "{origin}");
        }
    }
}

/// Control: every attack fools at least one naive matcher that its class claims to defeat,
/// and every naive matcher of a form is fooled by at least one attack on it, while accepting
/// an origin the form covers. A corpus that fooled none of them would prove nothing.
#[test]
fn control_every_attack_fools_a_naive_matcher_of_its_class() {
    for form in FORMS {
        let example = [form.example.as_bytes().to_vec()];
        let naives = form.naives();
        for naive in &naives {
            assert!(
                naive.accepts(form, &example),
                "{}: {naive:?} refuses {}",
                form.name,
                form.example
            );
        }
        assert_every_attack_fools(form.name, &(form.corpus)(form), naives, |attack| {
            form.fools(attack.class)
                .iter()
                .copied()
                .filter(|naive| naive.accepts(form, &attack.values))
                .collect()
        });
    }
    // The suffix check that ignores public suffixes accepts every public-suffix attack.
    for form in [&PUBLIC_SUFFIX_DEEP, &PUBLIC_SUFFIX_ONE] {
        for attack in (form.corpus)(form) {
            assert!(
                Naive::IgnoresPublicSuffixes.accepts(form, &attack.values),
                "{}: {attack:?}",
                form.name
            );
        }
    }
}

/// The library: no attack on any form gets any CORS header, with the entry in the attribute
/// or in the environment, with or without credentials, as an actual request or a preflight;
/// every covered origin does. The predicate is asked exactly what the README says.
#[test]
fn no_attack_on_a_form_is_allowed_by_any_configuration() {
    let mut failures = Vec::new();
    let (mut refused, mut asked_total) = (0, 0);
    for form in FORMS {
        let cases = cases(form);
        for config in configs(form) {
            let env = config.env.as_deref().map(Some);
            let policy = build_policy(&config.name, &config.spec, env);
            let credentials = config.spec.credentials;
            for case in &cases {
                let allowed = form.allows(&case.values);
                assert_eq!(
                    allowed,
                    case.class == Case::Covered,
                    "{}: {case:?}",
                    config.name
                );
                refused += usize::from(!allowed);
                let origin = allowed
                    .then(|| std::str::from_utf8(&case.values[0]).expect("reference: UTF-8"));
                for kind in Kind::ALL {
                    take_asked();
                    let (response, ran) = respond(&policy, &request(kind, &case.values));
                    let asked = take_asked();
                    asked_total += asked.len();
                    let lines = header_lines(response.headers());
                    let preflight = matches!(kind, Kind::Preflight);
                    let result = check_answer(&lines, origin, credentials, preflight, ran)
                        .and_then(|()| check_asked(form, &case.values, credentials, &asked));
                    if let Err(problem) = result {
                        failures.push(format!("{}: {kind:?} {case:?}: {problem}", config.name));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(refused >= 4 * 300, "only {refused} refusals checked");
    assert!(
        asked_total >= 100,
        "the predicate was asked only {asked_total} times"
    );
}

/// A predicate written for hosts, trusting that it is only asked about what browsers send:
/// every `https` origin. It records what it is asked.
fn any_https(origin: &Origin) -> bool {
    ASKED.with_borrow_mut(|asked| asked.push(origin.as_str().to_owned()));
    origin.scheme() == "https"
}

/// Spellings of `https://example.org` (and of addresses) that no browser sends, some of which
/// the WHATWG URL parser serializes as written (a trailing dot, empty labels, characters no
/// domain name has): a predicate that allows every `https` origin is never asked about them,
/// and none is reflected, with or without credentials. The same origins written as browsers
/// write them are asked about, and reflected.
#[test]
fn a_predicate_that_allows_every_https_origin_is_asked_only_what_browsers_send() {
    let long_label = format!("https://{}.example.org", "a".repeat(64));
    #[rustfmt::skip]
    let never_sent = [
        "https://example.org.", "https://example.org..", "https://example.org.:8443",
        "https://a..example.org", "https://.example.org", "https://..example.org", "https://.",
        "https://*.example.org", "https://a,b.example.org", "https://example.org,",
        "https://example.org;", "https://a$b.example.org", "https://a!b.example.org", &long_label,
        "https://Example.org", "HTTPS://example.org", "https://example.org:443",
        "https://example.org:08443", "https://example.org:", "https://user@example.org",
        "https://example.org/", "https://example.org?", "https://example.org#",
        "https:\\\\example.org", "https://example.org\\", "https://ex%61mple.org",
        "https://127.1", "https://0x7f.0.0.1", "https://2130706433", "https://127.0.0.1.",
        "https://[0:0:0:0:0:0:0:1]", "https://[::0001]", "https://[::1%25eth0]",
        " https://example.org", "https://example.org\t", "https://xn--bcher-kva.example.",
        "null",
    ];
    let browsers_send = [
        "https://example.org",
        "https://example.org:8443",
        "https://a.b.example.org",
        "https://a_b.example.org",
        "https://xn--bcher-kva.example",
        "https://127.0.0.1",
        "https://[::1]:8443",
    ];
    let mut failures = Vec::new();
    for credentials in [false, true] {
        let mut spec = spec(&[OTHER_LISTED], None, credentials);
        spec.origins_fn = Some(Predicate::Function(any_https));
        let policy = build_policy("every https origin", &spec, None);
        let cases = never_sent
            .iter()
            .map(|value| (*value, None))
            .chain(browsers_send.iter().map(|value| (*value, Some(*value))));
        for (value, allowed) in cases {
            for kind in Kind::ALL {
                take_asked();
                let (response, ran) = respond(&policy, &request(kind, &[value.into()]));
                let asked = take_asked();
                let preflight = matches!(kind, Kind::Preflight);
                let lines = header_lines(response.headers());
                let want_asked: Vec<String> = allowed.iter().map(|v| (*v).to_owned()).collect();
                let result =
                    check_answer(&lines, allowed, credentials, preflight, ran).and_then(|()| {
                        (asked == want_asked)
                            .then_some(())
                            .ok_or_else(|| format!("predicate asked {asked:?}"))
                    });
                if let Err(problem) = result {
                    failures.push(format!(
                        "credentials {credentials}, {kind:?} {value:?}: {problem}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Real Lambda events
// ---------------------------------------------------------------------------------------------

/// A `#[cors]` handler per entry, without and with credentials, each listing the entry beside
/// `https://admin.example.net` ([`OTHER_LISTED`]); and `send`, which invokes the one of an
/// entry.
macro_rules! handlers {
    ($($entry:tt => $without:ident, $with:ident $(, origins_fn = $predicate:ident)?;)*) => {
        $(
            #[cors(
                origins = [$entry, "https://admin.example.net"],
                $(origins_fn = $predicate,)?
                expose_headers = ["x-secret"]
            )]
            async fn $without(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
                business()
            }

            #[cors(
                origins = [$entry, "https://admin.example.net"],
                $(origins_fn = $predicate,)?
                credentials,
                expose_headers = ["x-secret"]
            )]
            async fn $with(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
                business()
            }
        )*

        /// Invokes the handler that lists `entry`, with or without credentials, with `event`.
        async fn send(entry: &str, credentials: bool, event: &EventBuilder) -> Invocation {
            match (entry, credentials) {
                $(
                    ($entry, false) => invoke(service_fn($without), event).await,
                    ($entry, true) => invoke(service_fn($with), event).await,
                )*
                _ => panic!("no handler lists {entry}"),
            }
            .expect("the handler never fails")
        }
    };
}

handlers! {
    "https://**.preview.example.com" => deep, deep_with_credentials;
    "https://**.amazonaws.com" => deep_aws, deep_aws_with_credentials;
    "https://*.amazonaws.com" => one_aws, one_aws_with_credentials;
    "http://127.0.0.1:*" => loopback_v4, loopback_v4_with_credentials;
    "http://localhost:*" => localhost, localhost_with_credentials;
    "http://[::1]:*" => loopback_v6, loopback_v6_with_credentials;
    "https://app.example.com" => predicate, predicate_with_credentials, origins_fn = tenant;
}

#[tokio::test]
async fn no_attack_on_a_form_is_allowed_through_real_events() {
    let mut failures = Vec::new();
    let (mut invocations, mut refused, mut asked_total) = (0, 0, 0);
    for form in FORMS {
        let cases: Vec<(Case, Vec<String>)> = cases(form)
            .into_iter()
            .filter_map(|case| Some((case.class, case.json_values()?)))
            .collect();
        for kind in EventKind::ALL {
            for credentials in [false, true] {
                for (case, values) in &cases {
                    let delivered = delivered(kind, values);
                    let allowed = form.allows(&delivered);
                    if values.len() > 1 && allowed {
                        // README "Limits": on these kinds lambda_http hands the handler only the
                        // last of several Origin headers (browsers never send two).
                        assert!(
                            matches!(kind, EventKind::RestV1 | EventKind::AlbSingleValue),
                            "{kind}: {values:?}"
                        );
                    }
                    let origin = allowed.then(|| {
                        std::str::from_utf8(&delivered[0]).expect("the reference allows only UTF-8")
                    });
                    for preflight in [false, true] {
                        take_asked();
                        let inv =
                            send(form.entry(), credentials, &event(kind, values, preflight)).await;
                        let asked = take_asked();
                        asked_total += asked.len();
                        invocations += 1;
                        refused += usize::from(!allowed);
                        let lines = inv.headers();
                        let ran = values_of(&lines, "x-handler") == ["ran"];
                        let result = check_answer(&lines, origin, credentials, preflight, ran)
                            .and_then(|()| check_asked(form, &delivered, credentials, &asked));
                        if let Err(problem) = result {
                            failures.push(format!(
                                "{kind}, {}, credentials {credentials}, preflight {preflight}: \
                                 {case:?} {values:?}: {problem}",
                                form.name
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {invocations} invocations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        refused >= 6 * 2 * 2 * 300,
        "only {refused} refusals checked"
    );
    assert!(
        asked_total >= 100,
        "the predicate was asked only {asked_total} times"
    );
}
