//! Generating the wrapped handler.
//!
//! The user's function becomes an inner `async fn __cors_handler` with its signature and body
//! exactly as written (so `?`, `return`, `impl Trait` and every span behave as before), inside
//! an outer function with the same name, attributes, visibility and parameters that answers
//! preflights, calls the inner one and decorates its response.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Pat, PatIdent, ReturnType};

use crate::handler::Handler;
use crate::validate::Policy;

pub(crate) fn expand(policy: &Policy, handler: Handler) -> TokenStream {
    let krate = &policy.krate;
    let error_type = handler.error_type(krate);
    let output_span = handler.output.span();
    let Handler { item, request, .. } = handler;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = item;

    // The outer function binds every parameter to a plain name it can pass on.
    let mut outer_sig = sig.clone();
    let mut arguments: Vec<Ident> = Vec::new();
    for (index, input) in outer_sig.inputs.iter_mut().enumerate() {
        let FnArg::Typed(input) = input else { continue };
        let name = match Handler::simple_binding(&input.pat) {
            Some(ident) => ident.clone(),
            None => format_ident!("__cors_arg{}", index),
        };
        *input.pat = Pat::Ident(PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name.clone(),
            subpat: None,
        });
        arguments.push(name);
    }
    let request = &arguments[request];
    if !policy.streaming {
        // Whatever `IntoResponse` the body produced, the handler now answers `Response<Body>`.
        outer_sig.output = ReturnType::Type(
            Default::default(),
            Box::new(syn::parse_quote!(
                ::core::result::Result<
                    #krate::__private::lambda_http::Response<#krate::__private::lambda_http::Body>,
                    #error_type,
                >
            )),
        );
    }

    let mut inner_sig = sig;
    inner_sig.ident = Ident::new("__cors_handler", Span::call_site());

    let name = outer_sig.ident.to_string();
    let spec = spec(
        policy,
        quote!(#krate::__private::PolicySource::attribute(
            #name,
            ::core::file!(),
            ::core::line!(),
        )),
    );
    let error_response = if policy.streaming {
        quote!(#krate::__private::empty_error_response())
    } else {
        quote!(#krate::__private::error_response())
    };
    let call = quote!(__cors_handler(#(#arguments),*));
    let call = if policy.catch_errors {
        quote! {
            match #krate::__private::catch_unwind(#call).await {
                ::core::result::Result::Ok(__cors_result) => __cors_result,
                ::core::result::Result::Err(__cors_panic) => {
                    #krate::__private::log_panic(&__CORS_POLICY, &*__cors_panic);
                    return ::core::result::Result::Ok(__cors_after.finish(#error_response));
                }
            }
        }
    } else {
        quote!(#call.await)
    };
    let before = if policy.preflight {
        quote_spanned! {output_span=>
            match #krate::__private::before(&__CORS_POLICY, &#request) {
                #krate::__private::Before::Respond(__cors_preflight) => {
                    return ::core::result::Result::Ok(__cors_preflight);
                }
                #krate::__private::Before::Continue(__cors_after) => __cors_after,
            }
        }
    } else {
        // The handler answers preflights itself: no empty body of its type is needed.
        quote!(#krate::__private::actual(&__CORS_POLICY, &#request))
    };
    let into_result = quote_spanned! {output_span=>
        #krate::__private::HandlerResult::into_result(#call)
    };
    let response = if policy.streaming {
        quote_spanned! {output_span=> __cors_value }
    } else {
        quote_spanned! {output_span=> {
            #[allow(unused_imports)]
            use #krate::__private::{AlreadyResponse as _, ViaIntoResponse as _};
            let mut __cors_output =
                #krate::__private::Output(::core::option::Option::Some(__cors_value));
            (&mut __cors_output).take_response().await
        }}
    };
    let on_error = if policy.catch_errors {
        quote! {
            #krate::__private::log_error(&__CORS_POLICY, &__cors_error);
            ::core::result::Result::Ok(__cors_after.finish(#error_response))
        }
    } else {
        quote!(::core::result::Result::Err(__cors_error))
    };

    quote! {
        #(#attrs)*
        #vis #outer_sig {
            #[allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            #inner_sig #block

            static __CORS_POLICY: #krate::__private::LazyPolicy =
                #krate::__private::LazyPolicy::new(#spec);
            #krate::__private::inventory::submit! {
                #krate::__private::Registered(&__CORS_POLICY)
            }

            let __cors_after = #before;
            match #into_result {
                ::core::result::Result::Ok(__cors_value) => {
                    ::core::result::Result::Ok(__cors_after.finish(#response))
                }
                ::core::result::Result::Err(__cors_error) => { #on_error }
            }
        }
    }
}

/// The runtime's `Spec` of a checked policy; `source` is a `PolicySource` expression.
pub(crate) fn spec(policy: &Policy, source: TokenStream) -> TokenStream {
    let krate = &policy.krate;
    let origins = &policy.origins;
    let origins_env = option(policy.origins_env.as_ref().map(|env| quote!(#env)));
    // Spanned at the path, so that a function of another signature is an error there.
    let origins_fn = option(
        policy
            .origins_fn
            .as_ref()
            .map(|path| quote_spanned!(path.span()=> #krate::__private::origins_fn(#path))),
    );
    let credentials = policy.credentials;
    let allow_insecure_http = policy.allow_insecure_http;
    let methods = option(policy.methods.as_ref().map(|list| quote!(&[#(#list),*])));
    let headers = option(policy.headers.as_ref().map(|list| quote!(&[#(#list),*])));
    let expose_headers = &policy.expose_headers;
    let max_age = option(policy.max_age.map(|age| quote!(#age)));
    let preflight = policy.preflight;
    quote! {
        #krate::__private::Spec {
            source: #source,
            origins: &[#(#origins),*],
            origins_env: #origins_env,
            origins_fn: #origins_fn,
            credentials: #credentials,
            allow_insecure_http: #allow_insecure_http,
            methods: #methods,
            headers: #headers,
            expose_headers: &[#(#expose_headers),*],
            max_age: #max_age,
            preflight: #preflight,
        }
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
