//! The policy of a `#[cors]` or `cors_layer!` call: a `static`, built on first use.

use std::sync::OnceLock;

use super::env::Override;
use super::reference::PolicyRef;
use super::{Policy, Spec};
use crate::policy_source::PolicySource;

/// A policy built on first use (or by [`check`](crate::check)), from its [`Spec`] and the
/// environment. The expansions of `#[cors]` and `cors_layer!` each declare one as a `static`.
#[derive(Debug)]
pub struct LazyPolicy {
    spec: Spec<'static>,
    policy: OnceLock<Policy>,
}

impl LazyPolicy {
    /// A policy that reads the environment on first use.
    #[must_use]
    pub const fn new(spec: Spec<'static>) -> Self {
        Self {
            spec,
            policy: OnceLock::new(),
        }
    }

    /// Where the policy was written.
    pub(crate) fn source(&self) -> PolicySource {
        self.spec.source
    }

    pub(crate) fn spec(&self) -> &Spec<'static> {
        &self.spec
    }

    /// The policy a request is decided by: the one built from the process environment, or,
    /// inside `testing::with_env`, the one built from the value given there.
    #[inline]
    pub(crate) fn resolve(&'static self) -> PolicyRef {
        match Override::policy(self) {
            None => PolicyRef::Static(self.get()),
            Some(overridden) => PolicyRef::Shared(overridden),
        }
    }

    /// The policy, built and its configuration errors logged on first call.
    #[inline]
    pub(crate) fn get(&self) -> &Policy {
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
            let policy = Policy::from_environment(&self.spec);
            policy.log_errors();
            policy
        })
    }
}
