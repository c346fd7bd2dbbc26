//! How a decision holds its policy: a `static` one by reference, one built at run time shared.

use std::ops::Deref;
use std::sync::Arc;

use super::Policy;

/// The policy a request's decision was made by, kept until its response is finished: a
/// `#[cors]` or `cors_layer!` policy (a `static`, built once), or one shared by the clones of a
/// layer built at run time (or by a test's `testing::with_env`).
#[derive(Clone, Debug)]
pub(crate) enum PolicyRef {
    Static(&'static Policy),
    Shared(Arc<Policy>),
}

impl Deref for PolicyRef {
    type Target = Policy;

    #[inline]
    fn deref(&self) -> &Policy {
        match self {
            PolicyRef::Static(policy) => policy,
            PolicyRef::Shared(policy) => policy,
        }
    }
}
