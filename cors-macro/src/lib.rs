//! The `#[cors]` attribute of [`cors-runtime`](https://docs.rs/cors-runtime). Use it through
//! that crate (`use cors_runtime::cors;`), which documents it and which the generated code
//! calls; this crate is pinned to the exact version of `cors-runtime` that re-exports it.

#![warn(missing_docs)]

mod args;
mod errors;
mod expand;
mod handler;
mod layer;
#[cfg(test)]
mod tests;
mod validate;

use proc_macro::TokenStream;

/// The `#[cors]` attribute, implemented in `cors-macro`: use it as `cors_runtime::cors`, whose
/// documentation is [its reference](https://docs.rs/cors-runtime/latest/cors_runtime/attr.cors.html).
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    cors_impl(args.into(), item.into()).into()
}

/// The `cors_layer!` macro, implemented in `cors-macro`: use it as `cors_runtime::cors_layer`,
/// whose documentation is [its reference](https://docs.rs/cors-runtime/latest/cors_runtime/macro.cors_layer.html).
#[proc_macro]
pub fn cors_layer(args: TokenStream) -> TokenStream {
    layer::cors_layer_impl(args.into()).into()
}

fn cors_impl(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let policy = args::Args::parse(args).and_then(validate::validate);
    let handler = syn::parse2(item.clone()).and_then(handler::check);
    match (policy, handler) {
        (Ok(policy), Ok(handler)) => expand::expand(&policy, handler),
        // On an error, the item is emitted unchanged beside it: one mistake, one message.
        (policy, handler) => {
            let mut errors = errors::Errors::default();
            for error in [policy.err(), handler.err()].into_iter().flatten() {
                errors.add(error);
            }
            let errors = errors.finish().err().map(|e| e.to_compile_error());
            quote::quote!(#errors #item)
        }
    }
}
