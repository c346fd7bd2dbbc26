//! The Origin whitelist check: exact entries in a hash map, patterns in hash maps keyed by the
//! host or the base they stand for.
//!
//! This runs on every request, so the common answers take one hash of the `Origin` bytes: a
//! listed origin is found byte for byte before anything else is looked at (listed entries are
//! visible ASCII and never `null`, so such a hit needs no other check), and the checks that
//! explain a refusal run only on a miss. The maps hash with `foldhash` (seeded per process):
//! SipHash, the standard library's default, cost several times as much per lookup, and the maps
//! are built once from configuration, never from requests, so a request cannot fill them with
//! colliding keys.
//!
//! A request that misses the exact map is tried against the patterns only if its `Origin` is
//! canonical, as browsers send it: `scheme://host[:port]`, the port without leading zeros, at
//! most 65535 and not the scheme's default, and every label a wildcard stands for a lowercase
//! DNS label. Then each kind of pattern costs at most one lookup, of a slice of the request's
//! own value (no allocation), whatever the list's length:
//!
//! - `scheme://host:*`: the host;
//! - `scheme://*.base[:port]`: what follows the first label;
//! - `scheme://**.base[:port]`: each tail of the host after a `.` that has as many labels as
//!   some listed `**.` base (usually one lookup; never more than the host has labels).
//!
//! A host a wildcard matches must have its base's public suffix, so a pattern never reaches
//! across a public-suffix boundary below its base (`bucket.s3.amazonaws.com`, under the public
//! suffix `s3.amazonaws.com`, is not under `**.amazonaws.com`; `s3.amazonaws.com` itself is not
//! under `*.amazonaws.com`): one public-suffix lookup of the host's labels before the base
//! (from the base's place in the list, found when the list is built), on a match only, and only
//! under a base the Public Suffix List has rules below (`amazonaws.com`, not `example.com`,
//! where every host has the base's suffix anyway).
//!
//! A pattern's answer is the request's own `Origin` value (a clone, which shares its bytes).
//!
//! - `list.rs`: the list, its exact entries, and the lookup a request starts with;
//! - `patterns.rs`: the patterns, and matching a request's origin against them;
//! - `refusal.rs`: why an origin was refused, for the debug log;
//! - `closest.rs`: the listed entry a refused origin most likely meant, for the debug log.

mod closest;
mod list;
mod patterns;
mod refusal;

use http::HeaderValue;

pub(crate) use list::OriginList;
pub(crate) use refusal::Refusal;

/// `*`, made at compile time (`HeaderValue::from_static` checks its bytes on every call made at
/// run time). Each use moves a fresh copy out, never a borrow of the const.
#[allow(clippy::declare_interior_mutable_const)]
pub(crate) const ANY: HeaderValue = HeaderValue::from_static("*");

/// Which origins may read responses: validated once, immutable, cheap to query.
#[derive(Clone, Debug)]
pub(crate) enum AllowedOrigins {
    /// `*`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// A whitelist. Lookups cost the same whatever its length.
    List(OriginList),
}

/// The answer to one request's `Origin`.
#[derive(Debug)]
pub(crate) enum OriginMatch {
    /// Allowed: the value to send as `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// The request has no `Origin` header (same-origin or not from a browser).
    Absent,
    /// Refused, and why (for the debug log).
    Refused(Refusal),
}

impl AllowedOrigins {
    /// Decides on the request's `Origin` header values (all of them: REST and ALB events can
    /// carry several, which is never a browser's doing and is refused). Under `*` every request
    /// is answered `*`, with or without an `Origin`: a cached copy of an Origin-less answer may
    /// later serve any origin.
    #[inline(always)]
    pub(crate) fn check(&self, headers: &http::HeaderMap) -> OriginMatch {
        match self {
            // The request's `Origin` is not even looked up.
            Self::Any => OriginMatch::Allowed(ANY),
            Self::List(list) => list.check(headers.get_all(http::header::ORIGIN).iter()),
        }
    }

    /// Whether answers depend on the request's `Origin` (and so must carry `Vary: Origin`).
    #[inline]
    pub(crate) fn vary_by_origin(&self) -> bool {
        matches!(self, Self::List(_))
    }
}

#[cfg(test)]
mod tests;
