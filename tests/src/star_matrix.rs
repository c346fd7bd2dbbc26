//! The table of `*` beside named entries, shared by the behaviour test
//! (`tests/tests/behaviour/star_matrix.rs`, real events through `lambda_http`) and the browser
//! test (`tests/tests/system/browser_star_matrix.rs`, headless Chromium).
//!
//! A row is a policy ([`PolicyCase`]: `*` with and without names in `methods`, `headers` and
//! `expose_headers`, credentials or not, a listed origin or `*`) and a request a page makes
//! ([`RequestCase`]). For each row the tests compare two conclusions, never header strings:
//!
//! - what the browser concludes from the server's actual answers, by the Fetch standard
//!   ([`crate::fetch`], or Chromium itself);
//! - what the user who wrote the policy meant ([`intent`]), written plainly from the
//!   documentation of the arguments, without the standard's algorithm.

use std::collections::BTreeSet;
use std::fmt;

use cors_runtime::CorsLayer;
use cors_runtime::layer::CorsLayerBuilder;

use crate::fetch::{CorsRequest, Credentials, Outcome};

/// The response headers a page tries to read (`response.headers.get(name)`); the handlers of
/// the tests send all four.
pub const PROBED: [&str; 4] = ["x-a", "x-b", "content-type", "set-cookie"];

/// The methods `methods` allows when not given (`cors_runtime::DEFAULT_METHODS`).
pub const DEFAULT_METHODS: [&str; 6] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/// `origins`: the test's listed origin, or `"*"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origins {
    /// `origins = ["<the listed origin>"]`.
    Listed,
    /// `origins = "*"`.
    Any,
}

/// One policy of the table, as a user writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolicyCase {
    /// `origins`.
    pub origins: Origins,
    /// `credentials`.
    pub credentials: bool,
    /// `methods = [...]`, `None` when not given.
    pub methods: Option<Vec<&'static str>>,
    /// `headers = [...]`, `None` when not given (mirror what is asked for).
    pub headers: Option<Vec<&'static str>>,
    /// `expose_headers = [...]` (empty when not given).
    pub expose: Vec<&'static str>,
}

/// `methods` of the table: not given, named only (a custom method too), `*` only, `*` before
/// and after names, and a custom method in mixed case.
pub const METHODS: [Option<&[&str]>; 6] = [
    None,
    Some(&["PUT", "PURGE"]),
    Some(&["*"]),
    Some(&["*", "PUT"]),
    Some(&["PURGE", "*"]),
    Some(&["Purge", "DELETE"]),
];

/// `headers` of the table: not given (mirror), an empty list, named only (with and without
/// `Authorization`, mixed case), `*` only, `*` before and after names, and `Authorization`
/// beside `*` in every position and case (the policy among them).
pub const HEADERS: [Option<&[&str]>; 11] = [
    None,
    Some(&[]),
    Some(&["X-Api-Key"]),
    Some(&["Authorization", "X-Api-Key"]),
    Some(&["x-API-key", "Content-Type"]),
    Some(&["*"]),
    Some(&["*", "x-api-key"]),
    Some(&["X-Api-Key", "*"]),
    Some(&["Authorization", "X-Api-Key", "*"]),
    Some(&["*", "authorization"]),
    Some(&["aUtHoRiZaTiOn", "*", "X-OTHER"]),
];

/// `expose_headers` of the table: none, named only (mixed case), `*` only, `*` before and after
/// names.
pub const EXPOSE: [&[&str]; 6] = [
    &[],
    &["X-A"],
    &["x-a", "X-B"],
    &["*"],
    &["*", "x-a"],
    &["x-B", "*"],
];

impl PolicyCase {
    /// Every combination: origins x credentials x [`METHODS`] x [`HEADERS`] x [`EXPOSE`]
    /// (1,584 policies, valid or not).
    pub fn all() -> Vec<PolicyCase> {
        let mut all = Vec::new();
        for origins in [Origins::Listed, Origins::Any] {
            for credentials in [false, true] {
                for methods in METHODS {
                    for headers in HEADERS {
                        for expose in EXPOSE {
                            all.push(PolicyCase {
                                origins,
                                credentials,
                                methods: methods.map(<[&str]>::to_vec),
                                headers: headers.map(<[&str]>::to_vec),
                                expose: expose.to_vec(),
                            });
                        }
                    }
                }
            }
        }
        all
    }

