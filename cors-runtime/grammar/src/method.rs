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
        let well_known = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
        if upper != entry && well_known.contains(&upper.as_str()) {
            return Err(MethodError {
                entry: entry.to_owned(),
                problem: MethodProblem::Lowercase,
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
    Lowercase,
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
        assert!(err.to_string().contains("case-sensitively"), "{err}");
    }
}
