//! A handler's CORS policy: the attribute's arguments (checked at compile time) plus the
//! environment, validated once per cold start into an immutable value.

use std::ffi::OsStr;
use std::sync::OnceLock;

use cors_grammar::rules::{self, Arguments, Entries, Settings};
use cors_grammar::{HeaderNameEntry, MethodEntry, OriginEntry};
use http::{HeaderValue, Method};

use crate::allowed_origins::{AllowedOrigins, OriginList};
use crate::error::{ConfigError, ConfigErrorKind, ConfigErrors, PolicySource};
use crate::predicate::Predicate;

/// The arguments of one `#[cors(...)]`, as the macro generates them. The macro has already
/// checked every literal with the same rules; the runtime checks them again at cold start
/// anyway, so a hand-written `Spec` can never widen a whitelist either.
#[derive(Debug)]
pub struct Spec<'a> {
    /// Where the policy was written, for messages.
    pub source: PolicySource,
    /// `origins = [...]` (or `["*"]` for `origins = "*"`); empty when not given.
    pub origins: &'a [&'a str],
    /// `origins_env = "VAR"`.
    pub origins_env: Option<&'a str>,
    /// `origins_fn = path`: asked about origins the lists do not name.
    pub origins_fn: Option<Predicate>,
    /// `credentials`.
    pub credentials: bool,
    /// `allow_insecure_http`: plain-http origins on non-loopback hosts with credentials.
    pub allow_insecure_http: bool,
    /// `methods = [...]`; `None` for the default.
    pub methods: Option<&'a [&'a str]>,
    /// `headers = [...]`; `None` to mirror what an allowed origin's preflight asks for.
    pub headers: Option<&'a [&'a str]>,
    /// `expose_headers = [...]`.
    pub expose_headers: &'a [&'a str],
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
#[derive(Debug)]
pub struct LazyPolicy {
    spec: Spec<'static>,
    policy: OnceLock<Policy>,
}

impl LazyPolicy {
    /// A policy that reads the environment on first use.
    pub const fn new(spec: Spec<'static>) -> Self {
        Self {
            spec,
            policy: OnceLock::new(),
        }
    }

    /// Where the policy was written.
    pub fn source(&self) -> PolicySource {
        self.spec.source
    }

    /// The policy, built and its configuration errors logged on first call.
    #[inline]
    pub fn get(&self) -> &Policy {
        match self.policy.get() {
            Some(policy) => policy,
            None => self.build(),
        }
    }

    /// [`LazyPolicy::get`]'s first call: kept out of line, so that the building and the
    /// logging are compiled once, not in every crate that asks for the policy.
    #[cold]
    #[inline(never)]
    fn build(&self) -> &Policy {
        self.policy.get_or_init(|| {
            let env = self.spec.origins_env.map(std::env::var_os);
            let policy = Policy::build(&self.spec, env.as_ref().map(|v| v.as_deref()));
            for error in policy.errors.iter() {
                tracing::error!(target: "cors_runtime", policy = %self.spec.source, "{error}");
            }
            policy
        })
    }
}

/// A validated, immutable CORS policy.
#[derive(Debug)]
pub struct Policy {
    pub(crate) source: PolicySource,
    pub(crate) origins: AllowedOrigins,
    pub(crate) predicate: Option<Predicate>,
    pub(crate) credentials: bool,
    pub(crate) allow_insecure_http: bool,
    pub(crate) methods: AllowedMethods,
    pub(crate) headers: AllowedHeaders,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) preflight: bool,
    pub(crate) errors: ConfigErrors,
}

#[derive(Debug)]
pub(crate) enum AllowedMethods {
    /// `*`: any method (never with credentials).
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
    /// `*`: any header but `Authorization`, which the Fetch standard never lets `*` cover, so
    /// `value` names it beside `*` when it is listed.
    Any {
        value: HeaderValue,
        authorization: bool,
    },
    List {
        names: Vec<http::HeaderName>,
        value: HeaderValue,
    },
}