    /// How many `*` entries `methods`, `headers` and `expose_headers` hold together.
    pub fn stars(&self) -> usize {
        let count = |list: &[&str]| list.iter().filter(|e| **e == "*").count();
        count(self.methods.as_deref().unwrap_or_default())
            + count(self.headers.as_deref().unwrap_or_default())
            + count(&self.expose)
    }

    /// Whether the rules accept the policy: no `*` of any kind with credentials.
    pub fn is_valid(&self) -> bool {
        !self.credentials || (self.stars() == 0 && self.origins == Origins::Listed)
    }

    /// The run-time builder of this policy, `listed` being the listed origin.
    pub fn builder(&self, listed: &str) -> CorsLayerBuilder {
        let mut builder = CorsLayer::builder()
            .origins([match self.origins {
                Origins::Listed => listed,
                Origins::Any => "*",
            }])
            .credentials(self.credentials)
            .expose_headers(self.expose.iter().copied());
        if let Some(methods) = &self.methods {
            builder = builder.methods(methods.iter().copied());
        }
        if let Some(headers) = &self.headers {
            builder = builder.headers(headers.iter().copied());
        }
        builder
    }

    /// The policy as a query string (`o=listed&c=0&m=PUT,*&h=*,authorization&e=`), which the
    /// browser test's API (`examples/src/bin/policy-matrix-api.rs`) reads back: `m` or `h`
    /// absent when not given.
    pub fn query(&self) -> String {
        let mut query = format!(
            "o={}&c={}",
            match self.origins {
                Origins::Listed => "listed",
                Origins::Any => "any",
            },
            u8::from(self.credentials)
        );
        if let Some(methods) = &self.methods {
            query.push_str(&format!("&m={}", methods.join(",")));
        }
        if let Some(headers) = &self.headers {
            query.push_str(&format!("&h={}", headers.join(",")));
        }
        query.push_str(&format!("&e={}", self.expose.join(",")));
        query
    }
}

impl fmt::Display for PolicyCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origins = match self.origins {
            Origins::Listed => "origins = [listed]",
            Origins::Any => "origins = \"*\"",
        };
        write!(f, "{origins}")?;
        if self.credentials {
            write!(f, ", credentials")?;
        }
        if let Some(methods) = &self.methods {
            write!(f, ", methods = {methods:?}")?;
        }
        if let Some(headers) = &self.headers {
            write!(f, ", headers = {headers:?}")?;
        }
        if !self.expose.is_empty() {
            write!(f, ", expose_headers = {:?}", self.expose)?;
        }
        Ok(())
    }
}

/// The headers a page sets on a request of the table.
pub const HEADER_SETS: [&[(&str, &str)]; 7] = [
    &[],
    &[("X-Api-Key", "k")],
    &[("Authorization", "Bearer t")],
    &[("Authorization", "Bearer t"), ("X-Api-Key", "k")],
    &[("X-Other", "o")],
    &[("Content-Type", "application/json")],
    &[("Content-Type", "text/plain")],
];

/// The methods a page uses: the safelisted ones, the usual others, a custom one in two cases.
pub const REQUEST_METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "PURGE", "Purge"];

/// One request a page makes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestCase {
    /// The method passed to `fetch`.
    pub method: &'static str,
    /// The headers the page sets.
    pub headers: &'static [(&'static str, &'static str)],
    /// `credentials: "include"`.
    pub credentials: bool,
    /// Whether the page is on the listed origin (or on another one).
    pub from_listed: bool,
}

impl RequestCase {
    /// Every combination: [`REQUEST_METHODS`] x [`HEADER_SETS`] x credentials x origin
    /// (196 requests).
    pub fn all() -> Vec<RequestCase> {
        let mut all = Vec::new();
        for from_listed in [true, false] {
            for credentials in [false, true] {
                for method in REQUEST_METHODS {
                    for headers in HEADER_SETS {
                        all.push(RequestCase {
                            method,
                            headers,
                            credentials,
                            from_listed,
                        });
                    }
                }
            }
        }
        all
    }

