//! The fuzz target's seed corpus as ordinary tests: every file of
//! `cors-runtime/fuzz/corpus/decide/` is decoded the way `cargo fuzz` decodes it and run through
//! the fuzz target's own checks (`cors-runtime/fuzz/checks/decide.rs`, included here).
//!
//! The named seeds below are meaningful inputs (listed and unlisted origins, preflights,
//! patterns, `null`, several origins, credentials, configurations from the environment, handlers
//! that set CORS headers of their own), written in the `arbitrary` encoding by [`encode`]; the
//! corpus must hold each of them, byte for byte. `UPDATE_SEEDS=1` writes them (files that a
//! fuzzing run added are kept).

#[path = "../../../cors-runtime/fuzz/checks/decide.rs"]
mod decide;

use std::fs;
use std::path::PathBuf;

use arbitrary::{Arbitrary, Unstructured};
use decide::{Env, Input};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cors-runtime/fuzz/corpus/decide")
}

/// What `libfuzzer_sys::fuzz_target!` does with the bytes: too short, or not decodable, and
/// the input is skipped (here: `None`).
fn decode(bytes: &[u8]) -> Option<Input<'_>> {
    if bytes.len() < Input::size_hint(0).0 {
        return None;
    }
    Input::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

/// The `arbitrary` 1.x encoding of an input (its `arbitrary_take_rest`): fixed-size values and
/// "one more element" flags from the front, the lengths of byte strings from the back (one
/// byte each, while the whole input is at most 256 bytes).
#[derive(Default)]
struct Encoder {
    front: Vec<u8>,
    back: Vec<u8>,
}

impl Encoder {
    fn u8(&mut self, value: u8) {
        self.front.push(value);
    }

    fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }

    fn u64(&mut self, value: u64) {
        self.front.extend(value.to_le_bytes());
    }

    /// The derived enum's choice of variant `index` out of `count`.
    fn variant(&mut self, index: u64, count: u64) {
        let tag = u32::try_from((index << 32).div_ceil(count)).expect("a u32 tag");
        self.front.extend(tag.to_le_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.back
            .push(u8::try_from(bytes.len()).expect("a short byte string"));
        self.front.extend(bytes);
    }

    fn finish(self) -> Vec<u8> {
        let mut out = self.front;
        out.extend(self.back.iter().rev());
        assert!(out.len() <= 256, "a seed of {} bytes", out.len());
        out
    }
}

fn encode(input: &Input<'_>) -> Vec<u8> {
    let mut e = Encoder::default();
    e.u8(input.literals);
    match &input.env {
        Env::NoVariable => e.variant(0, 4),
        Env::Unset => e.variant(1, 4),
        Env::Value(bytes) => {
            e.variant(2, 4);
            e.bytes(bytes);
        }
        Env::Entries(entries, separator) => {
            e.variant(3, 4);
            for entry in entries {
                e.bool(true);
                e.bytes(entry.as_bytes());
            }
            e.bool(false);
            e.u8(*separator);
        }
    }
    e.bool(input.credentials);
    e.bool(input.allow_insecure_http);
    e.u8(input.methods);
    e.u8(input.headers);
    e.u8(input.expose_headers);
    e.bool(input.max_age.is_some());
    if let Some(max_age) = input.max_age {
        e.u64(max_age);
    }
    e.bool(input.preflight);
    let result = |e: &mut Encoder, value: &Result<u8, &[u8]>| match value {
        Ok(index) => {
            e.bool(true);
            e.u8(*index);
        }
        Err(bytes) => {
            e.bool(false);
            e.bytes(bytes);
        }
    };
    result(&mut e, &input.method);
    for origin in &input.origins {
        e.bool(true);
        result(&mut e, origin);
    }
    e.bool(false);
    for value in [input.request_method, input.request_headers] {
        e.bool(value.is_some());
        if let Some(bytes) = value {
            e.bytes(bytes);
        }
    }
    for (name, value) in &input.other_headers {
        e.bool(true);
        e.bytes(name);
        e.bytes(value);
    }
    e.bool(false);
    // The last field takes the rest: it ends where the input does.
    for (name, value) in &input.handler_headers {
        e.bool(true);
        e.u8(*name);
        e.bytes(value);
    }
    e.finish()
}

