//! A handler's CORS policy: the attribute's arguments (checked at compile time) plus the
//! environment, validated once per cold start into an immutable value.

use std::ffi::OsStr;
use std::sync::OnceLock;

use cors_grammar::{HeaderList, HeaderNameEntry, MethodEntry, Origin, OriginProblem};
use http::{HeaderValue, Method};

use crate::allowed_origins::{AllowedOrigins, OriginList};
use crate::error::{ConfigError, ConfigErrors};

/// The arguments of one `#[cors(...)]`, as the macro generates them. The macro has already
/// checked every literal with the same grammar; the runtime checks them again at cold start
/// anyway, so a hand-written `Spec` can never widen a whitelist either.
#[doc(hidden)]
#[derive(Debug)]
pub struct Spec {
    /// The handler's name and where it is, for messages.
    pub handler: &'static str,
    /// `file:line` of the attribute.
    pub location: &'static str,
    /// `origins = [...]` (or `["*"]` for `origins = "*"`).
    pub origins: &'static [&'static str],
    /// `origins_env = "VAR"`.
    pub origins_env: Option<&'static str>,
    /// `credentials`.
    pub credentials: bool,
    /// `allow_insecure_http`: plain-http origins on non-loopback hosts with credentials.
    pub allow_insecure_http: bool,
    /// `methods = [...]`; `None` for the default.
    pub methods: Option<&'static [&'static str]>,
    /// `headers = [...]`; `None` to mirror what an allowed origin's preflight asks for.
    pub headers: Option<&'static [&'static str]>,
    /// `expose_headers = [...]`.
    pub expose_headers: &'static [&'static str],
    /// `max_age = N`; `None` for the default.
    pub max_age: Option<u64>,
    /// `preflight = false` hands preflights to the handler.
    pub preflight: bool,
}

/// Methods allowed when `methods` is not given. GET, HEAD and POST never need listing; the
/// others are what REST APIs use.
///
/// ```
/// use cors_runtime::{DEFAULT_METHODS, cors, testing};
/// use lambda_http::http::Method;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let preflight = testing::preflight("https://app.example.com", Method::PATCH)
///     .send_to(handler)
///     .await?;
/// assert_eq!(preflight.headers()["access-control-allow-methods"], DEFAULT_METHODS);
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";

/// `Access-Control-Max-Age` when `max_age` is not given: ten minutes of preflight caching, short
/// enough that a tightened policy reaches browsers soon.
///
/// ```
/// use cors_runtime::{DEFAULT_MAX_AGE, cors, testing};
/// use lambda_http::http::Method;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let preflight = testing::preflight("https://app.example.com", Method::PUT)
///     .send_to(handler)
///     .await?;
/// assert_eq!(preflight.max_age(), Some(DEFAULT_MAX_AGE));
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_MAX_AGE: u64 = 600;

/// A policy built on first use, from its [`Spec`] and the environment.
#[doc(hidden)]
#[derive(Debug)]
pub struct LazyPolicy {
    spec: Spec,
    policy: OnceLock<Policy>,
}

impl LazyPolicy {
    /// A policy that reads the environment on first use.
    pub const fn new(spec: Spec) -> Self {
        Self {
            spec,
            policy: OnceLock::new(),
        }
    }

    /// The policy, built and its configuration errors logged on first call.
    pub fn get(&self) -> &Policy {
        self.policy.get_or_init(|| {
            let env = self.spec.origins_env.map(std::env::var_os);
            let policy = Policy::build(&self.spec, env.as_ref().map(|v| v.as_deref()));
            for error in policy.errors.iter() {
                tracing::error!(target: "cors_runtime", handler = self.spec.handler, "{error}");
            }
            policy
        })
    }
}

/// A validated, immutable CORS policy.
#[doc(hidden)]
#[derive(Debug)]
pub struct Policy {
    pub(crate) handler: &'static str,
    pub(crate) origins: AllowedOrigins,
    pub(crate) credentials: bool,
    pub(crate) methods: AllowedMethods,
    pub(crate) headers: AllowedHeaders,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) preflight: bool,
    pub(crate) errors: ConfigErrors,
}

