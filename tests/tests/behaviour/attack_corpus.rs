//! No attacker-chosen `Origin` widens the whitelist.
//!
//! A corpus of attacker origins, in every misconfiguration class that CORS scanners test for
//! (reflection of any origin, `null`, prefix, suffix, substring and unescaped-dot look-alikes,
//! special characters after the host, other schemes and ports, any subdomain) and a few more
//! (user-info tricks, case, whitespace, several origins, IDN look-alikes, bytes that are not
//! UTF-8), is generated around a listed origin and sent:
//!
//! 1. through the exact per-request path `#[cors]` expands to (`Policy::build`, then
//!    `before_with` and `After::finish`), for an exact list in the attribute, an exact list in
//!    the environment, and a `*.` pattern in the attribute and in the environment, each with
//!    and without credentials; as actual requests (`GET`, `POST`, a non-preflight `OPTIONS`)
//!    whose handler sets CORS headers of its own, and as preflights;
//! 2. as real Lambda event JSON of every [`EventKind`] to `#[cors]` handlers (exact list and
//!    pattern in the attribute): every attack that JSON can carry for the handlers with
//!    credentials, every third one for those without, as actual requests and preflights.
//!    Two `Origin` headers reach the handler as the service delivers them: joined with a comma
//!    (HTTP API, Function URL), separately (multi-value ALB, VPC Lattice), or only the last one
//!    (REST API, single-value ALB: the README's "Limits"; a pair ending in the listed origin is
//!    then allowed there, as documented, and the test pins that).
//!
//! No attack may get `Access-Control-Allow-Origin`, `Access-Control-Allow-Credentials` or any
//! other `Access-Control-*` header, and every listed origin still gets them. For the pattern
//! configurations, an independent reference matcher (the README's rule: exactly one DNS label,
//! same scheme and port) names the few corpus entries that the pattern legitimately covers;
//! they must be allowed, and the test pins which they are.
//!
//! Controls: the corpus is run against naive matchers written here (prefix, suffix, substring,
//! unanchored and unescaped-dot regular expressions with `regex-lite`, URL normalisation with
//! `url`, punycode decoding with `idna`, …). Every attack must be
//! accepted by at least one naive matcher its class claims to defeat, and every naive matcher
//! must be fooled by at least one attack of such a class: the corpus contains the attacks it
//! says it does.

use cors_tests::reference::in_pattern;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::sync::Arc;

use cors_runtime::__for_tests::{Before, Policy, Spec, attribute_source, before as before_with};
use cors_runtime::cors;
use cors_tests::events::{EventBuilder, EventKind, Invocation, invoke};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Request, Response};
use lambda_http::{Body, Error, service_fn};

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

/// The listed origin that a corpus is built around.
#[derive(Debug, Clone, Copy)]
struct Target {
    /// The listed origin (for a pattern, one origin the pattern covers).
    origin: &'static str,
    scheme: &'static str,
    host: &'static str,
    /// The host without its first label (`example.com` for `www.example.com`).
    parent: &'static str,
}

/// The exact listed origin of the exact-list configurations.
const WWW: Target = Target {
    origin: "https://www.example.com",
    scheme: "https",
    host: "www.example.com",
    parent: "example.com",
};

/// An origin covered by `https://*.preview.example.com`, for the pattern configurations.
const PREVIEW: Target = Target {
    origin: "https://www.preview.example.com",
    scheme: "https",
    host: "www.preview.example.com",
    parent: "preview.example.com",
};

/// Another listed origin, unrelated to the corpus, so that the lists have more than one entry.
pub(super) const OTHER_LISTED: &str = "https://admin.example.net";

/// The attack classes; each names the naive matchers it defeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Class {
    /// Any unrelated origin (a server that reflects every origin).
    Unrelated,
    /// `null` and its spellings.
    Null,
    /// The listed origin followed by more host: `https://www.example.com.evil.com`.
    Prefix,
    /// The listed host preceded by more: `https://evilexample.com`, `https://d3vwww.example.com`.
    Suffix,
    /// A dot of the host replaced: `https://wwwxexample.com`, `https://www.exampleacom`.
    UnescapedDot,
    /// A part of the listed host: `https://xample.com`.
    Substring,
    /// Special characters after the host: `https://www.example.com_.evil.com`, `` ` ``, `%60`, ….
    SpecialCharacter,
    /// User-info, path, query or fragment tricks: `https://www.example.com@evil.com`.
    Userinfo,
    /// Another scheme, or a malformed one: `http://www.example.com`.
    Scheme,
    /// Another (or the default, or a malformed) port.
    Port,
    /// More labels in front of the listed host: `https://evil.www.example.com`.
    Subdomain,
    /// Letter case.
    Case,
    /// A trailing slash or dot.
    TrailingSlashOrDot,
    /// Whitespace around or inside.
    Whitespace,
    /// Two `Origin` headers.
    TwoOriginHeaders,
    /// Several origins in one header, joined with commas or spaces.
    Joined,
    /// IDN look-alikes, in punycode and in raw Unicode, and Unicode that URL parsers fold.
    Idn,
    /// Bytes that are not UTF-8 (obs-text, which `HeaderValue::from_bytes` accepts).
    InvalidUtf8,
}

impl Class {
    const ALL: [Class; 18] = [
        Class::Unrelated,
        Class::Null,
        Class::Prefix,
        Class::Suffix,
        Class::UnescapedDot,
        Class::Substring,
        Class::SpecialCharacter,
        Class::Userinfo,
        Class::Scheme,
        Class::Port,
        Class::Subdomain,
        Class::Case,
        Class::TrailingSlashOrDot,
        Class::Whitespace,
        Class::TwoOriginHeaders,
        Class::Joined,
        Class::Idn,
        Class::InvalidUtf8,
    ];