// Indexes into the tables of `checks/decide.rs`.
const NO_LITERALS: u8 = 0;
const APP: u8 = 1;
/// `https://app.example.com`, `https://*.preview.example.com`, `http://localhost:3000`.
const APP_PATTERN_LOCALHOST: u8 = 2;
const ANY: u8 = 3;
const ANY_AND_APP: u8 = 4;
/// `null`, `https://App.example.com/`, `http://plain.example.com`: all invalid.
const BAD_ENTRIES: u8 = 5;
/// `https://*.example.com`, `http://*.dev.example.com:8080`.
const PATTERNS: u8 = 6;
/// `https://xn--bcher-kva.example`, `http://[::1]:8080`, `http://127.0.0.1`.
const IDN_AND_LOOPBACK: u8 = 7;
const WHITESPACE: u8 = 8;
/// `*.` directly under public suffixes, and malformed patterns.
const BAD_PATTERNS: u8 = 9;
/// `https://**.example.com`, `http://localhost:*`, `http://127.0.0.1:*`,
/// `https://**.amazonaws.com:*`.
const DEEP_AND_ANY_PORT: u8 = 10;
const DEFAULT_LIST: u8 = 0;
const GET_PUT_DELETE: u8 = 1;
const STAR: u8 = 2;
const LOWERCASE_GET: u8 = 3;
const EMPTY_LIST: u8 = 4;
const CONTENT_TYPE_REQUEST_ID: u8 = 1;
const AUTHORIZATION_AND_STAR: u8 = 3;
const BAD_HEADER: u8 = 4;
const EXPOSE_REQUEST_ID: u8 = 1;
const EXPOSE_STAR: u8 = 2;
const HANDLER_ALLOW_ORIGIN: u8 = 0;
const HANDLER_ALLOW_CREDENTIALS: u8 = 1;
const HANDLER_EXPOSE: u8 = 2;
const HANDLER_VARY: u8 = 3;
const HANDLER_OTHER: u8 = 4;
const OPTIONS: Result<u8, &[u8]> = Ok(0);
const GET: Result<u8, &[u8]> = Ok(1);
const POST: Result<u8, &[u8]> = Ok(2);

const LISTED: &[u8] = b"https://app.example.com";
const EVIL: &[u8] = b"https://evil.example";

/// A GET with no `Origin`, under `origins = ["https://app.example.com"]`.
fn base() -> Input<'static> {
    Input {
        literals: APP,
        env: Env::NoVariable,
        credentials: false,
        allow_insecure_http: false,
        methods: DEFAULT_LIST,
        headers: DEFAULT_LIST,
        expose_headers: 0,
        max_age: None,
        preflight: true,
        method: GET,
        origins: Vec::new(),
        request_method: None,
        request_headers: None,
        other_headers: Vec::new(),
        handler_headers: Vec::new(),
    }
}

fn with_origin(origin: &'static [u8]) -> Input<'static> {
    Input {
        origins: vec![Err(origin)],
        ..base()
    }
}

fn preflight(origin: &'static [u8], method: &'static [u8]) -> Input<'static> {
    Input {
        method: OPTIONS,
        request_method: Some(method),
        ..with_origin(origin)
    }
}

fn credentialed(input: Input<'static>) -> Input<'static> {
    Input {
        credentials: true,
        ..input
    }
}

fn from_env(entries: Vec<&'static str>, input: Input<'static>) -> Input<'static> {
    Input {
        literals: NO_LITERALS,
        // ", " between the entries.
        env: Env::Entries(entries, 2),
        ..input
    }
}

