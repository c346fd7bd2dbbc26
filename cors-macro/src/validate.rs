//! Checking the arguments with `cors-grammar`, the same rules the runtime applies to the
//! environment at cold start. Every problem is reported, each at its own token.

use cors_grammar::{
    HeaderList, HeaderNameEntry, MAX_AGE_LIMIT, MethodEntry, Origin, OriginProblem,
};
use proc_macro2::Span;
use syn::{LitStr, Path};

use crate::args::{Args, Origins, StrList, max_age_expected};
use crate::errors::Errors;

/// A checked `#[cors(...)]`: what the expansion writes into the runtime's `Spec`.
pub(crate) struct Policy {
    pub(crate) origins: Vec<String>,
    pub(crate) origins_env: Option<String>,
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

const CREDENTIALS_FIX: &str = "use `origins = [\"https://…\"]` (or `origins_env = \"ALLOWED_ORIGINS\"`) \
     to list the origins that may send cookies";

pub(crate) fn validate(args: Args) -> syn::Result<Policy> {
    let mut errors = Errors::default();
    let credentials = args.credentials.is_some();
    let allow_insecure_http = args.allow_insecure_http.is_some();

    let origins = match &args.origins {
        None => Vec::new(),
        Some(Origins::Any(lit)) => {
            if credentials {
                errors.push(
                    lit.span(),
                    format!(
                        "`origins = \"*\"` with `credentials`: browsers refuse \
                         `Access-Control-Allow-Origin: *` on requests with credentials; \
                         {CREDENTIALS_FIX}"
                    ),
                );
            }
            if let Some(env) = &args.origins_env {
                errors.push(
                    env.span(),
                    "`origins = \"*\"` already allows every origin, so `origins_env` could only \
                     repeat it; remove one of the two",
                );
            }
            vec!["*".to_owned()]
        }
        Some(Origins::List(list)) => {
            check_origins(list, credentials, allow_insecure_http, &args, &mut errors)
        }
    };
    if args.origins.is_none() && args.origins_env.is_none() {
        errors.push(
            Span::call_site(),
            "no origins: add `origins = [\"https://app.example.com\"]` (a fixed list), \
             `origins_env = \"ALLOWED_ORIGINS\"` (a list read from the environment at cold \
             start) or `origins = \"*\"` (any origin, without credentials)",
        );
    }
    if let (Some(span), false) = (args.allow_insecure_http, credentials) {
        errors.push(
            span,
            "`allow_insecure_http` only matters with `credentials`; remove it",
        );
    }

    let preflight = args.preflight.as_ref().is_none_or(|lit| lit.value);
    if !preflight {
        for (name, list) in [("methods", &args.methods), ("headers", &args.headers)] {
            if let Some(list) = list {
                errors.push(
                    list.span,
                    format!(
                        "`{name}` only shapes the answer to preflights, which the handler gives \
                         itself with `preflight = false`; remove one of the two"
                    ),
                );
            }
        }
        if let Some(max_age) = &args.max_age {
            errors.push(
                max_age.span(),
                "`max_age` only shapes the answer to preflights, which the handler gives itself \
                 with `preflight = false`; remove one of the two",
            );
        }
    }

    let methods = args.methods.as_ref().map(|list| {
        check_list(list, &mut errors, |lit, errors| {
            match MethodEntry::parse(&lit.value()) {
                Ok(MethodEntry::Any) if credentials => errors.push(
                    lit.span(),
                    "`*` in `methods` with `credentials`: browsers then read it as a method \
                 literally named `*`; list the methods, like `methods = [\"GET\", \"PUT\"]`",
                ),
                Ok(_) => {}
                Err(err) => errors.push(lit.span(), format!("invalid method: {err}")),
            }
        })
    });
    let headers = args
        .headers
        .as_ref()
        .map(|list| check_headers(list, HeaderList::Allow, credentials, &mut errors));
    let expose_headers = args
        .expose_headers
        .as_ref()
        .map(|list| check_headers(list, HeaderList::Expose, credentials, &mut errors))
        .unwrap_or_default();

    let max_age = args
        .max_age
        .as_ref()
        .and_then(|lit| match lit.base10_parse::<u64>() {
            Ok(age) if age <= MAX_AGE_LIMIT => Some(age),
            _ => {
                errors.push(lit.span(), max_age_expected());
                None
            }
        });

    errors.finish()?;
    Ok(Policy {
        origins,
        origins_env: args.origins_env.as_ref().map(LitStr::value),
        credentials,
        allow_insecure_http,
        methods,
        headers,
        expose_headers,
        max_age,
        preflight,
        catch_errors: args.catch_errors.is_some(),
        streaming: args.streaming.is_some(),
        krate: args
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::cors_runtime)),
    })
}

fn check_origins(
    list: &StrList,
    credentials: bool,
    allow_insecure_http: bool,
    args: &Args,
    errors: &mut Errors,
) -> Vec<String> {
    if list.items.is_empty() {
        errors.push(
            list.span,
            "the list is empty, so no origin would ever be allowed; list origins like \
             `[\"https://app.example.com\"]`, or use `origins_env = \"ALLOWED_ORIGINS\"`",
        );
    }
    let several = list.items.len() > 1;
    let mut seen: Vec<Origin> = Vec::new();
    for lit in &list.items {
        let entry = lit.value();
        match Origin::parse(&entry) {
            Ok(Origin::Any) if credentials => errors.push(
                lit.span(),
                format!(
                    "`\"*\"` with `credentials`: browsers refuse `Access-Control-Allow-Origin: *` \
                     on requests with credentials; {CREDENTIALS_FIX}"
                ),
            ),
            Ok(Origin::Any) if several => errors.push(
                lit.span(),
                format!("invalid origin: `*` {}", OriginProblem::AnyAmongEntries),
            ),
            Ok(Origin::Any) if args.origins_env.is_some() => errors.push(
                lit.span(),
                "`\"*\"` already allows every origin, so `origins_env` could only repeat it; \
                 remove one of the two",
            ),
            Ok(origin) if credentials && !allow_insecure_http && !origin.is_trustworthy() => errors
                .push(
                    lit.span(),
                    format!(
                        "invalid origin with `credentials`: `{entry}` {} (or, if you accept \
                         that risk, add `allow_insecure_http`)",
                        OriginProblem::InsecureWithCredentials
                    ),
                ),
            Ok(origin) if seen.contains(&origin) => {
                errors.push(lit.span(), format!("`{entry}` is listed twice; remove one"))
            }
            Ok(origin) => seen.push(origin),
            Err(err) => errors.push(lit.span(), format!("invalid origin: {err}")),
        }
    }
    list.items.iter().map(LitStr::value).collect()
}

fn check_headers(
    list: &StrList,
    kind: HeaderList,
    credentials: bool,
    errors: &mut Errors,
) -> Vec<String> {
    check_list(list, errors, |lit, errors| {
        match HeaderNameEntry::parse(&lit.value(), kind) {
            Ok(HeaderNameEntry::Any) if credentials => errors.push(
                lit.span(),
                format!(
                    "`*` in `{}` with `credentials`: browsers then read it as a header literally \
                     named `*`; list the headers by name",
                    kind.argument()
                ),
            ),
            Ok(_) => {}
            Err(err) => errors.push(lit.span(), format!("invalid header name: {err}")),
        }
    })
}

fn check_list(
    list: &StrList,
    errors: &mut Errors,
    mut check: impl FnMut(&LitStr, &mut Errors),
) -> Vec<String> {
    for lit in &list.items {
        check(lit, errors);
    }
    list.items.iter().map(LitStr::value).collect()
}
