//! `cors_layer!(...)`: the attribute's policy arguments, checked by the same code, as an
//! expression that evaluates to a `CorsLayer` backed by a `static` policy.

use proc_macro2::TokenStream;
use quote::quote;

use crate::args::Args;
use crate::errors::Errors;
use crate::expand::spec;
use crate::validate::{Policy, validate};

/// What `streaming` and `catch_errors`, which only `#[cors]` on a handler takes, become here.
const STREAMING: &str = "`streaming` is an argument of `#[cors]` on a handler: a layer passes \
     every response body through untouched, streaming bodies included; remove it";
const CATCH_ERRORS: &str = "`catch_errors` is an argument of `#[cors]` on a handler: a layer \
     puts its headers on every response the service inside it gives, error responses included; \
     to answer a panic with a 500 that carries them, add tower-http's `CatchPanicLayer` inside \
     this one (`.layer(CatchPanicLayer::new()).layer(cors_layer!(…))`) and remove this argument";

pub(crate) fn cors_layer_impl(tokens: TokenStream) -> TokenStream {
    match checked(tokens) {
        Ok(policy) => expand(&policy),
        Err(errors) => {
            let errors = errors.to_compile_error();
            // `!` takes the place of the layer, so the errors above are the only ones.
            quote!({ #errors ::core::unreachable!() })
        }
    }
}

fn checked(tokens: TokenStream) -> syn::Result<Policy> {
    let args = Args::parse(tokens)?;
    let mut errors = Errors::default();
    for (flag, message) in [
        (args.streaming, STREAMING),
        (args.catch_errors, CATCH_ERRORS),
    ] {
        if let Some(span) = flag {
            errors.push(span, message);
        }
    }
    let policy = validate(args);
    if let Err(error) = &policy {
        errors.add(error.clone());
    }
    errors.finish()?;
    policy
}

fn expand(policy: &Policy) -> TokenStream {
    let krate = &policy.krate;
    let spec = spec(
        policy,
        quote!(#krate::__private::layer_source(
            ::core::file!(),
            ::core::line!()
        )),
    );
    quote! {{
        static __CORS_POLICY: #krate::__private::LazyPolicy =
            #krate::__private::LazyPolicy::new(#spec);
        #krate::__private::inventory::submit! {
            #krate::__private::Registered(&__CORS_POLICY)
        }
        #krate::__private::layer(&__CORS_POLICY)
    }}
}
