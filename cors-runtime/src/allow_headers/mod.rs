//! `Access-Control-Allow-Headers`: the `headers` setting, built from its entries, and its answer
//! to a preflight (the request's own list mirrored, a fixed list, or `*`).

mod requested;

use cors_grammar::HeaderNameEntry;
use http::header::{ACCESS_CONTROL_ALLOW_HEADERS, AUTHORIZATION};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::comma_list;

/// The request headers a preflight may ask for.
#[derive(Debug)]
pub(crate) enum AllowedHeaders {
    /// Reflect what an allowed origin's preflight asks for.
    Mirror,
    /// `*`: any header but `Authorization`, which the Fetch standard never lets `*` cover, so
    /// `value` names it beside `*` when it is listed.
    Any {
        value: HeaderValue,
        authorization: bool,
    },
    /// The listed names, and the header value that lists them.
    List {
        names: Vec<HeaderName>,
        value: HeaderValue,
    },
}

/// Why the browser will refuse what a preflight asks for: the reason, and the name it is about.
pub(crate) type Refusal = (&'static str, Option<String>);

impl AllowedHeaders {
    /// The setting of the checked `headers` entries; `None` when `headers` is not given.
    pub(crate) fn new(entries: Option<Vec<HeaderNameEntry>>) -> Self {
        let Some(entries) = entries else {
            return AllowedHeaders::Mirror;
        };
        let names: Vec<HeaderName> = entries
            .iter()
            .filter_map(|entry| match entry {
                HeaderNameEntry::Name(name) => Some(name.clone()),
                HeaderNameEntry::Any => None,
            })
            .collect();
        if entries.contains(&HeaderNameEntry::Any) {
            // `*` covers every name but `Authorization` (the Fetch standard's only "CORS
            // non-wildcard request-header name"): a listed `Authorization` is sent beside it.
            let authorization = names.contains(&AUTHORIZATION);
            let value = if authorization {
                HeaderValue::from_static("*, authorization")
            } else {
                HeaderValue::from_static("*")
            };
            return AllowedHeaders::Any {
                value,
                authorization,
            };
        }
        AllowedHeaders::List {
            value: comma_list::join(names.iter().map(HeaderName::as_str)),
            names,
        }
    }

    /// Whether a preflight's answer depends on the headers it asks for (and so must vary on
    /// `Access-Control-Request-Headers`).
    #[inline]
    pub(crate) fn mirrors(&self) -> bool {
        matches!(self, AllowedHeaders::Mirror)
    }

    /// Puts the setting on the answer to `request`, a preflight from an allowed origin. Only a
    /// mirror reads the request (and refuses a malformed list by sending nothing); a fixed
    /// list or `*` is the same whatever it asks for, since the browser compares the two.
    #[inline]
    pub(crate) fn answer(&self, request: &HeaderMap, answer: &mut HeaderMap) -> Option<Refusal> {
        let value = match self {
            AllowedHeaders::Mirror => match requested::mirrored(request)? {
                Ok(mirrored) => mirrored,
                Err(()) => return Some(("malformed Access-Control-Request-Headers", None)),
            },
            AllowedHeaders::Any { value, .. } => value.clone(),
            AllowedHeaders::List { value, .. } if value.is_empty() => return None,
            AllowedHeaders::List { value, .. } => value.clone(),
        };
        answer.insert(ACCESS_CONTROL_ALLOW_HEADERS, value);
        None
    }

    /// Why the browser will refuse a header `request` asks for, if it will, under a fixed list
    /// or `*`: only for the debug log, since the answer does not depend on it.
    pub(crate) fn refusal(&self, request: &HeaderMap) -> Option<Refusal> {
        match self {
            AllowedHeaders::Mirror => None,
            AllowedHeaders::Any { authorization, .. } => (!authorization
                && requested::names(request)
                    .any(|name| name.eq_ignore_ascii_case(AUTHORIZATION.as_str().as_bytes())))
            .then_some((
                "header not allowed: `*` never covers `authorization`; list it in `headers`",
                None,
            )),
            AllowedHeaders::List { names, .. } => {
                let missing = requested::names(request).find(|requested| {
                    !names
                        .iter()
                        .any(|name| name.as_str().as_bytes().eq_ignore_ascii_case(requested))
                })?;
                Some((
                    "header not allowed",
                    Some(String::from_utf8_lossy(missing).into_owned()),
                ))
            }
        }
    }
}
