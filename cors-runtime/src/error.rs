//! Configuration errors: values, never panics, each naming the policy, the variable and the
//! entry, saying what is wrong and how to fix it, with a kind that code can act on.

use std::fmt;

use cors_grammar::OriginEntryProblem;
use cors_grammar::rules::Problem;

use crate::policy_source::PolicySource;

/// What kind of mistake a [`ConfigError`] is, for code that acts on it (a deployment check, a
/// configuration UI) rather than showing its message.
///
/// ```standalone_crate
/// use cors_runtime::{ConfigErrorKind, cors};
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins_env = "KIND_EXAMPLE_ORIGINS", credentials)]
/// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// // SAFETY: no other thread runs yet.
/// unsafe { std::env::set_var("KIND_EXAMPLE_ORIGINS", "https://App.example.com/ *") };
/// let errors = cors_runtime::check().unwrap_err();
/// let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
/// assert_eq!(
///     kinds,
///     [ConfigErrorKind::InvalidOrigin, ConfigErrorKind::AnyOriginWithCredentials],
/// );
/// assert_eq!(errors.iter().next().unwrap().fix(), Some("https://app.example.com"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// An origin entry is not an origin as browsers send it: malformed, `null`, or not in the
    /// canonical form (then [`ConfigError::fix`] gives that form).
    InvalidOrigin,
    /// A `*.` or `**.` pattern that would allow origins nobody in particular controls: directly
    /// under a public suffix (`*.github.io`) or a top-level domain (`**.com`), or before an IP
    /// address.
    PatternTooBroad,
    /// `*` (any origin) with credentials, which browsers refuse.
    AnyOriginWithCredentials,
    /// `*` (any origin) beside other origins in one list.
    AnyOriginBesideOthers,
    /// `*` (any origin) together with `origins_env`.
    AnyOriginWithOriginsEnv,
    /// A plain-http origin on a non-loopback host with credentials (see `allow_insecure_http`).
    InsecureOriginWithCredentials,
    /// An origin listed twice.
    DuplicateOrigin,
    /// No origins at all: no `origins`, no `origins_env`, or an empty list.
    NoOrigins,
    /// A `methods` entry that is not a method a page can send, or not as browsers send it.
    InvalidMethod,
    /// A `headers` or `expose_headers` entry that is not a header name, or one no page can send
    /// or read.
    InvalidHeader,
    /// `*` in `methods`, `headers` or `expose_headers` with credentials, where browsers read it
    /// literally.
    WildcardWithCredentials,
    /// `max_age` above what any browser honours.
    MaxAgeTooLong,
    /// `allow_insecure_http` without `credentials`.
    InsecureHttpWithoutCredentials,
    /// `methods`, `headers` or `max_age` with `preflight = false`.
    OnlyForPreflights,
    /// The `origins_env` variable is not set.
    EnvVariableNotSet,
    /// The `origins_env` variable holds no entry.
    EnvVariableEmpty,
    /// The `origins_env` variable is not valid UTF-8.
    EnvVariableNotUnicode,
    /// The `origins_env` variable is not written as entries separated by whitespace and/or
    /// commas: another separator (`;`, `|`), a JSON array, quotes (then
    /// [`ConfigError::fix`] gives the value to write).
    MalformedOriginList,
}

impl ConfigErrorKind {
    pub(crate) fn of(problem: &Problem) -> Self {
        match problem {
            Problem::OriginEntry(err) => match err.problem() {
                OriginEntryProblem::WildcardTooBroad
                | OriginEntryProblem::WildcardOnIp
                | OriginEntryProblem::WildcardUnderPublicSuffix(_)
                | OriginEntryProblem::WildcardAbovePublicSuffixes(_) => Self::PatternTooBroad,
                _ => Self::InvalidOrigin,
            },
            Problem::Method(_) => Self::InvalidMethod,
            Problem::Header(_) => Self::InvalidHeader,
            Problem::AnyOriginWithCredentials => Self::AnyOriginWithCredentials,
            Problem::AnyOriginBesideOthers => Self::AnyOriginBesideOthers,
            Problem::AnyOriginWithOriginsEnv => Self::AnyOriginWithOriginsEnv,
            Problem::InsecureOriginWithCredentials(_) => Self::InsecureOriginWithCredentials,
            Problem::DuplicateOrigin(_) => Self::DuplicateOrigin,
            Problem::OriginList(_) => Self::MalformedOriginList,
            Problem::EmptyOriginsVariable => Self::EnvVariableEmpty,
            Problem::WildcardWithCredentials(_) => Self::WildcardWithCredentials,
            Problem::MaxAgeTooLong(_) => Self::MaxAgeTooLong,
            Problem::InsecureHttpWithoutCredentials => Self::InsecureHttpWithoutCredentials,
            Problem::OnlyForPreflights(_) => Self::OnlyForPreflights,
            // `NoOrigins`, `EmptyOriginList`, and whatever the grammar adds later: a policy
            // that allows less than intended.
            _ => Self::NoOrigins,
        }
    }
}