    /// The naive matchers that an attack of this class is meant to fool (at least one of them
    /// must accept it).
    fn fools(self) -> &'static [Naive] {
        use Naive::*;
        match self {
            Class::Unrelated => &[ReflectAny],
            Class::Null => &[TrustsNull],
            Class::Prefix => &[Prefix, UnanchoredRegex],
            Class::Suffix => &[Suffix, UnanchoredRegex],
            Class::UnescapedDot => &[UnescapedDotRegex],
            Class::Substring => &[Substring],
            Class::SpecialCharacter => &[Prefix, UnanchoredRegex, Whatwg],
            Class::Userinfo => &[Prefix, Suffix, Whatwg, UnanchoredRegex],
            Class::Scheme => &[Suffix, HostOnly, Whatwg, UnanchoredRegex],
            Class::Port => &[Prefix, HostOnly, Whatwg],
            Class::Subdomain => &[Suffix, UnanchoredRegex],
            Class::Case => &[CaseInsensitive, HostOnly, Whatwg],
            Class::TrailingSlashOrDot => &[Prefix, HostOnly, Whatwg],
            Class::Whitespace => &[Trimmed, Whatwg, Prefix, Suffix],
            Class::TwoOriginHeaders => &[AnyValue],
            Class::Joined => &[SplitList],
            Class::Idn => &[Whatwg, Skeleton, Prefix, Suffix],
            Class::InvalidUtf8 => &[DropInvalid, LenientUtf8, UnescapedDotRegex, Prefix, Suffix],
        }
    }
}

/// One attack: the values of the request's `Origin` header(s), in a class of attacks (this
/// module's [`Class`], or another module's own).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Attack<C = Class> {
    pub(super) class: C,
    pub(super) values: Vec<Vec<u8>>,
}

impl<C: std::fmt::Debug> std::fmt::Debug for Attack<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|v| v.escape_ascii().to_string())
            .collect();
        write!(f, "{:?} {values:?}", self.class)
    }
}

impl<C> Attack<C> {
    /// The values as JSON strings, if a Lambda event can carry them (UTF-8 without control
    /// characters, which `lambda_http` refuses).
    pub(super) fn json_values(&self) -> Option<Vec<String>> {
        self.values
            .iter()
            .map(|v| {
                let text = std::str::from_utf8(v).ok()?;
                (!text.chars().any(char::is_control)).then(|| text.to_owned())
            })
            .collect()
    }
}

/// Characters that CORS scanners put after the host (`%60` and `%0b` as text).
const SPECIAL: &[&str] = &[
    "_", "-", "\"", "{", "}", "+", "^", "%60", "!", "~", "`", ";", "|", "&", "'", "(", ")", "*",
    ",", "$", "=", "%0b", "\\", "<", ">", "[", "]", "%2e", "%00", "%ff",
];