#[derive(Debug)]
pub(crate) enum AllowedMethods {
    Any,
    List {
        methods: Vec<Method>,
        value: HeaderValue,
    },
}

#[derive(Debug)]
pub(crate) enum AllowedHeaders {
    /// Reflect what an allowed origin's preflight asks for.
    Mirror,
    /// `*` (any but `Authorization`, by the Fetch standard).
    Any,
    List {
        names: Vec<http::HeaderName>,
        value: HeaderValue,
    },
}

impl Policy {
    /// Builds the policy of `spec` with `env` the value of its `origins_env` variable (`None`
    /// when the spec has none, `Some(None)` when the variable is not set). Never fails: every
    /// problem is recorded in [`Policy::errors`] and the offending entry left out.
    pub fn build(spec: &Spec, env: Option<Option<&OsStr>>) -> Policy {
        let mut errors = ConfigErrors::default();
        let mut any = false;
        let mut list = OriginList::default();
        let mut add = |origin: Origin, errors: &mut ConfigErrors, variable: Option<&str>| {
            let problem = match &origin {
                Origin::Any if spec.credentials => Some(OriginProblem::AnyWithCredentials),
                _ if spec.credentials && !spec.allow_insecure_http && !origin.is_trustworthy() => {
                    Some(OriginProblem::InsecureWithCredentials)
                }
                _ => None,
            };
            match problem {
                Some(problem) => errors.push(ConfigError::origin(
                    spec.handler,
                    variable,
                    cors_grammar::OriginError::new(&origin.to_string(), problem, None),
                )),
                None if origin == Origin::Any => any = true,
                None => list.insert(&origin),
            }
        };

        for literal in spec.origins {
            match Origin::parse(literal) {
                Ok(origin) => add(origin, &mut errors, None),
                Err(err) => errors.push(ConfigError::origin(spec.handler, None, err)),
            }
        }
        if let (Some(variable), Some(value)) = (spec.origins_env, env) {
            read_env(spec, variable, value, &mut errors, &mut add);
        }

        let origins = if any {
            AllowedOrigins::Any
        } else {
            AllowedOrigins::List(list)
        };
        if let AllowedOrigins::List(list) = &origins {
            if list.is_empty() && errors.is_empty() && spec.origins_env.is_none() {
                errors.push(ConfigError::new(spec.handler, "no origin is allowed"));
            }
        }

        Policy {
            handler: spec.handler,
            origins,
            credentials: spec.credentials,
            methods: build_methods(spec, &mut errors),
            headers: build_headers(spec, &mut errors),
            expose_headers: header_list_value(
                spec,
                spec.expose_headers,
                HeaderList::Expose,
                &mut errors,
            ),
            max_age: build_max_age(spec, &mut errors),
            preflight: spec.preflight,
            errors,
        }
    }

    /// Every configuration problem found when the policy was built.
    pub fn errors(&self) -> &ConfigErrors {
        &self.errors
    }

    /// Whether responses depend on the request's `Origin` (so must carry `Vary: Origin`).
    pub(crate) fn varies_by_origin(&self) -> bool {
        matches!(self.origins, AllowedOrigins::List(_))
    }
}

fn read_env(
    spec: &Spec,
    variable: &'static str,
    value: Option<&OsStr>,
    errors: &mut ConfigErrors,
    add: &mut impl FnMut(Origin, &mut ConfigErrors, Option<&str>),
) {
    let example = if spec.credentials {
        "https://app.example.com https://admin.example.com"
    } else {
        "https://app.example.com https://admin.example.com (or `*` for any origin)"
    };
    let consequence = if spec.origins.is_empty() {
        "no origin is allowed"
    } else {
        "only the origins listed in the attribute are allowed"
    };
    let Some(value) = value else {
        errors.push(ConfigError::variable(
            spec.handler,
            variable,
            format!(
                "is not set, so {consequence}; set it to the allowed origins, separated by \
                 spaces or commas, e.g. `{example}`"
            ),
        ));
        return;
    };
    let Some(value) = value.to_str() else {
        errors.push(ConfigError::variable(
            spec.handler,
            variable,
            "is not valid UTF-8, so none of its entries is allowed; origins are ASCII (a \
             Unicode host is written in punycode, `xn--…`)"
                .to_owned(),
        ));
        return;
    };
    let entries: Vec<&str> = cors_grammar::split_origin_list(value).collect();
    if entries.is_empty() {
        errors.push(ConfigError::variable(
            spec.handler,
            variable,
            format!(
                "is empty, so {consequence}; set it to the allowed origins, separated by \
                 spaces or commas, e.g. `{example}`"
            ),
        ));
        return;
    }
    let several = entries.len() > 1;
    for entry in entries {
        match Origin::parse(entry) {
            Ok(Origin::Any) if several => errors.push(ConfigError::origin(
                spec.handler,
                Some(variable),
                cors_grammar::OriginError::new(entry, OriginProblem::AnyAmongEntries, None),
            )),
            Ok(origin) => add(origin, errors, Some(variable)),
            Err(err) => errors.push(ConfigError::origin(spec.handler, Some(variable), err)),
        }
    }
}

