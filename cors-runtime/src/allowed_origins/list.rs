//! The list: exact entries in a hash map keyed by the origin's bytes, the patterns beside them.

use std::collections::HashMap;

use cors_grammar::OriginEntry;
use http::HeaderValue;

use super::patterns::{Hasher, Patterns};
use super::{OriginMatch, Refusal};

#[derive(Clone, Debug, Default)]
pub(crate) struct OriginList {
    /// Each exact origin, with the header value that answers it (cloned per request, which
    /// shares its bytes instead of allocating). Keyed by bytes, so a lookup needs no UTF-8 or
    /// visible-ASCII check of the request's value first.
    pub(super) exact: HashMap<Box<[u8]>, HeaderValue, Hasher>,
    /// The patterns, if any (most lists have none: they stay one pointer).
    pub(super) patterns: Option<Box<Patterns>>,
}

impl OriginList {
    /// An empty list with room for `entries` entries (built once per cold start: no rehash as
    /// a long list fills it).
    pub(crate) fn with_capacity(entries: usize) -> Self {
        OriginList {
            exact: HashMap::with_capacity_and_hasher(entries, Hasher::default()),
            patterns: None,
        }
    }

    /// Adds a validated entry; `OriginEntry::Any` is the caller's business.
    pub(crate) fn insert(&mut self, origin: OriginEntry) {
        match origin {
            OriginEntry::Any => {}
            OriginEntry::Exact(origin) => {
                let key: Box<[u8]> = origin.as_bytes().into();
                // A validated origin is visible ASCII, so this cannot fail; skipping it would
                // only narrow the list. The header value takes the string's bytes as they are.
                if let Ok(value) = HeaderValue::try_from(origin) {
                    self.exact.insert(key, value);
                }
            }
            OriginEntry::Pattern(pattern) => self.patterns.get_or_insert_default().insert(pattern),
        }
    }

    /// The allow-origin value for `origin` if it is listed exactly, compared byte for byte.
    #[inline]
    fn lookup_exact(&self, origin: &[u8]) -> Option<HeaderValue> {
        self.exact.get(origin).cloned()
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = String> + '_ {
        let exact = self
            .exact
            .keys()
            .map(|entry| String::from_utf8_lossy(entry).into_owned());
        let patterns = self
            .patterns
            .iter()
            .flat_map(|patterns| &patterns.listed)
            .map(|(_, entry)| entry.to_string());
        exact.chain(patterns)
    }
}

impl OriginList {
    /// The answer to the request's `Origin` values under this list.
    pub(super) fn check<'a>(
        &self,
        mut values: impl Iterator<Item = &'a HeaderValue>,
    ) -> OriginMatch {
        let Some(value) = values.next() else {
            return OriginMatch::Absent;
        };
        if values.next().is_some() {
            return OriginMatch::Refused(Refusal::Multiple);
        }
        // Listed entries are visible ASCII and never `null`: a hit is allowed as it is.
        if let Some(allowed) = self.lookup_exact(value.as_bytes()) {
            return OriginMatch::Allowed(allowed);
        }
        // A refusal's precise reason is worked out only if it is logged.
        let Some(patterns) = &self.patterns else {
            return OriginMatch::Refused(Refusal::Unexplained);
        };
        match patterns.lookup(value.as_bytes(), value) {
            Some(allowed) => OriginMatch::Allowed(allowed),
            None => OriginMatch::Refused(Refusal::Unexplained),
        }
    }
}