    /// The request for the oracle, from a page on `listed` or `other`.
    pub fn to_fetch(&self, listed: &str, other: &str) -> CorsRequest {
        let origin = if self.from_listed { listed } else { other };
        let mut request = CorsRequest::new(origin, self.method).credentials(if self.credentials {
            Credentials::Include
        } else {
            Credentials::SameOrigin
        });
        for (name, value) in self.headers {
            request = request.header(*name, *value);
        }
        request
    }
}

impl fmt::Display for RequestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        write!(
            f,
            "{} from the {} origin with {{{}}}{}",
            self.method,
            if self.from_listed { "listed" } else { "other" },
            names.join(", "),
            if self.credentials {
                ", credentials: include"
            } else {
                ""
            }
        )
    }
}

/// What a page concludes: whether it can read the response, and which of [`PROBED`] it can
/// read then.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Conclusion {
    /// `fetch` resolved (no `TypeError`).
    pub readable: bool,
    /// The names of [`PROBED`] `response.headers.get` returns a value for.
    pub exposed: BTreeSet<&'static str>,
}

impl Conclusion {
    /// `fetch` rejected.
    pub fn blocked() -> Self {
        Conclusion {
            readable: false,
            exposed: BTreeSet::new(),
        }
    }

    /// What the oracle's outcome means to the page.
    pub fn of(outcome: &Outcome) -> Self {
        Conclusion {
            readable: outcome.is_readable(),
            exposed: outcome.readable_among(&PROBED),
        }
    }
}

impl fmt::Display for Conclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.readable {
            write!(f, "readable, exposing {:?}", self.exposed)
        } else {
            write!(f, "blocked")
        }
    }
}

/// What the user who wrote `policy` meant for `request`: the arguments' documentation, read
/// plainly.
pub fn intent(policy: &PolicyCase, request: &RequestCase) -> Conclusion {
    // Who may read: a listed origin, or any under `*`; a page sending cookies only when the
    // policy says `credentials` (never under `*`).
    let origin_allowed = match policy.origins {
        Origins::Any => !request.credentials,
        Origins::Listed => request.from_listed && (!request.credentials || policy.credentials),
    };

    // Methods: GET, HEAD and POST never need listing; others must be listed exactly as the
    // page sends them (case-sensitive), or `*` allows any.
    let method = request.method;
    let method_allowed = ["GET", "HEAD", "POST"].contains(&method)
        || match &policy.methods {
            None => DEFAULT_METHODS.contains(&method),
            Some(listed) => listed.contains(&"*") || listed.contains(&method),
        };

    // Headers: the ones that need permission (every header but a Content-Type of a form or
    // plain text) must be listed, in any case; `*` covers every one but Authorization, which
    // must be named; not given, whatever is asked for is allowed.
    let headers_allowed = request
        .headers
        .iter()
        .filter(|(name, value)| needs_permission(name, value))
        .all(|(name, _)| match &policy.headers {
            None => true,
            Some(listed) => {
                listed.iter().any(|l| l.eq_ignore_ascii_case(name))
                    || (listed.contains(&"*") && !name.eq_ignore_ascii_case("authorization"))
            }
        });

    if !(origin_allowed && method_allowed && headers_allowed) {
        return Conclusion::blocked();
    }

    // Reading headers: Content-Type always; Set-Cookie never; the others when listed in
    // `expose_headers` (any case) or covered by `*` there.
    let exposed = PROBED
        .into_iter()
        .filter(|name| match *name {
            "content-type" => true,
            "set-cookie" => false,
            name => policy
                .expose
                .iter()
                .any(|e| *e == "*" || e.eq_ignore_ascii_case(name)),
        })
        .collect();
    Conclusion {
        readable: true,
        exposed,
    }
}

/// Whether a page needs the server's permission to send this header: everything but a
/// `Content-Type` of a form or plain text (the table's other headers all need it).
fn needs_permission(name: &str, value: &str) -> bool {
    !(name.eq_ignore_ascii_case("content-type")
        && [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ]
        .contains(&value))
}