fn build_methods(spec: &Spec, errors: &mut ConfigErrors) -> AllowedMethods {
    let Some(entries) = spec.methods else {
        let methods = DEFAULT_METHODS
            .split(", ")
            .filter_map(|m| Method::from_bytes(m.as_bytes()).ok())
            .collect();
        return AllowedMethods::List {
            methods,
            value: HeaderValue::from_static(DEFAULT_METHODS),
        };
    };
    let mut methods = Vec::new();
    for entry in entries {
        match MethodEntry::parse(entry) {
            Ok(MethodEntry::Any) if !spec.credentials => return AllowedMethods::Any,
            Ok(MethodEntry::Any) => errors.push(star_with_credentials(spec, "methods", "method")),
            Ok(MethodEntry::Method(method)) => methods.push(method),
            Err(err) => errors.push(ConfigError::new(spec.handler, err.to_string())),
        }
    }
    AllowedMethods::List {
        value: joined(methods.iter().map(Method::as_str)).unwrap_or(HeaderValue::from_static("")),
        methods,
    }
}

fn build_headers(spec: &Spec, errors: &mut ConfigErrors) -> AllowedHeaders {
    let Some(entries) = spec.headers else {
        return AllowedHeaders::Mirror;
    };
    if entries.contains(&"*") && !spec.credentials {
        return AllowedHeaders::Any;
    }
    let mut names = Vec::new();
    for entry in entries {
        match HeaderNameEntry::parse(entry, HeaderList::Allow) {
            Ok(HeaderNameEntry::Name(name)) => names.push(name),
            Ok(HeaderNameEntry::Any) => {
                errors.push(star_with_credentials(spec, "headers", "header"))
            }
            Err(err) => errors.push(ConfigError::new(spec.handler, err.to_string())),
        }
    }
    AllowedHeaders::List {
        value: joined(names.iter().map(|n| n.as_str())).unwrap_or(HeaderValue::from_static("")),
        names,
    }
}

fn build_max_age(spec: &Spec, errors: &mut ConfigErrors) -> Option<HeaderValue> {
    match spec.max_age {
        None => Some(HeaderValue::from(DEFAULT_MAX_AGE)),
        Some(age) if age <= cors_grammar::MAX_AGE_LIMIT => Some(HeaderValue::from(age)),
        Some(age) => {
            errors.push(ConfigError::new(
                spec.handler,
                format!(
                    "`max_age = {age}` is more than {} seconds, which no browser honours",
                    cors_grammar::MAX_AGE_LIMIT
                ),
            ));
            None
        }
    }
}

fn header_list_value(
    spec: &Spec,
    entries: &[&str],
    list: HeaderList,
    errors: &mut ConfigErrors,
) -> Option<HeaderValue> {
    let mut names = Vec::new();
    for entry in entries {
        match HeaderNameEntry::parse(entry, list) {
            Ok(HeaderNameEntry::Any) if spec.credentials => {
                errors.push(star_with_credentials(spec, list.argument(), "header"))
            }
            Ok(HeaderNameEntry::Any) => names.push("*".to_owned()),
            Ok(HeaderNameEntry::Name(name)) => names.push(name.as_str().to_owned()),
            Err(err) => errors.push(ConfigError::new(spec.handler, err.to_string())),
        }
    }
    if names.is_empty() {
        return None;
    }
    joined(names.iter().map(String::as_str))
}

