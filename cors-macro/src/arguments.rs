//! The arguments of a policy: one model for both front ends, `#[cors(...)]` on a handler and
//! `cors_layer!(...)`. Parsing fills it (`parse`), checking reads it (`validate`), and the
//! expansion lowers it to the runtime's `Spec` (`expand`). Every value keeps its span, so that
//! a check, including one that involves two arguments, points at the offending token.

use proc_macro2::Span;
use syn::{LitBool, LitStr, Path};

/// The macro the arguments are written in. The layer takes every argument of the attribute but
/// the two about the handler's own response (`catch_errors`, `streaming`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrontEnd {
    /// `#[cors(...)]` on a handler.
    Attribute,
    /// `cors_layer!(...)`.
    Layer,
}

/// `origins = ...`.
pub(crate) enum Origins {
    /// `origins = "*"`.
    Any(LitStr),
    /// `origins = ["...", ...]`.
    List(StrList),
}

/// A bracketed list of string literals, with the span of its brackets.
pub(crate) struct StrList {
    pub(crate) span: Span,
    pub(crate) items: Vec<LitStr>,
}

/// A flag such as `credentials`, with where it was written.
pub(crate) type Flag = Option<Span>;

/// Every argument as written; `None` when not given.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) origins: Option<Origins>,
    pub(crate) origins_env: Option<LitStr>,
    /// `origins_fn = path`: the predicate's path, as written.
    pub(crate) origins_fn: Option<Path>,
    pub(crate) credentials: Flag,
    pub(crate) allow_insecure_http: Flag,
    pub(crate) methods: Option<StrList>,
    pub(crate) headers: Option<StrList>,
    pub(crate) expose_headers: Option<StrList>,
    /// `max_age = N`: where, and the number of seconds.
    pub(crate) max_age: Option<(Span, u64)>,
    pub(crate) preflight: Option<LitBool>,
    /// `catch_errors` (the attribute only): an `Err` or a panic becomes a 500 with CORS headers.
    pub(crate) catch_errors: Flag,
    /// `streaming` (the attribute only): the handler returns `Response<B>` for a streaming body
    /// `B`, passed through.
    pub(crate) streaming: Flag,
    /// `crate = "path"`.
    pub(crate) krate: Option<Path>,
}

impl Args {
    /// Whether preflights are answered by the policy (`preflight = false` hands them on).
    pub(crate) fn preflight(&self) -> bool {
        self.preflight.as_ref().is_none_or(|lit| lit.value)
    }

    /// The path of `cors_runtime` in generated code.
    pub(crate) fn krate(&self) -> Path {
        self.krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::cors_runtime))
    }
}

impl Origins {
    /// The span of the whole value, and each entry's span and value (`"*"` is the one-entry
    /// list `["*"]`).
    pub(crate) fn entries(&self) -> (Span, Vec<(Span, String)>) {
        match self {
            Origins::Any(lit) => (lit.span(), vec![(lit.span(), lit.value())]),
            Origins::List(list) => list.entries(),
        }
    }

    /// Each entry's value.
    pub(crate) fn values(&self) -> Vec<String> {
        self.entries()
            .1
            .into_iter()
            .map(|(_, value)| value)
            .collect()
    }
}

impl StrList {
    /// The span of the brackets, and each entry's span and value.
    pub(crate) fn entries(&self) -> (Span, Vec<(Span, String)>) {
        let entries = self.items.iter().map(|lit| (lit.span(), lit.value()));
        (self.span, entries.collect())
    }

    /// Each entry's value.
    pub(crate) fn values(&self) -> Vec<String> {
        self.items.iter().map(LitStr::value).collect()
    }
}
