//! Where a policy was written: what configuration errors, [`check`](crate::check) and the
//! debug events of refused requests name.

use std::fmt;

/// Where a CORS policy was written: the handler under `#[cors]`, or the place a layer or a
/// policy built at run time was made. Configuration errors, [`check`](crate::check) and the
/// debug events of refused requests name it.
///
/// ```standalone_crate
/// use cors_runtime::cors;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins_env = "POLICY_SOURCE_EXAMPLE_ORIGINS")]
/// async fn notes(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// let errors = cors_runtime::check().unwrap_err();
/// let policy = errors.iter().next().unwrap().policy();
/// assert_eq!(policy.handler(), Some("notes"));
/// assert!(policy.file().ends_with(".rs"));
/// assert_eq!(policy.to_string(), "#[cors] on `notes`");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PolicySource(Source);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Source {
    /// `#[cors]` on a handler.
    Attribute {
        handler: &'static str,
        file: &'static str,
        line: u32,
    },
    /// A layer written as a macro call.
    Layer { file: &'static str, line: u32 },
    /// A policy built at run time.
    Runtime { file: &'static str, line: u32 },
}

impl PolicySource {
    /// `#[cors]` on `handler`, written at `file:line`.
    pub(crate) const fn attribute(handler: &'static str, file: &'static str, line: u32) -> Self {
        Self(Source::Attribute {
            handler,
            file,
            line,
        })
    }

    /// A `cors_layer!` call written at `file:line`.
    pub(crate) const fn layer(file: &'static str, line: u32) -> Self {
        Self(Source::Layer { file, line })
    }

    /// A policy built at run time by the caller's code.
    #[track_caller]
    pub(crate) fn built_here() -> Self {
        let location = std::panic::Location::caller();
        Self(Source::Runtime {
            file: location.file(),
            line: location.line(),
        })
    }

    /// The name of the handler under `#[cors]`, for a policy written as the attribute.
    #[must_use]
    pub fn handler(&self) -> Option<&'static str> {
        match self.0 {
            Source::Attribute { handler, .. } => Some(handler),
            Source::Layer { .. } | Source::Runtime { .. } => None,
        }
    }

    /// The source file the policy was written in, as `file!()` names it.
    #[must_use]
    pub fn file(&self) -> &'static str {
        match self.0 {
            Source::Attribute { file, .. }
            | Source::Layer { file, .. }
            | Source::Runtime { file, .. } => file,
        }
    }

    /// The line the policy was written on.
    #[must_use]
    pub fn line(&self) -> u32 {
        match self.0 {
            Source::Attribute { line, .. }
            | Source::Layer { line, .. }
            | Source::Runtime { line, .. } => line,
        }
    }
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Source::Attribute { handler, .. } => write!(f, "#[cors] on `{handler}`"),
            Source::Layer { file, line } => write!(f, "cors_layer! at {file}:{line}"),
            Source::Runtime { file, line } => {
                write!(f, "CORS policy built at run time at {file}:{line}")
            }
        }
    }
}
