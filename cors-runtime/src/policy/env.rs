//! The environment, read once per policy: the origins variable's value, and what becomes of it.
//!
//! Every read of an `origins_env` variable goes through [`var`] (a `#[cors]` or `cors_layer!`
//! policy on its first use, a builder in `build`), which `testing::with_env` can answer
//! instead of the process environment, for the future it wraps only.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use cors_grammar::OriginEntry;
use cors_grammar::rules::{self, Settings};

use super::{LazyPolicy, Policy, Spec};
use crate::error::{ConfigError, ConfigErrorKind, ConfigErrors};

/// The value of `variable`: the process environment's, unless a test overrides it.
pub(crate) fn var(variable: &str) -> Option<OsString> {
    if OVERRIDES_USED.load(Ordering::Relaxed) {
        if let Some(found) = Override::innermost(variable) {
            return found.value.as_deref().map(OsString::from);
        }
    }
    std::env::var_os(variable)
}

/// Set once a test has overridden a variable: until then (always, in production) the
/// per-request path does not look for an override.
static OVERRIDES_USED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The overrides in force on this thread, innermost last: set around each poll of a
    /// future wrapped by `testing::with_env`.
    static OVERRIDES: RefCell<Vec<Arc<Override>>> = const { RefCell::new(Vec::new()) };
}

/// A value of one variable, in force while a wrapped future is polled.
#[derive(Debug)]
pub(crate) struct Override {
    variable: String,
    value: Option<String>,
    /// The `static` policies built under this override, by address: each is built once per
    /// override, on its first use inside it.
    built: Mutex<Vec<(usize, Arc<Policy>)>>,
}

impl Override {
    pub(crate) fn new(variable: &str, value: Option<&str>) -> Arc<Self> {
        OVERRIDES_USED.store(true, Ordering::Relaxed);
        Arc::new(Override {
            variable: variable.to_owned(),
            value: value.map(str::to_owned),
            built: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` with `this` in force on this thread.
    pub(crate) fn scope<R>(this: &Arc<Self>, f: impl FnOnce() -> R) -> R {
        /// Takes the override out again even if `f` panics.
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                OVERRIDES.with_borrow_mut(Vec::pop);
            }
        }
        OVERRIDES.with_borrow_mut(|overrides| overrides.push(Arc::clone(this)));
        let _pop = Pop;
        f()
    }

    /// The innermost override of `variable` in force on this thread, if any.
    fn innermost(variable: &str) -> Option<Arc<Override>> {
        OVERRIDES.with_borrow(|overrides| {
            overrides
                .iter()
                .rev()
                .find(|o| o.variable == variable)
                .cloned()
        })
    }

    /// `policy` as built under the override of its variable in force, if any. Inlined into
    /// every request's path: one load and a branch, which is never taken in production.
    #[inline]
    pub(crate) fn policy(policy: &'static LazyPolicy) -> Option<Arc<Policy>> {
        if OVERRIDES_USED.load(Ordering::Relaxed) {
            Self::policy_overridden(policy)
        } else {
            None
        }
    }

    #[cold]
    #[inline(never)]
    fn policy_overridden(policy: &'static LazyPolicy) -> Option<Arc<Policy>> {
        let found = Self::innermost(policy.spec().origins_env?)?;
        let address = std::ptr::from_ref(policy) as usize;
        // Only this override's future builds under it, one poll at a time: never contended.
        let mut built = found.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, policy)) = built.iter().find(|(at, _)| *at == address) {
            return Some(Arc::clone(policy));
        }
        let value = found.value.as_deref().map(OsStr::new);
        let rebuilt = Arc::new(Policy::build(policy.spec(), Some(value)));
        rebuilt.log_errors();
        built.push((address, Arc::clone(&rebuilt)));
        Some(rebuilt)
    }
}

/// The valid entries of the origins variable, whose value is `value` (`None`: not set); every
/// problem is recorded in `errors`.
pub(super) fn origins(
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
                 whitespace and/or commas, e.g. `{example}`"
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