/// The corpus around `t`.
fn corpus(t: Target) -> Vec<Attack> {
    let (o, s, h, p) = (t.origin, t.scheme, t.host, t.parent);
    let first_label = h.split('.').next().expect("a host has a label");
    let after_first = &h[first_label.len()..]; // ".example.com"
    let dots: Vec<usize> = h.match_indices('.').map(|(i, _)| i).collect();
    let last_dot = *dots.last().expect("a dotted host");
    let other_scheme = if s == "https" { "http" } else { "https" };
    let after =
        |suffixes: &[&str]| -> Vec<String> { suffixes.iter().map(|x| format!("{o}{x}")).collect() };

    let mut attacks: Vec<Attack> = Vec::new();
    let mut add = |class: Class, values: Vec<String>| {
        attacks.extend(values.into_iter().map(|v| Attack {
            class,
            values: vec![v.into_bytes()],
        }));
    };

    #[rustfmt::skip]
    add(Class::Unrelated, [
        "https://evil.com", "http://evil.com", "https://attacker.example", "https://evil.com:8443",
        "https://example.org", "https://whatever.github.io", "http://jsbin.com",
        "https://codepen.io", "https://jsfiddle.net", "http://localhost:3000", "http://127.0.0.1",
        "http://[::1]:8080", "https://192.0.2.1", "file://",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop", "moz-extension://4f1b2c3d",
        "data:", "about:blank", "*",
    ].map(String::from).to_vec());

    add(
        Class::Null,
        ["null", "NULL", "Null", " null", "null "]
            .map(String::from)
            .to_vec(),
    );

    let mut prefix = after(&[
        ".evil.com",
        "evil.com",
        "-evil.com",
        ".com",
        ".evil.com.",
        "0",
        ".example.org",
    ]);
    prefix.push(format!("{o}.{h}"));
    add(Class::Prefix, prefix);

    #[rustfmt::skip]
    add(Class::Suffix, vec![
        format!("{s}://evil{p}"), format!("{s}://d3v{h}"), format!("{s}://not{h}"),
        format!("{s}://evil-{h}"), format!("{s}://{first_label}{h}"),
        format!("{s}://evil.com.{p}"), format!("{s}://0{h}"), format!("{s}://evil_{h}"),
    ]);

    let mut unescaped = Vec::new();
    for &dot in &dots {
        for replacement in ["x", "a", "-", "0", "_", "/"] {
            unescaped.push(format!("{s}://{}{replacement}{}", &h[..dot], &h[dot + 1..]));
        }
    }
    unescaped.push(format!("{s}://{}", h.replace('.', "x")));
    add(Class::UnescapedDot, unescaped);

    #[rustfmt::skip]
    add(Class::Substring, vec![
        format!("{s}://{}", &p[1..]), format!("{s}://{}", &p[2..]), format!("{s}://{p}"),
        format!("{s}://.{p}"), format!("{s}://{}{after_first}", &first_label[1..]),
        format!("{s}://{}{after_first}", &first_label[2..]), format!("{s}://{}", &h[..h.len() - 1]),
        format!("{s}://{}", &h[..h.len() - 2]), format!("{s}://{}", &h[..last_dot]),
        format!("{s}://{first_label}"), format!("{s}://"), String::new(),
    ]);

    let mut special: Vec<String> = SPECIAL.iter().map(|c| format!("{o}{c}.evil.com")).collect();
    // `{o},` alone is a joined list, below.
    special.extend(
        SPECIAL
            .iter()
            .filter(|c| **c != ",")
            .map(|c| format!("{o}{c}")),
    );
    special.extend(after(&["/path", "?q=1", "#x", "/.evil.com", "\\evil.com"]));
    add(Class::SpecialCharacter, special);

    #[rustfmt::skip]
    add(Class::Userinfo, vec![
        format!("{o}@evil.com"), format!("{s}://evil.com@{h}"), format!("{s}://user:pass@{h}"),
        format!("{o}:@evil.com"), format!("{o}:443@evil.com"), format!("{o}%40evil.com"),
        format!("{o}#@evil.com"), format!("{o}\\@evil.com"), format!("{o}?@evil.com"),
        format!("{s}://evil.com#{h}"), format!("{s}://evil.com/{h}"),
        format!("{s}://evil.com?{h}"), format!("{s}://evil.com\\{h}"),
        format!("{s}://evil.com%23@{h}"), format!("{s}://{h}@{h}"), format!("{s}://@{h}"),
    ]);

    #[rustfmt::skip]
    add(Class::Scheme, vec![
        format!("{other_scheme}://{h}"), format!("ws://{h}"), format!("wss://{h}"),
        format!("ftp://{h}"), format!("file://{h}"), format!("{s}:{h}"), format!("{s}:/{h}"),
        format!("{s}:///{h}"), format!("{s}:\\\\{h}"), format!("//{h}"), h.to_owned(),
        format!("{s}//{h}"), format!("{s}s://{h}"), format!("{s}://{s}://{h}"),
        format!("chrome-extension://{h}"), format!("blob:{o}"),
    ]);

    add(
        Class::Port,
        after(&[
            ":443", ":8443", ":80", ":0", ":1", ":65535", ":65536", ":", ":0443", ":443/", ":+443",
            ":4430",
        ]),
    );

    #[rustfmt::skip]
    add(Class::Subdomain, vec![
        format!("{s}://evil.{h}"), format!("{s}://a.b.{h}"), format!("{s}://{first_label}.{h}"),
        format!("{s}://.{h}"), format!("{s}://..{h}"), format!("{s}://xn--e1afmkfd.{h}"),
        format!("{s}://-.{h}"),
    ]);

    let capitalised: Vec<String> = h
        .split('.')
        .map(|label| label[..1].to_ascii_uppercase() + &label[1..])
        .collect();
    let (before_tld, tld) = h.split_at(last_dot + 1);
    #[rustfmt::skip]
    add(Class::Case, vec![
        format!("{}://{h}", s.to_ascii_uppercase()), format!("{s}://{}", h.to_ascii_uppercase()),
        o.to_ascii_uppercase(), format!("{s}://{}", capitalised.join(".")),
        format!("{}{}://{h}", s[..1].to_ascii_uppercase(), &s[1..]),
        format!("{s}://{before_tld}{}", tld.to_ascii_uppercase()),
    ]);

    add(
        Class::TrailingSlashOrDot,
        after(&["/", ".", "./", "//", "..", "/.", ".:443"]),
    );

    // Inside the host: just before the last letter of the label before the top-level domain.
    let (inner_left, inner_right) = h.split_at(last_dot - 1);
    #[rustfmt::skip]
    add(Class::Whitespace, vec![
        format!(" {o}"), format!("{o} "), format!("  {o}  "), format!("\t{o}"),
        format!("{o}\t"), format!("{s}:// {h}"), format!("{s}://{inner_left}\t{inner_right}"),
    ]);

    #[rustfmt::skip]
    add(Class::Joined, vec![
        format!("{o}, https://evil.com"), format!("https://evil.com, {o}"),
        format!("{o},https://evil.com"), format!("{o},{o}"), format!("{o}, {o}"),
        format!(",{o}"), format!("{o},"), format!("{o} https://evil.com"),
        format!("https://evil.com {o}"), format!("{o}, null"), format!("null {o}"),
    ]);

    // IDN: look-alike letters, raw and in punycode (as the URL standard serializes them).
    let mut idn: Vec<String> = Vec::new();
    for (ascii, lookalike) in [
        ('a', '\u{430}'), // Cyrillic a
        ('e', '\u{435}'), // Cyrillic ie
        ('o', '\u{43e}'), // Cyrillic o
        ('p', '\u{440}'), // Cyrillic er
        ('l', '\u{4cf}'), // Cyrillic palochka
        ('a', '\u{e4}'),  // a with diaeresis
    ] {
        if let Some(at) = h.find(ascii) {
            let raw = format!("{s}://{}{lookalike}{}", &h[..at], &h[at + 1..]);
            idn.push(punycode_origin(&raw));
            idn.push(raw);
        }
    }
    // Unicode that the URL standard maps onto the listed host (fullwidth and circled letters,
    // ideographic full stops, the ignored soft hyphen): a server that parses the Origin as a
    // URL before comparing is fooled.
    let shifted = |base: u32| -> String {
        first_label
            .chars()
            .map(|c| char::from_u32(c as u32 - 'a' as u32 + base).expect("a letter"))
            .collect()
    };
    let (fullwidth, circled) = (shifted(0xFF41), shifted(0x24D0));
    #[rustfmt::skip]
    idn.extend([
        format!("{s}://{fullwidth}{after_first}"), format!("{s}://{circled}{after_first}"),
        format!("{s}://{}", h.replace('.', "\u{3002}")),
        format!("{s}://{}", h.replace('.', "\u{ff0e}")),
        format!("{s}://{}", h.replace('.', "\u{ff61}")),
        format!("{s}://{inner_left}\u{ad}{inner_right}"),
        format!("{o}.xn--e1afmkfd.com"),
        format!("{o}.\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}.com"),
        format!("{s}://\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}.{h}"),
    ]);
    add(Class::Idn, idn);

    for pair in [
        [o, "https://evil.com"],
        ["https://evil.com", o],
        [o, o],
        [o, "null"],
        ["null", o],
        [o, ""],
        [" ", o],
    ] {
        attacks.push(Attack {
            class: Class::TwoOriginHeaders,
            values: pair.iter().map(|v| v.as_bytes().to_vec()).collect(),
        });
    }

    let (ob, sb, hb) = (o.as_bytes(), s.as_bytes(), h.as_bytes());
    let first_dot = dots[0];
    let invalid: [&[&[u8]]; 15] = [
        &[ob, b"\xff"],
        &[b"\xff", ob],
        &[ob, b"\x80"],
        &[ob, b"\xc0\xae"],
        &[ob, b"\xed\xa0\x80"],
        &[ob, b"\xf8\x88\x80\x80\x80"],
        &[ob, b"\xa0"],
        &[b"\xa0", ob],
        &[ob, b"\xc0\xae\xc0\xae"],
        &[sb, b"://", &hb[..=first_dot], b"\x80", &hb[first_dot + 1..]],
        &[sb, b"://", &hb[..first_dot], b"\xae", &hb[first_dot + 1..]],
        &[
            sb,
            b"://",
            &hb[..first_dot],
            b"\xc0\xae",
            &hb[first_dot + 1..],
        ],
        &[
            sb,
            b"://",
            &hb[..last_dot],
            b"\xc0\xae",
            &hb[last_dot + 1..],
        ],
        &[sb, b"\xc0\xba//", hb],
        &[sb, b"://\xe4", hb],
    ];
    attacks.extend(invalid.iter().map(|parts| Attack {
        class: Class::InvalidUtf8,
        values: vec![parts.concat()],
    }));

    attacks
}

