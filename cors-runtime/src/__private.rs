//! The seam between the expansions of `#[cors]` and `cors_layer!` and this crate. Not public
//! API: only generated code calls it, and it may change in any release (the macro crate is
//! pinned to this exact version). It names what generated code calls and defines nothing: the
//! items live in `expansion` (what only expansions need) and in the modules a request goes
//! through.

pub use inventory;
#[cfg(feature = "lambda")]
pub use lambda_http;

pub use crate::decision::{After, Before};
pub use crate::expansion::{
    Captures, CatchWithEmpty, CatchWithJson, PreflightBody, actual, attribute_source, before,
    layer, layer_source, origins_fn,
};
#[cfg(feature = "lambda")]
pub use crate::expansion::{Converted, HandlerOutput, converted};
pub use crate::future::{CorsFuture, Direct, HandlerResult, Propagate};
pub use crate::policy::{LazyPolicy, Spec};
pub use crate::predicate::Predicate;
pub use crate::registry::Registered;
#[cfg(feature = "lambda")]
pub use crate::signatures::LambdaRequest;
pub use crate::signatures::{Is, OriginsFnInput, OriginsFnOutput, OriginsFnSignature};
