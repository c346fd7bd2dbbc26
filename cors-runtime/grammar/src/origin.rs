//! Allowed-origin entries: one file per concept, the tests beside them.

mod entry;
mod error;
mod fast;
mod list;
mod pattern;
mod scheme;
#[cfg(test)]
mod tests;

pub use entry::OriginEntry;
pub use error::{OriginEntryError, OriginEntryProblem};
pub use list::split_origin_list;
pub use pattern::{HostPattern, OriginPattern, PortPattern};
pub use scheme::Scheme;