/// The ASCII serialization of `origin` by the WHATWG URL parser (punycode for IDN hosts).
pub(super) fn punycode_origin(origin: &str) -> String {
    let url = url::Url::parse(origin).unwrap_or_else(|e| panic!("{origin}: {e}"));
    url.origin().ascii_serialization()
}

// ---------------------------------------------------------------------------------------------
// Naive matchers (controls)
// ---------------------------------------------------------------------------------------------

/// Matchers with the mistakes that the attack classes exploit, each written as a hurried
/// server-side check would be, for one listed origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Naive {
    /// Reflects whatever comes.
    ReflectAny,
    /// Trusts `null` "for local files" besides the listed origin.
    TrustsNull,
    /// `origin.starts_with(listed)`.
    Prefix,
    /// `origin.ends_with("example.com")`: "our domain and its subdomains".
    Suffix,
    /// `^https://www.example.com$` with the dots left unescaped.
    UnescapedDotRegex,
    /// `www\.example\.com` searched anywhere in the origin (no anchors).
    UnanchoredRegex,
    /// The origin's host is a substring of the listed host (`"www.example.com".includes(host)`).
    Substring,
    /// Parses the origin with the WHATWG URL parser and compares its serialized origin.
    Whatwg,
    /// Compares the host only: scheme, port, case and trailing `/` or `.` ignored.
    HostOnly,
    /// Case-insensitive comparison.
    CaseInsensitive,
    /// Compares after trimming whitespace.
    Trimmed,
    /// Accepts if any of several `Origin` headers is listed.
    AnyValue,
    /// Splits the header on commas and whitespace and accepts if any part is listed.
    SplitList,
    /// Compares what a person sees: punycode decoded, look-alike letters folded.
    Skeleton,
    /// Decodes lossily and drops what is not UTF-8.
    DropInvalid,
    /// A lenient UTF-8 decoder that accepts overlong sequences (`\xc0\xae` is `.`).
    LenientUtf8,
}

impl Naive {
    const ALL: [Naive; 16] = [
        Naive::ReflectAny,
        Naive::TrustsNull,
        Naive::Prefix,
        Naive::Suffix,
        Naive::UnescapedDotRegex,
        Naive::UnanchoredRegex,
        Naive::Substring,
        Naive::Whatwg,
        Naive::HostOnly,
        Naive::CaseInsensitive,
        Naive::Trimmed,
        Naive::AnyValue,
        Naive::SplitList,
        Naive::Skeleton,
        Naive::DropInvalid,
        Naive::LenientUtf8,
    ];

    /// Whether this matcher, configured with `t.origin`, lets `values` through. All but
    /// [`Naive::AnyValue`] read the first `Origin` value, as `HeaderMap::get` does.
    fn accepts(self, t: Target, values: &[Vec<u8>]) -> bool {
        let listed = t.origin;
        if self == Naive::AnyValue {
            return values.iter().any(|v| v == listed.as_bytes());
        }
        let raw: &[u8] = values.first().map_or(&[], Vec::as_slice);
        let text = String::from_utf8_lossy(raw);
        let v = text.as_ref();
        match self {
            Naive::ReflectAny => true,
            Naive::TrustsNull => v.trim().eq_ignore_ascii_case("null") || v == listed,
            Naive::Prefix => v.starts_with(listed),
            Naive::Suffix => v.ends_with(t.parent),
            Naive::UnescapedDotRegex => regex(&format!("^{listed}$")).is_match(v),
            Naive::UnanchoredRegex => regex(&t.host.replace('.', "\\.")).is_match(v),
            Naive::Substring => {
                let host = v.split_once("://").map_or(v, |(_, rest)| rest);
                t.host.contains(host)
            }
            Naive::Whatwg => {
                url::Url::parse(v).is_ok_and(|url| url.origin().ascii_serialization() == listed)
            }
            Naive::HostOnly => host_only(v) == t.host,
            Naive::CaseInsensitive => v.eq_ignore_ascii_case(listed),
            Naive::Trimmed => v.trim() == listed,
            Naive::AnyValue => unreachable!("handled above"),
            Naive::SplitList => v
                .split(|c: char| c == ',' || c.is_whitespace())
                .any(|part| part == listed),
            Naive::Skeleton => skeleton(v) == listed,
            Naive::DropInvalid => v.replace('\u{fffd}', "") == listed,
            Naive::LenientUtf8 => lenient_utf8(raw) == listed,
        }
    }
}

