//! The seam of this crate's own tests and fuzz target, which build policies from arbitrary
//! specifications and run requests through the same decision code the attribute's expansion
//! calls. Not public API: it may change in any release.

pub use crate::decision::{After, Before, before};
pub use crate::error::PolicySource;
pub use crate::policy::{Policy, Spec};
pub use crate::predicate::Predicate;
