//! Generating code: the wrapped handler (`handler`), the layer (`layer`), and what both declare,
//! the registered `static` policy lowered from the arguments into the runtime's `Spec`.
//!
//! Generated names are prefixed (`__cors_…`), paths fully qualified from the `crate` argument,
//! and the runtime is reached only through its `__private` module.

mod handler;
mod layer;
mod lifetimes;
mod without_lambda;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

use crate::arguments::{Args, Origins, StrList};
pub(crate) use handler::handler;
pub(crate) use layer::layer;
pub(crate) use without_lambda::without_lambda;

/// `static __CORS_POLICY`, the policy of `args` built on first use, registered so that
/// `cors_runtime::check()` builds it at cold start; `source` is a `PolicySource` expression
/// naming where it was written.
fn registered_policy(args: &Args, source: &TokenStream) -> TokenStream {
    let krate = args.krate();
    let spec = spec(args, &krate, source);
    quote! {
        static __CORS_POLICY: #krate::__private::LazyPolicy =
            #krate::__private::LazyPolicy::new(#spec);
        #krate::__private::inventory::submit! {
            #krate::__private::Registered(&__CORS_POLICY)
        }
    }
}

/// The runtime's `Spec` of checked arguments.
fn spec(args: &Args, krate: &Path, source: &TokenStream) -> TokenStream {
    let origins = args.origins.as_ref().map_or_else(Vec::new, Origins::values);
    let origins_env = option(args.origins_env.as_ref().map(|env| quote!(#env)));
    let origins_fn = option(args.origins_fn.as_ref().map(|path| origins_fn(krate, path)));
    let credentials = args.credentials.is_some();
    let allow_insecure_http = args.allow_insecure_http.is_some();
    let list = |list: &StrList| {
        let values = list.values();
        quote!(&[#(#values),*])
    };
    let methods = option(args.methods.as_ref().map(list));
    let headers = option(args.headers.as_ref().map(list));
    let expose_headers = args
        .expose_headers
        .as_ref()
        .map_or_else(Vec::new, StrList::values);
    let max_age = option(args.max_age.map(|(_, age)| quote!(#age)));
    let preflight = args.preflight();
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

/// The predicate of `origins_fn = path`: the function, called through checks of its parameter
/// and its result, each of which names the expected signature when it does not hold. Every
/// token is at the path, so that is where those errors point.
fn origins_fn(krate: &Path, path: &Path) -> TokenStream {
    let at = path.span();
    let krate = respan(krate.to_token_stream(), at);
    // Marked as generated where it points at the path: rustc would otherwise suggest `&path`
    // to a function that takes `Origin` by value (borrowing would satisfy this check).
    let from_origin = respan(
        quote!(#krate::__private::OriginsFnInput::from_origin),
        Span::call_site().located_at(at),
    );
    quote_spanned! {at=>
        #krate::__private::origins_fn(|__cors_origin| {
            let __cors_argument = #from_origin(__cors_origin);
            #krate::__private::OriginsFnOutput::into_bool(
                #krate::__private::OriginsFnSignature::call(&#path, __cors_argument),
            )
        })
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// `tokens`, every one of them at `span` (so that an error about an expression made of them
/// points there).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut respanned =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                tree = proc_macro2::TokenTree::Group(respanned);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}