/// The host of a would-be origin: after `://`, before any path, query or fragment, without a
/// numeric port or trailing dots, lowercased.
pub(super) fn host_only(v: &str) -> String {
    let rest = v.split_once("://").map_or(v, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some((name, port)) = host.rsplit_once(':')
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        host = name;
    }
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// What a person reads: each `xn--` label decoded, look-alike letters folded to ASCII.
pub(super) fn skeleton(v: &str) -> String {
    let Some((scheme, host)) = v.split_once("://") else {
        return v.to_owned();
    };
    let labels: Vec<String> = host
        .split('.')
        .map(|label| {
            label
                .strip_prefix("xn--")
                .and_then(idna::punycode::decode_to_string)
                .unwrap_or_else(|| label.to_owned())
        })
        .collect();
    let folded: String = labels
        .join(".")
        .chars()
        .map(|c| match c {
            '\u{430}' | '\u{e4}' | '\u{e0}' | '\u{e1}' => 'a',
            '\u{435}' | '\u{e9}' | '\u{117}' => 'e',
            '\u{43e}' | '\u{3bf}' | '\u{f6}' => 'o',
            '\u{440}' => 'p',
            '\u{441}' => 'c',
            '\u{445}' => 'x',
            '\u{4cf}' | '\u{406}' => 'l',
            other => other,
        })
        .collect();
    format!("{scheme}://{folded}")
}

/// Decodes UTF-8 the way old lenient decoders did: overlong two- and three-byte sequences are
/// accepted; anything else invalid becomes U+FFFD.
pub(super) fn lenient_utf8(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let continuation = |at: usize| bytes.get(at).filter(|c| *c & 0xC0 == 0x80).copied();
        let (code, len) = match b {
            0x00..=0x7F => (Some(u32::from(b)), 1),
            0xC0..=0xDF => match continuation(i + 1) {
                Some(c1) => (Some(u32::from(b & 0x1F) << 6 | u32::from(c1 & 0x3F)), 2),
                None => (None, 1),
            },
            0xE0..=0xEF => match (continuation(i + 1), continuation(i + 2)) {
                (Some(c1), Some(c2)) => (
                    Some(
                        u32::from(b & 0x0F) << 12
                            | u32::from(c1 & 0x3F) << 6
                            | u32::from(c2 & 0x3F),
                    ),
                    3,
                ),
                _ => (None, 1),
            },
            _ => (None, 1),
        };
        out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
        i += len;
    }
    out
}

/// `pattern` as a hurried server-side check would use it: `.` matches any character (a line
/// break too, `(?s)`), `$` only the end of the text.
pub(super) fn regex(pattern: &str) -> regex_lite::Regex {
    regex_lite::Regex::new(&format!("(?s){pattern}")).unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Configurations and the reference rule
// ---------------------------------------------------------------------------------------------

/// One configuration under test.
struct Config {
    name: &'static str,
    spec: Spec<'static>,
    env: Option<Option<&'static str>>,
    target: Target,
    /// The exact entries, all of which must be allowed.
    exact: &'static [&'static str],
    /// The `*.` patterns, as (scheme, parent).
    patterns: &'static [(&'static str, &'static str)],
}

pub(super) const fn spec(
    origins: &'static [&'static str],
    origins_env: Option<&'static str>,
    credentials: bool,
) -> Spec<'static> {
    Spec {
        source: attribute_source("attack_corpus", file!(), line!()),
        origins_fn: None,
        origins,
        origins_env,
        credentials,
        allow_insecure_http: false,
        methods: None,
        headers: None,
        expose_headers: &["x-secret"],
        max_age: None,
        preflight: true,
    }
}

fn configs() -> Vec<Config> {
    const EXACT: &[&str] = &["https://www.example.com", OTHER_LISTED];
    const PATTERN: &[&str] = &["https://*.preview.example.com"];
    const PREVIEW_PATTERN: &[(&str, &str)] = &[("https", "preview.example.com")];
    let mut configs = Vec::new();
    for credentials in [false, true] {
        configs.extend([
            Config {
                name: if credentials {
                    "exact list in the attribute, with credentials"
                } else {
                    "exact list in the attribute"
                },
                spec: spec(EXACT, None, credentials),
                env: None,
                target: WWW,
                exact: EXACT,
                patterns: &[],
            },
            Config {
                name: if credentials {
                    "exact list in the environment, with credentials"
                } else {
                    "exact list in the environment"
                },
                spec: spec(&[], Some("ALLOWED_ORIGINS"), credentials),
                env: Some(Some("https://admin.example.net, https://www.example.com\n")),
                target: WWW,
                exact: EXACT,
                patterns: &[],
            },
            Config {
                name: if credentials {
                    "pattern in the attribute, with credentials"
                } else {
                    "pattern in the attribute"
                },
                spec: spec(PATTERN, None, credentials),
                env: None,
                target: PREVIEW,
                exact: &[],
                patterns: PREVIEW_PATTERN,
            },
            Config {
                name: if credentials {
                    "pattern in the environment, with credentials"
                } else {
                    "pattern in the environment"
                },
                spec: spec(&[], Some("ALLOWED_ORIGINS"), credentials),
                env: Some(Some("https://*.preview.example.com")),
                target: PREVIEW,
                exact: &[],
                patterns: PREVIEW_PATTERN,
            },
        ]);
    }
    configs
}

