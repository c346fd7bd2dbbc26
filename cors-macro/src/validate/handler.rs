//! Checking the annotated item: an `async fn` with a `Request` parameter that returns a
//! `Result`. The request parameter is found by its type's name; that the type is
//! `lambda_http`'s, whatever path names it, is for the compiler to tell, in the expansion.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type, TypePath};

use crate::errors::Errors;
use crate::parse::SHAPE;

/// The parts of the handler the expansion needs.
pub(crate) struct Handler {
    pub(crate) item: ItemFn,
    /// Index of the `Request` parameter.
    pub(crate) request: usize,
    /// The return type, a path ending in `Result`.
    pub(crate) output: TypePath,
}

/// The handler's parts, or every way it is not a `lambda_http` handler, each at its token.
pub(crate) fn handler(item: ItemFn) -> syn::Result<Handler> {
    let sig = &item.sig;
    let mut errors = Errors::default();
    let mut push = |span: Span, message: String| errors.push(span, message);
    if sig.asyncness.is_none() {
        push(
            sig.fn_token.span,
            format!("the handler is not an `async fn`: write `async fn`; {SHAPE}"),
        );
    }
    if let Some(receiver) = sig.receiver() {
        push(
            receiver.span(),
            "`#[cors]` goes on a free function, not a method; pass shared state as a parameter \
             instead, like `async fn handler(state: &State, event: Request)`"
                .to_owned(),
        );
    }
    if let Some(constness) = &sig.constness {
        push(
            constness.span,
            format!("a handler cannot be `const`; {SHAPE}"),
        );
    }
    if let Some(variadic) = &sig.variadic {
        push(
            variadic.span(),
            format!("a handler cannot be variadic; {SHAPE}"),
        );
    }

    let request = sig.inputs.iter().position(|arg| match arg {
        FnArg::Typed(arg) => is_request(&arg.ty),
        FnArg::Receiver(_) => false,
    });
    if request.is_none() {
        push(
            sig.paren_token.span.join(),
            format!(
                "the handler has no parameter of type `Request`: `#[cors]` reads the request's \
                 `Origin`; add `event: lambda_http::Request`; {SHAPE}"
            ),
        );
    }

    let output = match &sig.output {
        ReturnType::Type(_, ty) => match &**ty {
            Type::Path(path) if path.qself.is_none() && ends_in(path, "Result") => {
                Some(path.clone())
            }
            other => {
                push(
                    other.span(),
                    format!(
                        "the handler must return a `Result` (any path ending in `Result`, such as \
                         `anyhow::Result<T>`); {SHAPE}"
                    ),
                );
                None
            }
        },
        ReturnType::Default => {
            push(
                sig.ident.span(),
                format!("the handler returns nothing: it must return a `Result`; {SHAPE}"),
            );
            None
        }
    };

    errors.finish()?;
    let (Some(request), Some(output)) = (request, output) else {
        unreachable!("every missing part pushed an error")
    };
    Ok(Handler {
        item,
        request,
        output,
    })
}

fn ends_in(path: &TypePath, name: &str) -> bool {
    path.path
        .segments
        .last()
        .is_some_and(|last| last.ident == name)
}

fn is_request(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => path.qself.is_none() && ends_in(path, "Request"),
        _ => false,
    }
}

impl Handler {
    /// The handler's error type, as the expansion's return type names it: the second argument
    /// of a two-argument `Result`, or the alias's own error type through a projection
    /// (`anyhow::Result<T>` → `<anyhow::Result<()> as HandlerResult>::Error`).
    pub(crate) fn error_type(&self, krate: &syn::Path) -> Type {
        let mut path = self.output.clone();
        let Some(last) = path.path.segments.last_mut() else {
            unreachable!("checked to end in `Result`")
        };
        if let PathArguments::AngleBracketed(args) = &mut last.arguments {
            let mut types = args.args.iter_mut().filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            });
            let ok = types.next();
            if let Some(error) = types.next() {
                return error.clone();
            }
            // The success type may be `impl Trait`, which cannot appear in a projection.
            if let Some(ok) = ok {
                *ok = syn::parse_quote!(());
            }
        }
        syn::parse_quote!(<#path as #krate::__private::HandlerResult>::Error)
    }

    /// The handler's success type as written: the first argument of its `Result`, when it has
    /// one; otherwise (an alias without arguments) its projection through `HandlerResult`.
    pub(crate) fn ok_type(&self, krate: &syn::Path) -> (Type, bool) {
        let last = self.output.path.segments.last();
        if let Some(PathArguments::AngleBracketed(args)) = last.map(|last| &last.arguments) {
            if let Some(GenericArgument::Type(ty)) = args.args.first() {
                return (ty.clone(), true);
            }
        }
        let path = &self.output;
        (
            syn::parse_quote!(<#path as #krate::__private::HandlerResult>::Ok),
            false,
        )
    }

    /// The parameter's binding when it is a plain name (`event`, `mut event`).
    pub(crate) fn simple_binding(pat: &Pat) -> Option<&syn::Ident> {
        match pat {
            Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                Some(&ident.ident)
            }
            _ => None,
        }
    }
}