/// One problem in a CORS policy's configuration, found at cold start.
///
/// The offending entry is left out of the policy (fail closed): a configuration error can only
/// ever narrow what is allowed.
///
/// ```standalone_crate
/// use cors_runtime::{ConfigErrorKind, cors};
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins_env = "CONFIG_ERROR_EXAMPLE_ORIGINS", credentials)]
/// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// // `CONFIG_ERROR_EXAMPLE_ORIGINS` is not set.
/// let errors = cors_runtime::check().unwrap_err();
/// let error = errors.iter().next().unwrap();
/// assert_eq!(error.kind(), ConfigErrorKind::EnvVariableNotSet);
/// assert!(error.to_string().starts_with(
///     "#[cors] on `notes`: CONFIG_ERROR_EXAMPLE_ORIGINS is not set, so no origin is allowed"
/// ));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    policy: PolicySource,
    kind: ConfigErrorKind,
    env_variable: Option<String>,
    entry: Option<String>,
    fix: Option<String>,
    message: String,
}

impl ConfigError {
    /// A broken rule, in the policy's own arguments (`variable` is `None`) or in an entry of
    /// its origins variable. The message is the rule's explanation, as the compile-time check
    /// gives it, with the fix as the runtime sees it.
    pub(crate) fn problem(policy: PolicySource, variable: Option<&str>, problem: &Problem) -> Self {
        let fix = match (problem, variable) {
            (Problem::AnyOriginWithCredentials, Some(variable)) => {
                format!("; list the origins that may send cookies in {variable} instead")
            }
            (Problem::AnyOriginWithCredentials, None) => {
                "; list the origins that may send cookies instead".to_owned()
            }
            (Problem::InsecureOriginWithCredentials(_), _) => "; use `https://`".to_owned(),
            _ => String::new(),
        };
        let message = match variable {
            Some(variable) => format!("{variable}: {problem}{fix}"),
            None => format!("{problem}{fix}"),
        };
        Self {
            policy,
            kind: ConfigErrorKind::of(problem),
            env_variable: variable.map(str::to_owned),
            entry: problem.entry().map(str::to_owned),
            fix: problem.fix().map(str::to_owned),
            message,
        }
    }

    /// A problem with the variable as a whole: `message` is its predicate ("is not set…").
    pub(crate) fn variable(
        policy: PolicySource,
        kind: ConfigErrorKind,
        variable: &str,
        message: String,
    ) -> Self {
        Self {
            policy,
            kind,
            env_variable: Some(variable.to_owned()),
            entry: None,
            fix: None,
            message: format!("{variable} {message}"),
        }
    }

    /// The policy this problem is in.
    ///
    /// ```standalone_crate
    /// # use lambda_http::{Body, Error, Request, Response};
    /// #[cors_runtime::cors(origins_env = "HANDLER_EXAMPLE_ORIGINS")]
    /// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
    ///     Ok(Response::new(Body::Empty))
    /// }
    ///
    /// let errors = cors_runtime::check().unwrap_err();
    /// assert_eq!(errors.iter().next().unwrap().policy().handler(), Some("notes"));
    /// ```
    #[must_use]
    pub fn policy(&self) -> &PolicySource {
        &self.policy
    }

    /// What kind of mistake this is.
    #[must_use]
    pub fn kind(&self) -> ConfigErrorKind {
        self.kind
    }