fn seeds() -> Vec<(&'static str, Input<'static>)> {
    vec![
        ("no-origin", base()),
        ("listed", with_origin(LISTED)),
        (
            "listed-with-credentials-and-exposed-header",
            Input {
                expose_headers: EXPOSE_REQUEST_ID,
                handler_headers: vec![(HANDLER_VARY, b"Accept-Encoding")],
                ..credentialed(with_origin(LISTED))
            },
        ),
        ("unlisted", with_origin(EVIL)),
        ("unlisted-with-credentials", credentialed(with_origin(EVIL))),
        ("null", with_origin(b"null")),
        (
            "null-listed-is-an-error",
            Input {
                literals: BAD_ENTRIES,
                ..with_origin(b"null")
            },
        ),
        (
            "case-and-trailing-slash",
            Input {
                origins: vec![Err(b"https://App.example.com/")],
                ..base()
            },
        ),
        (
            "prefix-lookalike",
            with_origin(b"https://app.example.com.evil.example"),
        ),
        (
            "preflight-listed",
            Input {
                methods: GET_PUT_DELETE,
                headers: CONTENT_TYPE_REQUEST_ID,
                max_age: Some(600),
                request_headers: Some(b"content-type, x-request-id"),
                ..credentialed(preflight(LISTED, b"PUT"))
            },
        ),
        ("preflight-unlisted", preflight(EVIL, b"PUT")),
        (
            "preflight-method-not-allowed",
            Input {
                methods: GET_PUT_DELETE,
                ..preflight(LISTED, b"PATCH")
            },
        ),
        (
            "preflight-lowercase-method",
            Input {
                methods: LOWERCASE_GET,
                ..preflight(LISTED, b"get")
            },
        ),
        (
            "preflight-header-not-allowed",
            Input {
                headers: CONTENT_TYPE_REQUEST_ID,
                request_headers: Some(b"x-other"),
                ..preflight(LISTED, b"GET")
            },
        ),
        (
            "preflight-mirrors-requested-headers",
            Input {
                request_headers: Some(b"x-custom, authorization"),
                ..credentialed(preflight(LISTED, b"DELETE"))
            },
        ),
        (
            "preflight-star-lists-with-credentials",
            Input {
                methods: STAR,
                headers: AUTHORIZATION_AND_STAR,
                request_headers: Some(b"authorization, x-any"),
                ..credentialed(preflight(LISTED, b"PATCH"))
            },
        ),
        (
            "preflight-empty-method-list",
            Input {
                methods: EMPTY_LIST,
                headers: BAD_HEADER,
                ..preflight(LISTED, b"POST")
            },
        ),
        (
            "preflight-answered-by-the-handler",
            Input {
                preflight: false,
                ..preflight(LISTED, b"PUT")
            },
        ),
        (
            "options-without-request-method",
            Input {
                method: OPTIONS,
                ..with_origin(LISTED)
            },
        ),
        (
            "pattern-one-label",
            Input {
                literals: APP_PATTERN_LOCALHOST,
                ..credentialed(with_origin(b"https://pr-1.preview.example.com"))
            },
        ),
        (
            "pattern-entry-filled-in",
            Input {
                literals: APP_PATTERN_LOCALHOST,
                origins: vec![Ok(1)],
                ..base()
            },
        ),
        (
            "pattern-two-labels",
            Input {
                literals: APP_PATTERN_LOCALHOST,
                ..with_origin(b"https://a.b.preview.example.com")
            },
        ),
        (
            "pattern-parent-itself",
            Input {
                literals: APP_PATTERN_LOCALHOST,
                ..with_origin(b"https://preview.example.com")
            },
        ),
        (
            "pattern-with-port",
            Input {
                literals: PATTERNS,
                ..preflight(b"http://pr-2.dev.example.com:8080", b"PUT")
            },
        ),
        (
            "patterns-under-public-suffixes",
            Input {
                literals: BAD_PATTERNS,
                ..with_origin(b"https://evil.com")
            },
        ),
        (
            "deep-pattern",
            Input {
                literals: DEEP_AND_ANY_PORT,
                ..credentialed(with_origin(b"https://a.b.c.example.com"))
            },
        ),
        (
            "deep-pattern-across-a-public-suffix",
            Input {
                literals: DEEP_AND_ANY_PORT,
                ..with_origin(b"https://bucket.s3.amazonaws.com:8443")
            },
        ),
        (
            "any-port-loopback",
            Input {
                literals: DEEP_AND_ANY_PORT,
                ..credentialed(preflight(b"http://127.0.0.1:5173", b"PUT"))
            },
        ),
        (
            "any-port-look-alike",
            Input {
                literals: DEEP_AND_ANY_PORT,
                ..with_origin(b"http://localhost:5173.evil.com")
            },
        ),
        (
            "deep-and-any-port-from-the-environment",
            from_env(
                vec!["https://**.example.org:*", "http://[::1]:*"],
                with_origin(b"https://x.y.example.org:8443"),
            ),
        ),
        (
            "localhost-entry",
            Input {
                literals: APP_PATTERN_LOCALHOST,
                ..credentialed(with_origin(b"http://localhost:3000"))
            },
        ),
        (
            "idn-and-loopback",
            Input {
                literals: IDN_AND_LOOPBACK,
                origins: vec![Err(b"https://xn--bcher-kva.example")],
                ..credentialed(base())
            },
        ),
        (
            "ipv6-loopback",
            Input {
                literals: IDN_AND_LOOPBACK,
                ..with_origin(b"http://[::1]:8080")
            },
        ),
        (
            "whitespace-in-entries",
            Input {
                literals: WHITESPACE,
                ..with_origin(LISTED)
            },
        ),
        (
            "any-origin",
            Input {
                literals: ANY,
                handler_headers: vec![(HANDLER_VARY, b"Accept-Encoding")],
                ..with_origin(EVIL)
            },
        ),
        (
            "any-origin-preflight",
            Input {
                literals: ANY,
                ..preflight(b"null", b"PUT")
            },
        ),
        (
            "any-origin-with-credentials-is-an-error",
            Input {
                literals: ANY,
                ..credentialed(with_origin(EVIL))
            },
        ),
        (
            "star-beside-an-entry",
            Input {
                literals: ANY_AND_APP,
                ..with_origin(LISTED)
            },
        ),
        (
            "two-origin-headers",
            Input {
                origins: vec![Err(LISTED), Err(EVIL)],
                ..credentialed(base())
            },
        ),
        (
            "two-listed-origin-headers",
            Input {
                origins: vec![Ok(0), Ok(0)],
                ..base()
            },
        ),
        (
            "three-origin-headers-preflight",
            Input {
                origins: vec![Err(EVIL), Err(b"null"), Err(LISTED)],
                ..preflight(LISTED, b"PUT")
            },
        ),
        (
            "joined-origins",
            with_origin(b"https://app.example.com, https://evil.example"),
        ),
        (
            "environment-list",
            from_env(
                vec!["https://admin.example.com", "https://app.example.com"],
                credentialed(with_origin(LISTED)),
            ),
        ),
        (
            "environment-pattern",
            from_env(
                vec!["https://*.preview.example.com"],
                preflight(b"https://pr-9.preview.example.com", b"PUT"),
            ),
        ),
        ("environment-star", from_env(vec!["*"], with_origin(EVIL))),
        (
            "environment-star-with-credentials",
            from_env(vec!["*"], credentialed(with_origin(EVIL))),
        ),
        (
            "environment-non-canonical-entry",
            from_env(
                vec!["https://App.example.com/", "http://plain.example.com"],
                credentialed(with_origin(b"http://plain.example.com")),
            ),
        ),
        (
            "environment-plain-http-allowed",
            Input {
                allow_insecure_http: true,
                ..from_env(
                    vec!["http://plain.example.com"],
                    credentialed(with_origin(b"http://plain.example.com")),
                )
            },
        ),
        (
            "environment-and-literals",
            Input {
                literals: APP,
                ..from_env(vec!["https://other.example.com"], with_origin(LISTED))
            },
        ),
        (
            "environment-unset",
            Input {
                env: Env::Unset,
                ..with_origin(LISTED)
            },
        ),
        (
            "environment-empty",
            Input {
                literals: NO_LITERALS,
                env: Env::Value(b""),
                ..with_origin(LISTED)
            },
        ),
        (
            "environment-not-utf8",
            Input {
                literals: NO_LITERALS,
                env: Env::Value(b"https://app.example.com \xff"),
                ..with_origin(LISTED)
            },
        ),
        (
            "handler-sets-cors-headers",
            Input {
                handler_headers: vec![
                    (HANDLER_ALLOW_ORIGIN, b"*"),
                    (HANDLER_ALLOW_CREDENTIALS, b"true"),
                    (HANDLER_EXPOSE, b"x-internal"),
                    (HANDLER_VARY, b"Accept-Encoding"),
                    (HANDLER_VARY, b"Cookie"),
                    (HANDLER_OTHER, b"kept"),
                ],
                ..credentialed(with_origin(LISTED))
            },
        ),
        (
            "handler-sets-cors-headers-for-a-refused-origin",
            Input {
                handler_headers: vec![
                    (HANDLER_ALLOW_ORIGIN, b"https://evil.example"),
                    (HANDLER_ALLOW_CREDENTIALS, b"true"),
                    (HANDLER_VARY, b"*"),
                ],
                ..credentialed(with_origin(EVIL))
            },
        ),
        (
            "expose-star-with-credentials",
            Input {
                expose_headers: EXPOSE_STAR,
                ..credentialed(with_origin(LISTED))
            },
        ),
        (
            "other-method-and-headers",
            Input {
                method: Err(b"PATCH"),
                other_headers: vec![(b"cookie", b"session=1"), (b"authorization", b"Bearer x")],
                ..credentialed(with_origin(LISTED))
            },
        ),
        (
            "post-not-utf8-origin",
            Input {
                method: POST,
                ..with_origin(b"https://app.example.com\xff")
            },
        ),
    ]
}

