//! Bounds on what a handler's signature holds, each with the error that says what to write.

/// A body type `#[cors]` can answer a preflight with: it needs an empty value.
#[diagnostic::on_unimplemented(
    message = "`#[cors]` answers preflights with an empty body, and `{Self}` has none (no `Default`)",
    label = "`{Self}` does not implement `Default`",
    note = "use a body type with an empty value (lambda_http's streaming `Body` has one), implement `Default` for `{Self}`, or add `preflight = false` to let the handler answer preflights"
)]
pub trait PreflightBody: Default {}

impl<B: Default> PreflightBody for B {}

/// A bound that makes an `impl Trait` capture the lifetimes in `T` (for an outer function with
/// an `impl Trait` parameter, where `use<…>` cannot name every parameter).
pub trait Captures<T: ?Sized> {}

impl<T: ?Sized, U: ?Sized> Captures<T> for U {}