/// The policy of `spec` with `env` as the variable's value, as a cold start builds it; it must
/// have no configuration error.
pub(super) fn build_policy(name: &str, spec: &Spec<'_>, env: Option<Option<&str>>) -> Arc<Policy> {
    let policy = Arc::new(Policy::build(spec, env.map(|v| v.map(OsStr::new))));
    assert!(policy.errors().is_empty(), "{name}: {}", policy.errors());
    policy
}

impl Config {
    fn policy(&self) -> Arc<Policy> {
        build_policy(self.name, &self.spec, self.env)
    }

    /// The README's rule, written independently of the library: exactly one `Origin` value,
    /// byte-equal to an exact entry, or `scheme://LABEL.parent` for a pattern, where LABEL is
    /// one DNS label as browsers serialize it (lowercase letters, digits, inner hyphens).
    fn reference_allows(&self, values: &[Vec<u8>]) -> bool {
        let [value] = values else { return false };
        let Ok(value) = std::str::from_utf8(value) else {
            return false;
        };
        if self.exact.contains(&value) {
            return true;
        }
        self.patterns
            .iter()
            .any(|(scheme, parent)| in_pattern(scheme, parent, value))
    }
}

// ---------------------------------------------------------------------------------------------
// The per-request path
// ---------------------------------------------------------------------------------------------

