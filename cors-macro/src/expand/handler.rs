//! Generating the wrapped handler.
//!
//! The user's function is kept as written, signature and body (so `?`, `return`, `impl Trait`
//! and every span behave as before), as an inner `async fn` of the same name inside an outer,
//! plain `fn` with the same name, attributes, visibility and parameters. When called, the outer
//! function decides on the request at once: a preflight is answered without calling the
//! handler; otherwise it calls the handler and returns its future wrapped with the decision
//! (`CorsFuture`), which puts the headers on the response. Nothing else is kept across the
//! handler's `.await`s: no second copy of the parameters.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, GenericParam, Ident, LifetimeParam, Pat, PatIdent, ReturnType, Signature, Type};

use super::lifetimes::{Elided, capture_bound, turbofish};
use super::respan;
use crate::arguments::Args;
use crate::errors::Errors;
use crate::validate::Handler;

/// The wrapped handler; on any error, the errors beside `item` unchanged, so that one mistake
/// gives one message and not a cascade about the missing function.
pub(crate) fn handler(
    args: syn::Result<Args>,
    handler: syn::Result<Handler>,
    item: TokenStream,
) -> TokenStream {
    match (args, handler) {
        (Ok(args), Ok(handler)) => wrapped(&args, handler),
        (args, handler) => {
            let mut errors = Errors::default();
            for error in [args.err(), handler.err()].into_iter().flatten() {
                errors.add(error);
            }
            let errors = errors.finish().err().map(|e| e.to_compile_error());
            quote!(#errors #item)
        }
    }
}

fn wrapped(args: &Args, handler: Handler) -> TokenStream {
    let krate = &args.krate();
    let error_type = handler.error_type(krate);
    let (ok_type, written) = handler.ok_type(krate);
    let output_span = handler.output.span();
    let Handler { item, request, .. } = handler;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = item;

    // `#[tracing::instrument]` and its kind wrap the future of the handler as written: they go
    // on the inner function (same name, so the span is named as before). Everything else stays
    // on the outer one, whose lint attributes cover the inner one too.
    let (inner_attrs, outer_attrs): (Vec<_>, Vec<_>) = attrs.into_iter().partition(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "instrument")
    });

    let (mut outer_sig, arguments, elided) = outer_signature(&sig);
    let request_type = match &outer_sig.inputs[request] {
        FnArg::Typed(input) => Some(input.ty.clone()),
        FnArg::Receiver(_) => None,
    };
    let request = &arguments[request];

    // What the outer function answers on success: a handler's `Response<B>` keeps its type;
    // any other `IntoResponse` value becomes a `CorsResponse`, converted once by `lambda_http`.
    let direct = args.streaming.is_some() || (written && is_response(&ok_type));
    let (shape, success) = if direct {
        (quote!(#krate::__private::Direct), quote!(#ok_type))
    } else {
        (
            quote!(#krate::__private::Converted),
            quote!(#krate::CorsResponse<#ok_type>),
        )
    };
    let catch = match (args.catch_errors.is_some(), args.streaming.is_some()) {
        (false, _) => quote!(#krate::__private::Propagate),
        (true, false) => quote!(#krate::__private::CatchWithJson),
        (true, true) => quote!(#krate::__private::CatchWithEmpty),
    };
    let captures = capture_bound(krate, &outer_sig.generics, elided.apit);
    outer_sig.output = ReturnType::Type(
        Default::default(),
        Box::new(syn::parse_quote_spanned! {output_span=>
            impl ::core::future::Future<
                Output = ::core::result::Result<#success, #error_type>,
            > #captures
        }),
    );

    let name = outer_sig.ident.to_string();
    let policy = super::registered_policy(
        args,
        &quote!(#krate::__private::attribute_source(
            #name,
            ::core::file!(),
            ::core::line!(),
        )),
    );
    let handler_name = &outer_sig.ident;
    let turbofish = turbofish(&sig.generics, elided.apit);
    let future = quote_spanned! {output_span=>
        #krate::__private::CorsFuture::<_, _, #shape, #catch>
    };
    let call = respan(
        quote!(#handler_name #turbofish (#(#arguments),*)),
        output_span,
    );
    // A success value other than `Response<…>` is checked to be `IntoResponse` here, with the
    // error at the handler's return type.
    let handle = if direct {
        quote_spanned!(output_span=> #future::handler)
    } else {
        let krate = respan(krate.to_token_stream(), output_span);
        quote_spanned!(output_span=> #krate::__private::converted::<_, #catch>)
    };
    // The request is `lambda_http`'s: an axum or other `http::Request` is an error at its type,
    // which says to use `cors_layer!`.
    let is_lambda_request = request_type
        .map(|ty| quote_spanned!(ty.span()=> <#ty as #krate::__private::LambdaRequest>::check();));
    let decide = if args.preflight() {
        quote_spanned! {output_span=>
            match #krate::__private::before(&__CORS_POLICY, &#request) {
                #krate::__private::Before::Respond(__cors_preflight) => {
                    #future::preflight(__cors_preflight)
                }
                #krate::__private::Before::Continue(__cors_after) => {
                    #handle(#call, __cors_after)
                }
            }
        }
    } else {
        // The handler answers preflights itself: no empty body of its type is needed.
        quote_spanned! {output_span=>
            {
                let __cors_after = #krate::__private::actual(&__CORS_POLICY, &#request);
                #handle(#call, __cors_after)
            }
        }
    };

    quote! {
        #(#outer_attrs)*
        #vis #outer_sig {
            #(#inner_attrs)*
            // `async` is the shape `#[cors]` requires, awaited or not.
            #[allow(clippy::too_many_arguments, clippy::needless_lifetimes, clippy::unused_async)]
            #sig #block

            #policy

            #is_lambda_request
            #decide
        }
    }
}

/// The outer function's signature: every parameter bound to a plain name it can pass on, and
/// every elided lifetime named, so that its `impl Future` can capture them in any edition; with
/// those names, in order, and the lifetimes named.
///
/// A name the user wrote keeps its text (the documentation shows it) but is marked as
/// generated, so that lints about the user's bindings (`_event` used) do not fire on passing it
/// on.
fn outer_signature(sig: &Signature) -> (Signature, Vec<Ident>, Elided) {
    let mut outer_sig = sig.clone();
    outer_sig.asyncness = None;
    let mut arguments: Vec<Ident> = Vec::new();
    let mut elided = Elided::default();
    for (index, input) in outer_sig.inputs.iter_mut().enumerate() {
        let FnArg::Typed(input) = input else { continue };
        let name = match Handler::simple_binding(&input.pat) {
            Some(ident) => {
                let mut name = ident.clone();
                name.set_span(Span::call_site());
                name
            }
            None => format_ident!("__cors_arg{}", index),
        };
        *input.pat = Pat::Ident(PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name.clone(),
            subpat: None,
        });
        elided.name_in(&mut input.ty);
        arguments.push(name);
    }
    for (position, lifetime) in elided.named.iter().enumerate() {
        outer_sig.generics.params.insert(
            position,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    (outer_sig, arguments, elided)
}

/// Whether the handler's success type is written as `Response<…>`.
fn is_response(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Response"),
        Type::Group(group) => is_response(&group.elem),
        Type::Paren(paren) => is_response(&paren.elem),
        _ => false,
    }
}
