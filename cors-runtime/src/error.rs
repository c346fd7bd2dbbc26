//! Configuration errors: values, never panics, each naming the handler, the variable and the
//! entry, and saying how to fix it.

use std::fmt;

use cors_grammar::OriginError;

/// One problem in a `#[cors]` policy's configuration, found at cold start.
///
/// The offending entry is left out of the policy (fail closed): a configuration error can only
/// ever narrow what is allowed.
///
/// ```standalone_crate
/// use cors_runtime::cors;
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
/// assert!(error.to_string().starts_with(
///     "#[cors] on `notes`: CONFIG_ERROR_EXAMPLE_ORIGINS is not set, so no origin is allowed"
/// ));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    handler: &'static str,
    variable: Option<String>,
    message: String,
}

impl ConfigError {
    pub(crate) fn new(handler: &'static str, message: impl Into<String>) -> Self {
        Self {
            handler,
            variable: None,
            message: message.into(),
        }
    }

    /// A problem with the variable as a whole: `message` is its predicate ("is not set…").
    pub(crate) fn variable(handler: &'static str, variable: &str, message: String) -> Self {
        Self {
            handler,
            variable: Some(variable.to_owned()),
            message: format!("{variable} {message}"),
        }
    }

    /// A problem with one origin entry, in the attribute or in the variable.
    pub(crate) fn origin(
        handler: &'static str,
        variable: Option<&str>,
        error: OriginError,
    ) -> Self {
        let message = match variable {
            Some(variable) => format!("{variable}: origin {error}"),
            None => format!("origin {error}"),
        };
        Self {
            handler,
            variable: variable.map(str::to_owned),
            message,
        }
    }

    /// The name of the annotated handler whose policy this is about.
    ///
    /// ```standalone_crate
    /// # use lambda_http::{Body, Error, Request, Response};
    /// #[cors_runtime::cors(origins_env = "HANDLER_EXAMPLE_ORIGINS")]
    /// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
    ///     Ok(Response::new(Body::Empty))
    /// }
    ///
    /// let errors = cors_runtime::check().unwrap_err();
    /// assert_eq!(errors.iter().next().unwrap().handler(), "notes");
    /// ```
    #[must_use]
    pub fn handler(&self) -> &str {
        self.handler
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
        self.variable.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#[cors] on `{}`: {}", self.handler, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Every configuration problem found, reported at once rather than one at a time.
///
/// ```
/// let errors = cors_runtime::ConfigErrors::default();
/// assert!(errors.is_empty());
/// assert_eq!(errors.to_string(), "");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

impl std::error::Error for ConfigErrors {}
