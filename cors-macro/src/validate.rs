//! Checking the arguments with `cors-grammar`'s rules, the same rules the runtime applies at
//! cold start, which explain each problem in the same words. Every problem is reported, each at
//! its own token.

use cors_grammar::rules::{self, Arguments, Entries, Problem};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{LitStr, Path};

use crate::args::{Args, Origins, StrList, max_age_expected};
use crate::errors::Errors;

/// A checked `#[cors(...)]`: what the expansion writes into the runtime's `Spec`.
pub(crate) struct Policy {
    pub(crate) origins: Vec<String>,
    pub(crate) origins_env: Option<String>,
    /// `origins_fn = path`: the predicate's path, as written.
    pub(crate) origins_fn: Option<Path>,
    pub(crate) credentials: bool,
    pub(crate) allow_insecure_http: bool,
    pub(crate) methods: Option<Vec<String>>,
    pub(crate) headers: Option<Vec<String>>,
    pub(crate) expose_headers: Vec<String>,
    pub(crate) max_age: Option<u64>,
    pub(crate) preflight: bool,
    /// `catch_errors`: an `Err` or a panic becomes a 500 with CORS headers.
    pub(crate) catch_errors: bool,
    /// `streaming`: the handler returns `Response<B>` for a streaming body `B`, passed through.
    pub(crate) streaming: bool,
    pub(crate) krate: Path,
}

pub(crate) fn validate(args: Args) -> syn::Result<Policy> {
    let mut errors = Errors::default();

    // The literals' values, which the rules borrow.
    let origins = args.origins.as_ref().map(|origins| match origins {
        Origins::Any(lit) => (lit.span(), vec![(lit.span(), lit.value())]),
        Origins::List(list) => values(list),
    });
    let methods = args.methods.as_ref().map(values);
    let headers = args.headers.as_ref().map(values);
    let expose_headers = args.expose_headers.as_ref().map(values);
    let max_age = args
        .max_age
        .as_ref()
        .and_then(|lit| match lit.base10_parse::<u64>() {
            Ok(age) => Some((lit.span(), age)),
            Err(_) => {
                errors.push(lit.span(), max_age_expected());
                None
            }
        });

    let preflight = args.preflight.as_ref().is_none_or(|lit| lit.value);
    let arguments = Arguments {
        whole: Span::call_site(),
        origins: origins.as_ref().map(entries),
        origins_env: args.origins_env.as_ref().map(LitStr::span),
        origins_fn: args.origins_fn.as_ref().map(Spanned::span),
        credentials: args.credentials,
        allow_insecure_http: args.allow_insecure_http,
        methods: methods.as_ref().map(entries),
        headers: headers.as_ref().map(entries),
        expose_headers: expose_headers.as_ref().map(entries),
        max_age,
        preflight,
    };
    let (_, problems) = rules::check(&arguments);
    for (span, problem) in problems {
        errors.push(span, format!("{problem}{}", fix(&problem)));
    }
    errors.finish()?;

    let strings = |list: Option<(Span, Vec<(Span, String)>)>| {
        list.map(|(_, entries)| entries.into_iter().map(|(_, value)| value).collect())
    };
    Ok(Policy {
        origins: strings(origins).unwrap_or_default(),
        origins_env: args.origins_env.as_ref().map(LitStr::value),
        origins_fn: args.origins_fn.clone(),
        credentials: args.credentials.is_some(),
        allow_insecure_http: args.allow_insecure_http.is_some(),
        methods: strings(methods),
        headers: strings(headers),
        expose_headers: strings(expose_headers).unwrap_or_default(),
        max_age: max_age.map(|(_, age)| age),
        preflight,
        catch_errors: args.catch_errors.is_some(),
        streaming: args.streaming.is_some(),
        krate: args
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::cors_runtime)),
    })
}

/// How to fix a broken rule in the attribute, where the fix is written in arguments; the
/// rule's own explanation says the rest.
fn fix(problem: &Problem) -> &'static str {
    match problem {
        Problem::AnyOriginWithCredentials => {
            "; use `origins = [\"https://…\"]` (or `origins_env = \"ALLOWED_ORIGINS\"`) to list \
             the origins that may send cookies"
        }
        Problem::InsecureOriginWithCredentials(_) => {
            "; use `https://` (or, if you accept that risk, add `allow_insecure_http`)"
        }
        Problem::NoOrigins => {
            "; add `origins = [\"https://app.example.com\"]` (a fixed list), `origins_env = \
             \"ALLOWED_ORIGINS\"` (a list read from the environment at cold start), `origins_fn \
             = path::to::function` (a predicate) or `origins = \"*\"` (any origin, without \
             credentials)"
        }
        Problem::EmptyOriginList => {
            "; list origins like `[\"https://app.example.com\"]`, or use `origins_env = \
             \"ALLOWED_ORIGINS\"`"
        }
        _ => "",
    }
}

/// A list's span and each literal's span and value.
fn values(list: &StrList) -> (Span, Vec<(Span, String)>) {
    let entries = list.items.iter().map(|lit| (lit.span(), lit.value()));
    (list.span, entries.collect())
}

/// The same, as the rules take it.
fn entries((at, values): &(Span, Vec<(Span, String)>)) -> Entries<'_, Span> {
    Entries {
        at: *at,
        entries: values
            .iter()
            .map(|(span, value)| (*span, value.as_str()))
            .collect(),
    }
}
