//! The `#[cors]` attribute and the `cors_layer!` macro of
//! [`cors-runtime`](https://docs.rs/cors-runtime). Use them through that crate (`use
//! cors_runtime::cors;`), which documents them and which the generated code calls; this crate is
//! pinned to the exact version of `cors-runtime` that re-exports it.
//!
//! Both front ends run one pipeline, one module per stage:
//!
//! - `arguments`: the one model of a policy's arguments, for both front ends;
//! - `parse`: the arguments into that model (every argument read on its own, so that one
//!   mistake never hides another; the names, and which front end takes which, are defined there
//!   once), and the item under `#[cors]` into a function;
//! - `validate`: the arguments against `cors-grammar`'s rules (the ones the runtime applies at
//!   cold start), the function against the shape of a `lambda_http` handler;
//! - `expand`: the registered `static` policy both declare, then the wrapped handler or the
//!   layer; on any error, the errors alone, beside the item as written.
//!
//! Everything works on `proc_macro2`, so that the pipeline is unit-tested (`tests`).

#![warn(missing_docs)]

mod arguments;
mod errors;
mod expand;
mod parse;
#[cfg(test)]
mod tests;
mod validate;

use proc_macro::TokenStream;

use arguments::FrontEnd;

/// The `#[cors]` attribute, implemented in `cors-macro`: use it as `cors_runtime::cors`, whose
/// documentation is [its reference](https://docs.rs/cors-runtime/latest/cors_runtime/attr.cors.html).
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute(args.into(), item.into()).into()
}

/// The `cors_layer!` macro, implemented in `cors-macro`: use it as `cors_runtime::cors_layer`,
/// whose documentation is [its reference](https://docs.rs/cors-runtime/latest/cors_runtime/macro.cors_layer.html).
#[proc_macro]
pub fn cors_layer(args: TokenStream) -> TokenStream {
    layer(args.into()).into()
}

/// `#[cors]` when `cors-runtime` is built without its `lambda` feature: `cors-runtime`
/// re-exports this one as `cors` then, and it is a compile error that says how to turn the
/// feature on.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn cors_requires_lambda(_args: TokenStream, item: TokenStream) -> TokenStream {
    expand::without_lambda(item.into()).into()
}

fn attribute(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let args = validate::arguments(parse::arguments(args, FrontEnd::Attribute));
    let handler = parse::handler(item.clone()).and_then(validate::handler);
    expand::handler(args, handler, item)
}

fn layer(args: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let args = validate::arguments(parse::arguments(args, FrontEnd::Layer));
    expand::layer(args)
}
