use std::fmt;

use http::Method;

/// One entry of an allowed-methods list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MethodEntry {
    /// `*`: any method (never together with credentials, where browsers read it as a method
    /// literally named `*`).
    Any,
    /// A method, matched case-sensitively as browsers do.
    Method(Method),
}

impl MethodEntry {
    /// Parses one entry of `methods = [...]`.
    ///
    /// ```
    /// use cors_grammar::MethodEntry;
    ///
    /// assert!(MethodEntry::parse("PUT").is_ok());
    /// assert_eq!(MethodEntry::parse("put").unwrap_err().fix(), Some("PUT"));
    /// assert!(MethodEntry::parse("TRACE").is_err());
    /// ```
    pub fn parse(entry: &str) -> Result<MethodEntry, MethodError> {
        let fail = |problem, fix: Option<&str>| {
            Err(MethodError {
                entry: entry.to_owned(),
                problem,
                fix: fix.map(str::to_owned),
            })
        };
        if entry == "*" {
            return Ok(MethodEntry::Any);
        }
        let Ok(method) = Method::from_bytes(entry.as_bytes()) else {
            return fail(MethodProblem::NotAToken, None);
        };
        let upper = entry.to_ascii_uppercase();
        if matches!(upper.as_str(), "CONNECT" | "TRACE" | "TRACK") {
            return fail(MethodProblem::Forbidden, None);
        }
        // `fetch` upper-cases these six (the Fetch standard's "normalize"), and sends any other
        // method as the page wrote it.
        let normalized = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
        let problem = if upper == entry {
            None
        } else if normalized.contains(&upper.as_str()) {
            Some(MethodProblem::Lowercase)
        } else if upper == "PATCH" {
            Some(MethodProblem::NotUppercase)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(MethodError {
                entry: entry.to_owned(),
                problem,
                fix: Some(upper),
            });
        }
        Ok(MethodEntry::Method(method))
    }
}

/// Why an entry of `methods = [...]` was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodError {
    entry: String,
    problem: MethodProblem,
    fix: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MethodProblem {
    NotAToken,
    Forbidden,
    /// A method `fetch` upper-cases, written otherwise: it can never match.
    Lowercase,
    /// `PATCH` not in uppercase: it matches only pages that write it that way.
    NotUppercase,
}

impl MethodError {
    /// The entry to write instead, when there is one.
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }

    /// The entry as it was written.
    #[must_use]
    pub fn entry(&self) -> &str {
        &self.entry
    }
}

impl fmt::Display for MethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = self.entry.escape_debug();
        match self.problem {
            MethodProblem::NotAToken => write!(
                f,
                "method `{entry}` is not a method name: methods are HTTP tokens such as `PUT` \
                 or `DELETE`"
            ),
            MethodProblem::Forbidden => write!(
                f,
                "method `{entry}` is a forbidden method: browsers never let a page send it, so \
                 allowing it does nothing; remove it"
            ),
            MethodProblem::Lowercase => {
                let upper = self.fix.as_deref().unwrap_or_default();
                write!(
                    f,
                    "method `{entry}` is not the method browsers send: they send `{upper}`, and \
                     methods match case-sensitively; write `{upper}`"
                )
            }
            MethodProblem::NotUppercase => {
                let upper = self.fix.as_deref().unwrap_or_default();
                write!(
                    f,
                    "method `{entry}` matches only pages that write it exactly so: `fetch` \
                     upper-cases `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT` but sends \
                     other methods as written, and methods match case-sensitively; write \
                     `{upper}`"
                )
            }
        }
    }
}

impl std::error::Error for MethodError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(MethodEntry::parse("*"), Ok(MethodEntry::Any));
        assert_eq!(
            MethodEntry::parse("PURGE"),
            Ok(MethodEntry::Method(Method::from_bytes(b"PURGE").unwrap()))
        );
        for bad in ["", "PU T", "GET,PUT", "(PUT)", "connect", "TRACK"] {
            assert!(MethodEntry::parse(bad).is_err(), "{bad}");
        }
        let err = MethodEntry::parse("delete").unwrap_err();
        assert_eq!(err.fix(), Some("DELETE"));
        assert!(err.to_string().contains("they send `DELETE`"), "{err}");
        // `fetch` sends `patch` as written: the message must not claim browsers upper-case it.
        let err = MethodEntry::parse("patch").unwrap_err();
        assert_eq!(err.fix(), Some("PATCH"));
        assert!(
            err.to_string().contains("sends other methods as written"),
            "{err}"
        );
        assert!(!err.to_string().contains("they send"), "{err}");
        assert!(MethodEntry::parse("purge").is_ok());
    }
}
