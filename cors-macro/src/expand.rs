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
use syn::{
    FnArg, GenericArgument, GenericParam, Ident, Lifetime, LifetimeParam, Pat, PatIdent,
    PathArguments, ReturnType, Type, TypeParamBound,
};

use crate::handler::Handler;
use crate::validate::Policy;

pub(crate) fn expand(policy: &Policy, handler: Handler) -> TokenStream {
    let krate = &policy.krate;
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

    // The outer function binds every parameter to a plain name it can pass on, and names every
    // elided lifetime, so that its `impl Future` can capture them in any edition.
    let mut outer_sig = sig.clone();
    outer_sig.asyncness = None;
    let mut arguments: Vec<Ident> = Vec::new();
    let mut elided = Elided::default();
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
        elided.name_in(&mut input.ty);
        arguments.push(name);
    }
    for (position, lifetime) in elided.named.iter().enumerate() {
        outer_sig.generics.params.insert(
            position,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    let request = &arguments[request];

    // What the outer function answers on success: a handler's `Response<B>` keeps its type;
    // any other `IntoResponse` value becomes a `CorsResponse`, converted once by `lambda_http`.
    let direct = policy.streaming || (written && is_response(&ok_type));
    let (shape, success) = if direct {
        (quote!(#krate::__private::Direct), quote!(#ok_type))
    } else {
        (
            quote!(#krate::__private::Converted),
            quote!(#krate::CorsResponse<#ok_type>),
        )
    };
    let catch = match (policy.catch_errors, policy.streaming) {
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
    let spec = spec(
        policy,
        quote!(#krate::__private::attribute_source(
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
    let decide = if policy.preflight {
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
            #[allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            #sig #block

            static __CORS_POLICY: #krate::__private::LazyPolicy =
                #krate::__private::LazyPolicy::new(#spec);
            #krate::__private::inventory::submit! {
                #krate::__private::Registered(&__CORS_POLICY)
            }

            #decide
        }
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

/// The elided lifetimes of the parameters' types, given names (`'__cors_l0`, …).
#[derive(Default)]
struct Elided {
    named: Vec<Lifetime>,
    /// Whether a parameter's type is `impl Trait` (its type parameter has no name to pass).
    apit: bool,
}

impl Elided {
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__cors_l{}", self.named.len()), Span::call_site());
        self.named.push(lifetime.clone());
        lifetime
    }

    fn name_lifetime(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        }
    }

    fn name_in(&mut self, ty: &mut Type) {
        match ty {
            Type::Reference(reference) => {
                match &mut reference.lifetime {
                    Some(lifetime) => self.name_lifetime(lifetime),
                    None => reference.lifetime = Some(self.fresh()),
                }
                self.name_in(&mut reference.elem);
            }
            Type::Path(path) => {
                if let Some(qself) = &mut path.qself {
                    self.name_in(&mut qself.ty);
                }
                for segment in &mut path.path.segments {
                    if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
                        for arg in &mut args.args {
                            match arg {
                                GenericArgument::Lifetime(lifetime) => {
                                    self.name_lifetime(lifetime);
                                }
                                GenericArgument::Type(ty) => self.name_in(ty),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(|ty| self.name_in(ty)),
            Type::Array(array) => self.name_in(&mut array.elem),
            Type::Slice(slice) => self.name_in(&mut slice.elem),
            Type::Ptr(ptr) => self.name_in(&mut ptr.elem),
            Type::Paren(paren) => self.name_in(&mut paren.elem),
            Type::Group(group) => self.name_in(&mut group.elem),
            Type::TraitObject(object) => {
                for bound in &mut object.bounds {
                    if let TypeParamBound::Lifetime(lifetime) = bound {
                        self.name_lifetime(lifetime);
                    }
                }
            }
            Type::ImplTrait(_) => self.apit = true,
            // A function pointer's lifetimes are its own (higher-ranked); anything else has none.
            _ => {}
        }
    }
}

/// `+ use<…>` naming every generic parameter, so that the outer function's `impl Future`
/// captures the parameters' lifetimes in every edition (edition 2021 does not capture
/// lifetimes by default). With an `impl Trait` parameter, which `use<…>` cannot name, the
/// lifetimes are captured with the `Captures` bound instead.
fn capture_bound(krate: &syn::Path, generics: &syn::Generics, apit: bool) -> TokenStream {
    let lifetimes: Vec<&Lifetime> = generics.lifetimes().map(|param| &param.lifetime).collect();
    if apit {
        if lifetimes.is_empty() {
            return TokenStream::new();
        }
        return quote!(+ #krate::__private::Captures<(#(&#lifetimes (),)*)>);
    }
    let params = generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(param) => {
            let lifetime = &param.lifetime;
            quote!(#lifetime)
        }
        GenericParam::Type(param) => {
            let ident = &param.ident;
            quote!(#ident)
        }
        GenericParam::Const(param) => {
            let ident = &param.ident;
            quote!(#ident)
        }
    });
    quote!(+ use<#(#params),*>)
}

/// `::<T, N>` for the handler's own type and const parameters, when it has any (and no
/// `impl Trait` parameter, which forbids them).
fn turbofish(generics: &syn::Generics, apit: bool) -> TokenStream {
    let params: Vec<&Ident> = generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(&param.ident),
            GenericParam::Const(param) => Some(&param.ident),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    if params.is_empty() || apit {
        TokenStream::new()
    } else {
        quote!(::<#(#params),*>)
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
