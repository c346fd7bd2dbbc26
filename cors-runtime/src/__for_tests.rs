//! The seam of this crate's own tests and fuzz target, which build policies from arbitrary
//! specifications and run requests through the same decision code the expansions call. Not
//! public API: it may change in any release.

use std::sync::Arc;

pub use crate::decision::{After, Before};
pub use crate::expansion::attribute_source;
pub use crate::policy::{Policy, Spec};
pub use crate::policy_source::PolicySource;
pub use crate::predicate::Predicate;

/// Categorises `request` under `policy`, as an expansion's call to `before` does under its
/// `static` policy.
#[inline]
pub fn before<B: Default, T>(policy: &Arc<Policy>, request: &http::Request<T>) -> Before<B> {
    crate::decision::before(
        crate::policy::PolicyRef::Shared(Arc::clone(policy)),
        request,
    )
}
