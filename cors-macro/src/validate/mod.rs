//! Checking: the arguments against the policy's rules, and the annotated function against the
//! shape of a `lambda_http` handler.

mod arguments;
mod handler;

pub(crate) use arguments::arguments;
pub(crate) use handler::{Handler, handler};