/// `items` as one comma-separated header value.
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> Option<HeaderValue> {
    HeaderValue::from_str(&items.collect::<Vec<_>>().join(", ")).ok()
}

/// `*` in a list where credentials make browsers read it literally.
fn star_with_credentials(spec: &Spec, argument: &str, kind: &str) -> ConfigError {
    ConfigError::new(
        spec.handler,
        format!(
            "`*` in `{argument}` means a {kind} literally named `*` when credentials are \
             allowed; list the {kind}s"
        ),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SPEC: Spec = Spec {
        handler: "handler",
        location: "src/main.rs:1",
        origins: &[],
        origins_env: None,
        credentials: false,
        allow_insecure_http: false,
        methods: None,
        headers: None,
        expose_headers: &[],
        max_age: None,
        preflight: true,
    };

    fn env_policy(credentials: bool, value: Option<&str>) -> Policy {
        let spec = Spec {
            origins_env: Some("ALLOWED_ORIGINS"),
            credentials,
            ..SPEC
        };
        Policy::build(&spec, Some(value.map(OsStr::new)))
    }

    fn entries(policy: &Policy) -> Vec<String> {
        match &policy.origins {
            AllowedOrigins::Any => vec!["*".into()],
            AllowedOrigins::List(list) => {
                let mut entries: Vec<_> = list.entries().collect();
                entries.sort();
                entries
            }
        }
    }

    #[test]
    fn env_entries_are_split_on_spaces_and_commas() {
        let policy = env_policy(
            true,
            Some("https://a.example.com, https://*.b.example.com\thttp://localhost:3000"),
        );
        assert!(policy.errors.is_empty(), "{}", policy.errors);
        assert_eq!(
            entries(&policy),
            [
                "http://localhost:3000",
                "https://*.b.example.com",
                "https://a.example.com"
            ]
        );
    }

    #[test]
    fn bad_env_entries_are_reported_and_left_out() {
        let policy = env_policy(
            true,
            Some("https://a.example.com https://B.example.com/ null * http://c.example.com"),
        );
        assert_eq!(entries(&policy), ["https://a.example.com"]);
        let messages = policy.errors.to_string();
        for needle in [
            "ALLOWED_ORIGINS",
            "`https://B.example.com/`",
            "write `https://b.example.com`",
            "`null`",
            "`*` stands beside other entries",
            "`http://c.example.com` is plain http",
        ] {
            assert!(messages.contains(needle), "{needle} not in:\n{messages}");
        }
        assert_eq!(policy.errors.len(), 4, "{messages}");
    }

    #[test]
    fn star_alone_is_any_without_credentials_only() {
        assert!(matches!(
            env_policy(false, Some("*")).origins,
            AllowedOrigins::Any
        ));
        let policy = env_policy(true, Some(" * "));
        assert!(entries(&policy).is_empty());
        assert!(
            policy.errors.to_string().contains("browsers refuse"),
            "{}",
            policy.errors
        );
    }

    #[test]
    fn missing_empty_and_non_utf8_variables_fail_closed() {
        for value in [None, Some(""), Some(" ,\n, ")] {
            let policy = env_policy(true, value);
            assert!(entries(&policy).is_empty());
            assert_eq!(policy.errors.len(), 1, "{value:?}");
            assert!(policy.errors.to_string().contains("ALLOWED_ORIGINS"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let spec = Spec {
                origins_env: Some("ALLOWED_ORIGINS"),
                ..SPEC
            };
            let policy = Policy::build(
                &spec,
                Some(Some(OsStr::from_bytes(b"https://a.example.com \xff"))),
            );
            assert!(entries(&policy).is_empty());
            assert!(policy.errors.to_string().contains("UTF-8"));
        }
    }

    #[test]
    fn literals_still_apply_when_the_variable_is_missing() {
        let spec = Spec {
            origins: &["https://app.example.com"],
            origins_env: Some("ALLOWED_ORIGINS"),
            ..SPEC
        };
        let policy = Policy::build(&spec, Some(None));
        assert_eq!(entries(&policy), ["https://app.example.com"]);
        assert_eq!(policy.errors.len(), 1);
    }
}
