//! Why an origin was refused: worked out only when the refusal is logged.

use http::HeaderValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    NotListed,
    Null,
    Multiple,
    NotText,
    /// Not what a browser sends (so no predicate is asked about it).
    NotCanonical,
    /// Plain http on a non-loopback host, with credentials (so no predicate is asked).
    Insecure,
    /// The predicate panicked.
    PredicatePanicked,
    /// One value, not listed, and no pattern to try: which of `NotListed`, `Null` or
    /// `NotText` is worked out by [`Refusal::explained`] only if the refusal is logged, since it
    /// changes nothing else.
    Unexplained,
}

impl Refusal {
    /// The refusal with its precise reason, given the request's (single) `Origin` value.
    pub(crate) fn explained(self, origin: Option<&HeaderValue>) -> Refusal {
        match (self, origin) {
            (Refusal::Unexplained, Some(value)) => match value.to_str() {
                Err(_) => Refusal::NotText,
                Ok("null") => Refusal::Null,
                Ok(_) => Refusal::NotListed,
            },
            (Refusal::Unexplained, None) => Refusal::NotListed,
            (refusal, _) => refusal,
        }
    }

    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::NotListed | Refusal::Unexplained => "origin not listed",
            Refusal::Null => "`Origin: null` is never allowed (any page can send it)",
            Refusal::Multiple => "more than one Origin header",
            Refusal::NotText => "Origin header is not visible ASCII",
            Refusal::NotCanonical => "Origin header is not an origin as browsers send it",
            Refusal::Insecure => {
                "plain http on a non-loopback host with credentials (see `allow_insecure_http`)"
            }
            Refusal::PredicatePanicked => "the origins_fn predicate panicked",
        }
    }
}
