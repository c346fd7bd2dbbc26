//! Checking the arguments with `cors-grammar`'s rules, the same rules the runtime applies at
//! cold start, which explain each problem in the same words. Every problem is reported, each at
//! its own token, beside the mistakes parsing found.

use cors_grammar::rules::{self, Arguments, Entries, Problem};
use proc_macro2::Span;
use syn::LitStr;
use syn::spanned::Spanned;

use crate::arguments::{Args, StrList};
use crate::parse::Parsed;

/// The arguments, if parsing found no mistake and they break no rule.
pub(crate) fn arguments(parsed: Parsed) -> syn::Result<Args> {
    let Parsed {
        args,
        mut errors,
        complete,
    } = parsed;
    // The literals' values, which the rules borrow.
    let origins = args.origins.as_ref().map(|origins| origins.entries());
    let methods = args.methods.as_ref().map(StrList::entries);
    let headers = args.headers.as_ref().map(StrList::entries);
    let expose_headers = args.expose_headers.as_ref().map(StrList::entries);
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
        max_age: args.max_age,
        preflight: args.preflight(),
    };
    let (_, problems) = rules::check(&arguments);
    for (span, problem) in problems {
        // "No origins" or "`allow_insecure_http` without `credentials`" may be about the
        // argument that could not be read.
        if !complete && is_about_a_missing_argument(&problem) {
            continue;
        }
        errors.push(span, format!("{problem}{}", fix(&problem)));
    }
    errors.finish()?;
    Ok(args)
}

fn is_about_a_missing_argument(problem: &Problem) -> bool {
    matches!(
        problem,
        Problem::NoOrigins | Problem::InsecureHttpWithoutCredentials
    )
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

/// A list's entries as the rules take them.
fn entries((at, values): &(Span, Vec<(Span, String)>)) -> Entries<'_, Span> {
    Entries {
        at: *at,
        entries: values
            .iter()
            .map(|(span, value)| (*span, value.as_str()))
            .collect(),
    }
}
