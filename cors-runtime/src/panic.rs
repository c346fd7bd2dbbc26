//! A leaf: what a caught panic said, for the logs of `catch_errors` and `origins_fn`.

use std::any::Any;

/// A panic's message: its payload when that is a string.
pub(crate) fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}