/// The handler's own response: it sets CORS headers itself, as hand-written code often does.
fn leaky_response<B: Default>() -> Response<B> {
    Response::builder()
        .header(ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .header(ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
        .header(ACCESS_CONTROL_EXPOSE_HEADERS, "x-secret")
        .header(VARY, "Accept-Encoding")
        .header("x-handler", "ran")
        .body(B::default())
        .expect("a valid response")
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Get,
    Post,
    /// `OPTIONS` without `Access-Control-Request-Method`: not a preflight.
    Options,
    Preflight,
}

impl Kind {
    pub(super) const ALL: [Kind; 4] = [Kind::Get, Kind::Post, Kind::Options, Kind::Preflight];
}

pub(super) fn request(kind: Kind, values: &[Vec<u8>]) -> Request<()> {
    let method = match kind {
        Kind::Get => "GET",
        Kind::Post => "POST",
        Kind::Options | Kind::Preflight => "OPTIONS",
    };
    let mut builder = Request::builder()
        .method(method)
        .uri("https://api.example.com/items");
    for value in values {
        let value = HeaderValue::from_bytes(value)
            .unwrap_or_else(|e| panic!("{:?} is no header value: {e}", value.escape_ascii()));
        builder = builder.header(ORIGIN, value);
    }
    if let Kind::Preflight = kind {
        builder = builder.header(ACCESS_CONTROL_REQUEST_METHOD, "PUT").header(
            ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type,x-requested-with",
        );
    }
    builder.body(()).expect("a valid request")
}

/// Runs `request` through the policy exactly as the expansion of `#[cors]` does; the second
/// value tells whether the handler ran.
pub(super) fn respond(policy: &Arc<Policy>, request: &Request<()>) -> (Response<()>, bool) {
    match before_with::<(), ()>(policy, request) {
        Before::Respond(response) => (response, false),
        Before::Continue(after) => (after.finish(leaky_response()), true),
    }
}

/// What a browser would see, as lowercase names and text values.
pub(super) fn header_lines(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

pub(super) fn values_of<'a>(lines: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A refused origin: no `Access-Control-*` header at all, and one `Vary` line naming `Origin`.
fn check_refused(lines: &[(String, String)]) -> Result<(), String> {
    let cors: Vec<_> = lines
        .iter()
        .filter(|(n, _)| n.to_ascii_lowercase().starts_with("access-control-"))
        .collect();
    if !cors.is_empty() {
        return Err(format!("CORS headers for a refused origin: {cors:?}"));
    }
    check_vary(lines)
}

/// An allowed origin: exactly one allow-origin equal to the origin, credentials as configured.
fn check_allowed(
    lines: &[(String, String)],
    origin: &str,
    credentials: bool,
) -> Result<(), String> {
    let acao = values_of(lines, "access-control-allow-origin");
    if acao != [origin] {
        return Err(format!("allow-origin {acao:?}, want [{origin:?}]"));
    }
    let acac = values_of(lines, "access-control-allow-credentials");
    let want: &[&str] = if credentials { &["true"] } else { &[] };
    if acac != want {
        return Err(format!("allow-credentials {acac:?}, want {want:?}"));
    }
    check_vary(lines)
}

/// The whole answer: allowed for `allowed` (with credentials if configured) or refused, and the
/// handler run for an actual request and never for a preflight.
pub(super) fn check_answer(
    lines: &[(String, String)],
    allowed: Option<&str>,
    credentials: bool,
    preflight: bool,
    ran: bool,
) -> Result<(), String> {
    match allowed {
        Some(origin) => check_allowed(lines, origin, credentials),
        None => check_refused(lines),
    }?;
    if ran == preflight {
        return Err(format!("handler ran: {ran}"));
    }
    Ok(())
}

fn check_vary(lines: &[(String, String)]) -> Result<(), String> {
    let vary = values_of(lines, "vary");
    let names_origin = vary.len() == 1
        && vary[0]
            .split(',')
            .any(|name| name.trim().eq_ignore_ascii_case("origin"));
    if names_origin {
        Ok(())
    } else {
        Err(format!("Vary {vary:?}: want one line naming Origin"))
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn the_corpus_has_every_class_and_over_a_hundred_attacks() {
    for target in [WWW, PREVIEW] {
        let attacks = corpus(target);
        let mut per_class: BTreeMap<Class, usize> = BTreeMap::new();
        for attack in &attacks {
            *per_class.entry(attack.class).or_default() += 1;
            for value in &attack.values {
                assert!(
                    HeaderValue::from_bytes(value).is_ok(),
                    "{attack:?} cannot be sent as a header"
                );
            }
        }
        assert!(attacks.len() >= 100, "{} attacks", attacks.len());
        for class in Class::ALL {
            assert!(per_class.contains_key(&class), "no {class:?} attack");
        }
        let unique: BTreeSet<_> = attacks.iter().map(|a| a.values.clone()).collect();
        assert_eq!(
            unique.len(),
            attacks.len(),
            "the corpus repeats an attack: {:?}",
            duplicates(&attacks)
        );
        // Dozens of attacks each need no more than what a JSON event can carry.
        let json = attacks.iter().filter(|a| a.json_values().is_some()).count();
        assert!(json >= 150, "only {json} attacks fit in JSON");
    }
}

fn duplicates(attacks: &[Attack]) -> Vec<&Attack> {
    let mut seen = BTreeSet::new();
    attacks
        .iter()
        .filter(|a| !seen.insert(a.values.clone()))
        .collect()
}

/// Control: every attack fools at least one naive matcher that its class claims to defeat, and
/// every naive matcher is fooled by at least one such attack, while accepting the listed
/// origin. A corpus that fooled none of them would prove nothing.
#[test]
fn control_every_attack_fools_a_naive_matcher_of_its_class() {
    for target in [WWW, PREVIEW] {
        let listed = vec![target.origin.as_bytes().to_vec()];
        for naive in Naive::ALL {
            assert!(
                naive.accepts(target, &listed),
                "{naive:?} refuses the listed {}",
                target.origin
            );
        }
        assert_every_attack_fools(target.origin, &corpus(target), Naive::ALL, |attack| {
            attack
                .class
                .fools()
                .iter()
                .copied()
                .filter(|naive| naive.accepts(target, &attack.values))
                .collect()
        });
    }
}

/// The control's check on the corpus of `attacked`: every attack fools at least one naive
/// matcher (`fooling`: those of its class that it fools), and each of `naives` is fooled by at
/// least one attack.
pub(super) fn assert_every_attack_fools<C: std::fmt::Debug, N: Copy + Ord + std::fmt::Debug>(
    attacked: &str,
    attacks: &[Attack<C>],
    naives: impl IntoIterator<Item = N>,
    fooling: impl Fn(&Attack<C>) -> Vec<N>,
) {
    let mut fooled: BTreeMap<N, usize> = BTreeMap::new();
    let mut harmless = Vec::new();
    for attack in attacks {
        let fooling = fooling(attack);
        if fooling.is_empty() {
            harmless.push(attack);
        }
        for naive in fooling {
            *fooled.entry(naive).or_default() += 1;
        }
    }
    assert!(
        harmless.is_empty(),
        "{attacked}: attacks that fool no naive matcher of their class: {harmless:#?}"
    );
    for naive in naives {
        assert!(
            fooled.contains_key(&naive),
            "{attacked}: {naive:?} is fooled by no attack of a class that claims it"
        );
    }
}

#[test]
fn tiny_helpers_are_right() {
    assert_eq!(
        idna::punycode::decode_to_string("exmple-4nf").as_deref(),
        Some("ex\u{430}mple")
    );
    assert_eq!(
        idna::punycode::decode_to_string("e1afmkfd").as_deref(),
        Some("пример")
    );
    assert_eq!(lenient_utf8(b"a\xc0\xaeb"), "a.b");
    assert!(regex("^a.c$").is_match("abc"));
    assert!(!regex("^a.c$").is_match("abcd"));
    assert!(regex("b\\.c").is_match("ab.cd"));
    assert!(!regex("b\\.c").is_match("abxc"));
    // As the hand-written matcher did: `.` matches a line break, `$` is the end of the text.
    assert!(regex("^a.c$").is_match("a\nc"));
    assert!(!regex("^a.c$").is_match("abc\n"));
}

/// The library: no corpus attack gets any CORS header, under any configuration, as an actual
/// request or a preflight; every listed origin does.
#[test]
fn no_attack_is_allowed_by_any_configuration() {
    let mut failures = Vec::new();
    for config in configs() {
        let policy = config.policy();
        let credentials = config.spec.credentials;
        let attacks = corpus(config.target);
        let mut refused: BTreeMap<Class, usize> = BTreeMap::new();
        let mut legitimate = Vec::new();
        for attack in &attacks {
            let allowed = config.reference_allows(&attack.values);
            if allowed {
                legitimate.push(String::from_utf8_lossy(&attack.values[0]).into_owned());
            } else {
                *refused.entry(attack.class).or_default() += 1;
            }
            let origin =
                allowed.then(|| std::str::from_utf8(&attack.values[0]).expect("reference: UTF-8"));
            for kind in Kind::ALL {
                let (response, ran) = respond(&policy, &request(kind, &attack.values));
                let lines = header_lines(response.headers());
                let preflight = matches!(kind, Kind::Preflight);
                if let Err(problem) = check_answer(&lines, origin, credentials, preflight, ran) {
                    failures.push(format!("{}: {kind:?} {attack:?}: {problem}", config.name));
                }
            }
        }
        let total: usize = refused.values().sum();
        assert!(total >= 100, "{}: only {total} attacks", config.name);
        for class in Class::ALL {
            assert!(
                refused.contains_key(&class),
                "{}: no {class:?} attack left",
                config.name
            );
        }
        // Exactly these corpus entries are covered by the pattern; everything else is refused.
        let want: &[&str] = if config.patterns.is_empty() {
            &[]
        } else {
            &[
                "https://d3vwww.preview.example.com",
                "https://notwww.preview.example.com",
                "https://evil-www.preview.example.com",
                "https://wwwwww.preview.example.com",
                "https://0www.preview.example.com",
                "https://ww.preview.example.com",
                "https://w.preview.example.com",
            ]
        };
        assert_eq!(legitimate, want, "{}", config.name);

        // Every listed origin (and for a pattern, a few it covers) still gets its headers.
        let mut listed: Vec<&str> = config.exact.to_vec();
        if !config.patterns.is_empty() {
            listed.extend([
                PREVIEW.origin,
                "https://pr-1.preview.example.com",
                "https://xn--bcher-kva.preview.example.com",
            ]);
        }
        for origin in listed {
            let values = [origin.as_bytes().to_vec()];
            assert!(config.reference_allows(&values), "{origin}");
            for kind in Kind::ALL {
                let (response, _) = respond(&policy, &request(kind, &values));
                if let Err(problem) =
                    check_allowed(&header_lines(response.headers()), origin, credentials)
                {
                    failures.push(format!(
                        "{}: {kind:?} listed {origin}: {problem}",
                        config.name
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

pub(super) fn business() -> Result<Response<Body>, Error> {
    Ok(leaky_response())
}

#[cors(origins = ["https://www.example.com", "https://admin.example.net"], expose_headers = ["x-secret"])]
async fn exact(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
    business()
}

#[cors(origins = ["https://www.example.com", "https://admin.example.net"], credentials, expose_headers = ["x-secret"])]
async fn exact_with_credentials(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
    business()
}

#[cors(origins = ["https://*.preview.example.com"], expose_headers = ["x-secret"])]
async fn pattern(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
    business()
}

#[cors(origins = ["https://*.preview.example.com"], credentials, expose_headers = ["x-secret"])]
async fn pattern_with_credentials(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
    business()
}

/// The `Origin` values the handler receives for `values`, on `kind`: the REST API and a
/// single-value ALB hand over the last one, HTTP APIs and Function URLs join them with commas.
pub(super) fn delivered(kind: EventKind, values: &[String]) -> Vec<Vec<u8>> {
    let values: Vec<Vec<u8>> = match kind {
        _ if values.len() < 2 => values.iter().map(|v| v.as_bytes().to_vec()).collect(),
        EventKind::RestV1 | EventKind::AlbSingleValue => {
            vec![values.last().expect("two values").as_bytes().to_vec()]
        }
        EventKind::HttpV2 | EventKind::FunctionUrl => vec![values.join(",").into_bytes()],
        EventKind::AlbMultiValue | EventKind::VpcLatticeV2 => {
            values.iter().map(|v| v.as_bytes().to_vec()).collect()
        }
    };
    values
}

/// The event of `kind` for `/items` with these `Origin` values: an actual `GET`, or a preflight
/// for `PUT` with `content-type`.
pub(super) fn event(kind: EventKind, values: &[String], preflight: bool) -> EventBuilder {
    let mut event = kind.event().path("/items");
    if preflight {
        event = event
            .method("OPTIONS")
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type");
    }
    for value in values {
        event = event.header("origin", value.clone());
    }
    event
}

#[tokio::test]
async fn no_attack_is_allowed_through_real_events() {
    let configs = configs();
    let config_named = |name: &str| {
        configs
            .iter()
            .find(|c| c.name == name)
            .expect("a configuration")
    };
    let mut failures = Vec::new();
    let mut invocations = 0;
    let mut refused = 0;
    for kind in EventKind::ALL {
        for credentials in [false, true] {
            let suffix = if credentials {
                ", with credentials"
            } else {
                ""
            };
            let exact_config = config_named(&format!("exact list in the attribute{suffix}"));
            let pattern_config = config_named(&format!("pattern in the attribute{suffix}"));
            for (config, is_pattern) in [(exact_config, false), (pattern_config, true)] {
                // The whole corpus with credentials, every third attack without.
                let stride = if credentials { 1 } else { 3 };
                for attack in corpus(config.target).into_iter().step_by(stride) {
                    let Some(values) = attack.json_values() else {
                        continue;
                    };
                    let delivered = delivered(kind, &values);
                    let allowed = config.reference_allows(&delivered);
                    if attack.values.len() > 1 && allowed {
                        // README "Limits": on these kinds lambda_http hands the handler only the
                        // last of several Origin headers (browsers never send two).
                        assert!(
                            matches!(kind, EventKind::RestV1 | EventKind::AlbSingleValue),
                            "{kind}: {attack:?}"
                        );
                    }
                    for preflight in [false, true] {
                        let event = event(kind, &values, preflight);
                        let inv: Invocation = match (is_pattern, credentials) {
                            (false, false) => invoke(service_fn(exact), &event).await,
                            (false, true) => {
                                invoke(service_fn(exact_with_credentials), &event).await
                            }
                            (true, false) => invoke(service_fn(pattern), &event).await,
                            (true, true) => {
                                invoke(service_fn(pattern_with_credentials), &event).await
                            }
                        }
                        .expect("the handler never fails");
                        invocations += 1;
                        let lines = inv.headers();
                        let origin = allowed.then(|| {
                            std::str::from_utf8(&delivered[0])
                                .expect("the reference allows only UTF-8")
                        });
                        refused += usize::from(!allowed);
                        let ran = values_of(&lines, "x-handler") == ["ran"];
                        if let Err(problem) =
                            check_answer(&lines, origin, credentials, preflight, ran)
                        {
                            failures.push(format!(
                                "{kind}, {}, preflight {preflight}: {attack:?}: {problem}",
                                config.name
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
        refused >= 6 * 4 * 2 * 100,
        "only {refused} refusals checked"
    );
}
