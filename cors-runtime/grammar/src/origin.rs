//! Allowed-origin entries and request origins: one file per concept (see the crate's layout),
//! the tests beside them.

mod entry;
mod error;
mod fast;
mod host;
mod list;
mod pattern;
mod request;
mod scheme;
#[cfg(test)]
mod tests;

pub use entry::OriginEntry;
pub(crate) use error::Shown;
pub use error::{OriginEntryError, OriginEntryProblem};
pub use list::split_origin_list;
pub use pattern::{HostPattern, OriginPattern, PortPattern};
pub use request::CanonicalOrigin;
pub use scheme::Scheme;