#[test]
fn the_named_seeds_are_in_the_corpus() {
    let update = std::env::var_os("UPDATE_SEEDS").is_some();
    let dir = corpus_dir();
    if update {
        fs::create_dir_all(&dir).expect("the corpus directory");
    }
    let mut stale = Vec::new();
    for (name, input) in seeds() {
        let bytes = encode(&input);
        let decoded = decode(&bytes).unwrap_or_else(|| panic!("{name}: does not decode"));
        assert_eq!(
            format!("{decoded:?}"),
            format!("{input:?}"),
            "{name}: the encoding does not round-trip"
        );
        let path = dir.join(name);
        if update {
            fs::write(&path, &bytes).expect("write a seed");
        } else if fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "seeds missing or different in {} (write them with UPDATE_SEEDS=1): {stale:?}",
        dir.display()
    );
}

#[test]
fn every_seed_passes_the_fuzz_checks() {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("cors-runtime/fuzz/corpus/decide/")
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= seeds().len(), "{} seeds", files.len());
    for file in files {
        let bytes = fs::read(&file).expect("a seed");
        let input = decode(&bytes).unwrap_or_else(|| panic!("{}: does not decode", file.display()));
        let shown = format!("{input:?}");
        let outcome = std::panic::catch_unwind(|| decide::check(input));
        assert!(
            outcome.is_ok(),
            "{}: the fuzz checks fail for {shown}",
            file.display()
        );
    }
}
