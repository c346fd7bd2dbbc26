//! `#[cors]` in a build of `cors-runtime` without its `lambda` feature, which the attribute's
//! runtime half needs: the item as written, beside one error that says how to turn it on.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// What `#[cors]` says when `cors-runtime`'s `lambda` feature is off.
pub(crate) const LAMBDA_FEATURE_OFF: &str = "`#[cors]` wraps a `lambda_http` handler and needs \
     cors-runtime's `lambda` feature, which is on by default and is off in this build: in \
     `Cargo.toml`, remove `default-features = false` from the `cors-runtime` dependency, or add \
     `features = [\"lambda\"]` to it; for an axum router or another tower service, `cors_layer!` \
     gives the same policy as a layer, without the feature";

/// `item` unchanged, so that the error is the only one, after the error at the attribute.
pub(crate) fn without_lambda(item: TokenStream) -> TokenStream {
    let error = syn::Error::new(Span::call_site(), LAMBDA_FEATURE_OFF).to_compile_error();
    quote!(#error #item)
}