    /// The environment variable the problem is in, if it is in one.
    ///
    /// ```standalone_crate
    /// # use lambda_http::{Body, Error, Request, Response};
    /// #[cors_runtime::cors(origins_env = "ENV_VARIABLE_EXAMPLE_ORIGINS")]
    /// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
    ///     Ok(Response::new(Body::Empty))
    /// }
    ///
    /// let errors = cors_runtime::check().unwrap_err();
    /// let error = errors.iter().next().unwrap();
    /// assert_eq!(error.env_variable(), Some("ENV_VARIABLE_EXAMPLE_ORIGINS"));
    /// ```
    #[must_use]
    pub fn env_variable(&self) -> Option<&str> {
        self.env_variable.as_deref()
    }

    /// The entry the problem is about, as written, when it is about one entry.
    #[must_use]
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    /// The entry to write instead, when the intent is clear (the canonical form of an origin,
    /// the uppercase form of a method).
    #[must_use]
    pub fn fix(&self) -> Option<&str> {
        self.fix.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.policy, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Every configuration problem found, reported at once rather than one at a time.
///
/// Its `Display` is one line per problem. Its `Debug` is the same text, so that `main` returning
/// the error (`cors_runtime::check()?`, which prints the error with `{:?}`) shows the messages
/// rather than a dump of fields; `{:#?}` gives the fields.
///
/// ```
/// let errors = cors_runtime::ConfigErrors::default();
/// assert!(errors.is_empty());
/// assert_eq!(errors.to_string(), "");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConfigErrors(Vec<ConfigError>);

impl ConfigErrors {
    pub(crate) fn push(&mut self, error: ConfigError) {
        self.0.push(error);
    }

    /// Whether no problem was found.
    ///
    /// ```
    /// assert!(cors_runtime::ConfigErrors::default().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were found.
    ///
    /// ```
    /// assert_eq!(cors_runtime::ConfigErrors::default().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, in the order they were found.
    ///
    /// ```
    /// let errors = cors_runtime::ConfigErrors::default();
    /// for error in errors.iter() {
    ///     eprintln!("{error}");
    /// }
    /// assert_eq!(errors.iter().count(), 0);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, ConfigError> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a ConfigErrors {
    type Item = &'a ConfigError;
    type IntoIter = std::slice::Iter<'a, ConfigError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Extend<ConfigError> for ConfigErrors {
    fn extend<T: IntoIterator<Item = ConfigError>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.debug_tuple("ConfigErrors").field(&self.0).finish()
        } else {
            fmt::Display::fmt(self, f)
        }
    }
}

impl std::error::Error for ConfigErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors() -> ConfigErrors {
        let policy = PolicySource::attribute("handler", "src/main.rs", 3);
        let mut errors = ConfigErrors::default();
        errors.push(ConfigError::variable(
            policy,
            ConfigErrorKind::EnvVariableNotSet,
            "ALLOWED_ORIGINS",
            "is not set".to_owned(),
        ));
        errors.push(ConfigError::problem(
            policy,
            None,
            &Problem::AnyOriginWithCredentials,
        ));
        errors
    }

    /// `main` returning `check()`'s error prints it with `{:?}`: the messages, one per line.
    #[test]
    fn debug_of_the_errors_is_their_messages() {
        let errors = errors();
        assert_eq!(format!("{errors:?}"), errors.to_string());
        assert_eq!(errors.to_string().lines().count(), 2);
        assert!(
            errors
                .to_string()
                .starts_with("#[cors] on `handler`: ALLOWED_ORIGINS is not set\n")
        );
        // The fields are still there for whoever asks.
        assert!(format!("{errors:#?}").contains("kind: EnvVariableNotSet"));
    }

    /// One name for one thing: the field is the accessor's.
    #[test]
    fn debug_of_an_error_names_its_fields_as_the_accessors() {
        let errors = errors();
        let debug = format!("{:?}", errors.iter().next().unwrap());
        assert!(
            debug.contains("env_variable: Some(\"ALLOWED_ORIGINS\")"),
            "{debug}"
        );
        assert!(!debug.contains(" variable:"), "{debug}");
    }
}
