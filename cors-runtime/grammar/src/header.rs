use std::fmt;

use http::HeaderName;

use crate::rules::Argument;

/// Which list a header name is written in: the checks differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderList {
    /// `headers = [...]`: request headers a page may send (`Access-Control-Allow-Headers`).
    Allow,
    /// `expose_headers = [...]`: response headers a page may read
    /// (`Access-Control-Expose-Headers`).
    Expose,
}

impl HeaderList {
    /// The argument this list is written in.
    #[must_use]
    pub const fn argument(self) -> Argument {
        match self {
            HeaderList::Allow => Argument::Headers,
            HeaderList::Expose => Argument::ExposeHeaders,
        }
    }
}

/// One entry of `headers = [...]` or `expose_headers = [...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderNameEntry {
    /// `*`: any header (never together with credentials, where browsers read it as a header
    /// literally named `*`; and it never covers `Authorization`).
    Any,
    /// A header name, lowercase (header names are case-insensitive).
    Name(HeaderName),
}

impl HeaderNameEntry {
    /// Parses one entry of a header list.
    ///
    /// ```
    /// use cors_grammar::{HeaderList, HeaderNameEntry};
    ///
    /// assert!(HeaderNameEntry::parse("X-Request-Id", HeaderList::Allow).is_ok());
    /// assert!(HeaderNameEntry::parse("Origin", HeaderList::Allow).is_err());
    /// assert!(HeaderNameEntry::parse("Set-Cookie", HeaderList::Expose).is_err());
    /// ```
    pub fn parse(entry: &str, list: HeaderList) -> Result<HeaderNameEntry, HeaderError> {
        let fail = |problem| {
            Err(HeaderError {
                entry: entry.to_owned(),
                list,
                problem,
            })
        };
        if entry == "*" {
            return Ok(HeaderNameEntry::Any);
        }
        let Ok(name) = HeaderName::from_bytes(entry.as_bytes()) else {
            return fail(HeaderProblem::NotAToken);
        };
        let forbidden = match list {
            HeaderList::Allow => is_forbidden_request_header(name.as_str()),
            HeaderList::Expose => matches!(name.as_str(), "set-cookie" | "set-cookie2"),
        };
        if forbidden {
            return fail(HeaderProblem::Forbidden);
        }
        Ok(HeaderNameEntry::Name(name))
    }
}

/// Fetch's forbidden request-header names (which a page can never set), and the CORS request
/// headers only the browser sends.
fn is_forbidden_request_header(name: &str) -> bool {
    const FORBIDDEN: &[&str] = &[
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    FORBIDDEN.contains(&name)
        || name.starts_with("proxy-")
        || name.starts_with("sec-")
        || name.starts_with("access-control-")
}

/// Why an entry of a header list was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    entry: String,
    list: HeaderList,
    problem: HeaderProblem,
}

impl HeaderError {
    /// The entry as it was written.
    #[must_use]
    pub fn entry(&self) -> &str {
        &self.entry
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HeaderProblem {
    NotAToken,
    Forbidden,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = self.entry.escape_debug();
        match (self.problem, self.list) {
            (HeaderProblem::NotAToken, _) => write!(
                f,
                "header `{entry}` is not a header name: header names are HTTP tokens such \
                 as `x-request-id`"
            ),
            (HeaderProblem::Forbidden, HeaderList::Allow) => write!(
                f,
                "header `{entry}` is one only the browser itself sets (a page can never send \
                 it), so allowing it does nothing; remove it"
            ),
            (HeaderProblem::Forbidden, HeaderList::Expose) => write!(
                f,
                "header `{entry}` is never readable by a page, whatever the server says; \
                 remove it"
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names() {
        assert_eq!(
            HeaderNameEntry::parse("Content-Type", HeaderList::Allow),
            Ok(HeaderNameEntry::Name(http::header::CONTENT_TYPE))
        );
        assert_eq!(
            HeaderNameEntry::parse("*", HeaderList::Expose),
            Ok(HeaderNameEntry::Any)
        );
        for bad in [
            "",
            "x custom",
            "x-custom,x-other",
            "Cookie",
            "Sec-Fetch-Mode",
            "Proxy-Authorization",
            "Access-Control-Allow-Origin",
            "Host",
        ] {
            assert!(
                HeaderNameEntry::parse(bad, HeaderList::Allow).is_err(),
                "{bad}"
            );
        }
        assert!(HeaderNameEntry::parse("set-cookie", HeaderList::Expose).is_err());
        assert!(HeaderNameEntry::parse("x-request-id", HeaderList::Expose).is_ok());
    }
}
