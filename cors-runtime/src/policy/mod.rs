//! A CORS policy: its arguments ([`Spec`]) plus the environment, validated once into an
//! immutable value that every request is decided by.
//!
//! - `spec.rs`: the arguments, and the one default of each;
//! - `env.rs`: the one read of the origins variable, and its entries;
//! - `lazy.rs`: the `static` policy of a `#[cors]` or `cors_layer!` call, built on first use;
//! - `reference.rs`: how a request's decision holds its policy until the response is finished.

mod env;
mod lazy;
mod reference;
mod spec;

use std::ffi::OsStr;

use cors_grammar::rules::{self, Arguments, Entries};
use cors_grammar::{HeaderNameEntry, OriginEntry};
use http::HeaderValue;

pub(crate) use env::Override;
pub use lazy::LazyPolicy;
pub(crate) use reference::PolicyRef;
pub use spec::{DEFAULT_MAX_AGE, Spec};

use crate::allow_headers::AllowedHeaders;
use crate::allow_methods::AllowedMethods;
use crate::allowed_origins::{AllowedOrigins, OriginList};
use crate::comma_list;
use crate::error::{ConfigError, ConfigErrors};
use crate::policy_source::PolicySource;
use crate::predicate::Predicate;

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

impl Policy {
    /// Builds the policy of `spec`, reading its origins variable now: the one read of the
    /// environment, for a `static` policy on first use and for a builder in `build`.
    pub(crate) fn from_environment(spec: &Spec<'_>) -> Policy {
        let value = spec.origins_env.map(env::var);
        Policy::build(spec, value.as_ref().map(|value| value.as_deref()))
    }

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
            origins.extend(env::origins(spec, variable, value, &mut errors));
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
            methods: AllowedMethods::new(checked.methods),
            headers: AllowedHeaders::new(checked.headers),
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

    /// Logs every configuration problem, once per policy built: where nobody calls
    /// [`check`](crate::check), the logs still say why origins are refused.
    pub(crate) fn log_errors(&self) {
        for error in self.errors.iter() {
            tracing::error!(target: "cors_runtime", policy = %self.source, "{error}");
        }
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
    Some(comma_list::join(entries.iter().filter_map(
        |entry| match entry {
            HeaderNameEntry::Name(name) => Some(name.as_str()),
            HeaderNameEntry::Any => None,
        },
    )))
}

#[cfg(test)]
mod tests;