impl Policy {
    /// Builds the policy of `spec` with `env` the value of its `origins_env` variable (`None`
    /// when the spec has none, `Some(None)` when the variable is not set). Never fails: every
    /// problem is recorded in [`Policy::errors`] and the offending entry left out.
    pub fn build<'a>(spec: &Spec<'a>, env: Option<Option<&OsStr>>) -> Policy {
        let mut errors = ConfigErrors::default();
        let list = |entries: &[&'a str]| Entries {
            at: (),
            entries: entries.iter().map(|entry| ((), *entry)).collect(),
        };
        let arguments = Arguments {
            whole: (),
            origins: (!spec.origins.is_empty()).then(|| list(spec.origins)),
            origins_env: spec.origins_env.map(|_| ()),
            origins_fn: spec.origins_fn.as_ref().map(|_| ()),
            credentials: spec.credentials.then_some(()),
            allow_insecure_http: spec.allow_insecure_http.then_some(()),
            methods: spec.methods.map(list),
            headers: spec.headers.map(list),
            expose_headers: Some(list(spec.expose_headers)),
            max_age: spec.max_age.map(|age| ((), age)),
            preflight: spec.preflight,
        };
        let (checked, problems) = rules::check(&arguments);
        for ((), problem) in &problems {
            errors.push(ConfigError::problem(spec.source, None, problem));
        }

        let mut origins = checked.origins;
        if let (Some(variable), Some(value)) = (spec.origins_env, env) {
            origins.extend(read_env(spec, variable, value, &mut errors));
        }
        // With credentials, `*` in the variable was refused; with a predicate too.
        let origins = if origins.contains(&OriginEntry::Any) {
            AllowedOrigins::Any
        } else {
            let mut list = OriginList::with_capacity(origins.len());
            for origin in origins {
                list.insert(origin);
            }
            AllowedOrigins::List(list)
        };

        Policy {
            source: spec.source,
            // Under `*` (refused beside a predicate) there is nothing left to ask about.
            predicate: match origins {
                AllowedOrigins::Any => None,
                AllowedOrigins::List(_) => spec.origins_fn.clone(),
            },
            origins,
            credentials: spec.credentials,
            allow_insecure_http: spec.allow_insecure_http,
            methods: allowed_methods(checked.methods),
            headers: allowed_headers(checked.headers),
            expose_headers: exposed_headers(&checked.expose_headers),
            // A `max_age` the rules refused sends none (browsers then cache for a few seconds).
            max_age: match spec.max_age {
                None => Some(HeaderValue::from(DEFAULT_MAX_AGE)),
                Some(_) => checked.max_age.map(HeaderValue::from),
            },
            preflight: spec.preflight,
            errors,
        }
    }

    /// Every configuration problem found when the policy was built.
    pub fn errors(&self) -> &ConfigErrors {
        &self.errors
    }
}

/// The valid entries of the origins variable; every problem is recorded in `errors`.
fn read_env(
    spec: &Spec<'_>,
    variable: &str,
    value: Option<&OsStr>,
    errors: &mut ConfigErrors,
) -> Vec<OriginEntry> {
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
    let mut variable_error = |kind, message: String| {
        errors.push(ConfigError::variable(spec.source, kind, variable, message));
        Vec::new()
    };
    let Some(value) = value else {
        return variable_error(
            ConfigErrorKind::EnvVariableNotSet,
            format!(
                "is not set, so {consequence}; set it to the allowed origins, separated by \
                 spaces or commas, e.g. `{example}`"
            ),
        );
    };
    let Some(value) = value.to_str() else {
        return variable_error(
            ConfigErrorKind::EnvVariableNotUnicode,
            "is not valid UTF-8, so none of its entries is allowed; origins are ASCII (a \
             Unicode host is written in punycode, `xn--…`)"
                .to_owned(),
        );
    };
    let settings = Settings {
        credentials: spec.credentials,
        allow_insecure_http: spec.allow_insecure_http,
        origins_fn: spec.origins_fn.is_some(),
    };
    // Its shape, each entry, repetitions and emptiness, in the words a linter of deploy
    // templates gives too.
    let (kept, problems) = rules::check_origins_variable(value, settings);
    for problem in &problems {
        errors.push(ConfigError::problem(spec.source, Some(variable), problem));
    }
    kept
}

fn allowed_methods(entries: Option<Vec<MethodEntry>>) -> AllowedMethods {
    let Some(entries) = entries else {
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
        match entry {
            // Without credentials (the rules refuse `*` with them) `*` covers every method.
            MethodEntry::Any => return AllowedMethods::Any,
            MethodEntry::Method(method) => methods.push(method),
        }
    }
    AllowedMethods::List {
        value: joined(methods.iter().map(Method::as_str)),
        methods,
    }
}

fn allowed_headers(entries: Option<Vec<HeaderNameEntry>>) -> AllowedHeaders {
    let Some(entries) = entries else {
        return AllowedHeaders::Mirror;
    };
    let names: Vec<http::HeaderName> = entries
        .iter()
        .filter_map(|entry| match entry {
            HeaderNameEntry::Name(name) => Some(name.clone()),
            HeaderNameEntry::Any => None,
        })
        .collect();
    if entries.contains(&HeaderNameEntry::Any) {
        // `*` covers every name but `Authorization` (the Fetch standard's only "CORS
        // non-wildcard request-header name"): a listed `Authorization` is sent beside it.
        let authorization = names.contains(&http::header::AUTHORIZATION);
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
        value: joined(names.iter().map(http::HeaderName::as_str)),
        names,
    }
}

fn exposed_headers(entries: &[HeaderNameEntry]) -> Option<HeaderValue> {
    if entries.is_empty() {
        return None;
    }
    // Without credentials (the rules refuse `*` with them) `*` exposes every header.
    if entries.contains(&HeaderNameEntry::Any) {
        return Some(HeaderValue::from_static("*"));
    }
    Some(joined(entries.iter().filter_map(|entry| match entry {
        HeaderNameEntry::Name(name) => Some(name.as_str()),
        HeaderNameEntry::Any => None,
    })))
}

/// `items` as one comma-separated header value (validated names and methods: always a valid
/// value).
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> HeaderValue {
    HeaderValue::from_str(&items.collect::<Vec<_>>().join(", "))
        .unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SPEC: Spec<'static> = Spec {
        source: PolicySource::attribute("handler", "src/main.rs", 1),
        origins: &[],
        origins_env: None,
        origins_fn: None,
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
            "`*` (any origin) cannot go with credentials",
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
