//! Parsing: the arguments into the model (`Args`), each argument read on its own so that one
//! mistake never hides another, and the annotated item into a function.

mod handler;
mod values;

use proc_macro2::{TokenStream, TokenTree};
use syn::Token;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::spanned::Spanned;

use crate::arguments::{Args, FrontEnd};
use crate::errors::Errors;
pub(crate) use handler::{SHAPE, handler};
use values::{set_flag, set_once};

/// How an argument's value is read into `Args` (given the argument's name, for messages).
type Read = fn(&mut Args, &ParseNestedMeta<'_>, &'static str) -> syn::Result<()>;

/// One argument: its name, which front ends take it, and how its value is read.
struct Argument {
    name: &'static str,
    /// Why `cors_layer!` refuses it, for an argument only the attribute takes.
    not_in_a_layer: Option<&'static str>,
    read: Read,
}

/// Every argument, in the order messages list them.
const ARGUMENTS: [Argument; 13] = [
    both("origins", |args, meta, name| {
        set_once(&mut args.origins, meta, name, values::origins)
    }),
    both("origins_env", |args, meta, name| {
        set_once(&mut args.origins_env, meta, name, values::env_name)
    }),
    both("origins_fn", |args, meta, name| {
        set_once(&mut args.origins_fn, meta, name, values::function_path)
    }),
    both("credentials", |args, meta, name| {
        set_flag(&mut args.credentials, meta, name)
    }),
    both("allow_insecure_http", |args, meta, name| {
        set_flag(&mut args.allow_insecure_http, meta, name)
    }),
    both("methods", |args, meta, name| {
        set_once(&mut args.methods, meta, name, values::list)
    }),
    both("headers", |args, meta, name| {
        set_once(&mut args.headers, meta, name, values::list)
    }),
    both("expose_headers", |args, meta, name| {
        set_once(&mut args.expose_headers, meta, name, values::list)
    }),
    both("max_age", |args, meta, name| {
        set_once(&mut args.max_age, meta, name, values::max_age)
    }),
    both("preflight", |args, meta, name| {
        set_once(&mut args.preflight, meta, name, values::bool)
    }),
    attribute_only(
        "catch_errors",
        CATCH_ERRORS_IN_A_LAYER,
        |args, meta, name| set_flag(&mut args.catch_errors, meta, name),
    ),
    attribute_only("streaming", STREAMING_IN_A_LAYER, |args, meta, name| {
        set_flag(&mut args.streaming, meta, name)
    }),
    both("crate", |args, meta, name| {
        set_once(&mut args.krate, meta, name, values::crate_path)
    }),
];

const STREAMING_IN_A_LAYER: &str = "`streaming` is an argument of `#[cors]` on a handler: a \
     layer passes every response body through untouched, streaming bodies included; remove it";
const CATCH_ERRORS_IN_A_LAYER: &str = "`catch_errors` is an argument of `#[cors]` on a handler: \
     a layer puts its headers on every response the service inside it gives, error responses \
     included; to answer a panic with a 500 that carries them, add tower-http's \
     `CatchPanicLayer` inside this one (`.layer(CatchPanicLayer::new()).layer(cors_layer!(…))`) \
     and remove this argument";

const fn both(name: &'static str, read: Read) -> Argument {
    Argument {
        name,
        not_in_a_layer: None,
        read,
    }
}

const fn attribute_only(name: &'static str, not_in_a_layer: &'static str, read: Read) -> Argument {
    Argument {
        name,
        not_in_a_layer: Some(not_in_a_layer),
        read,
    }
}

impl Argument {
    fn taken_by(&self, front: FrontEnd) -> bool {
        front == FrontEnd::Attribute || self.not_in_a_layer.is_none()
    }
}

/// The arguments `front` takes, as a message lists them.
pub(crate) fn accepted(front: FrontEnd) -> String {
    let names: Vec<String> = ARGUMENTS
        .iter()
        .filter(|argument| argument.taken_by(front))
        .map(|argument| format!("`{}`", argument.name))
        .collect();
    names.join(", ")
}

/// What parsing found: the arguments it could read, and every mistake.
pub(crate) struct Parsed {
    pub(crate) args: Args,
    pub(crate) errors: Errors,
    /// Whether every argument written was read. When one was not (unknown or malformed), the
    /// checks that an argument is missing are skipped: it may be the one meant.
    pub(crate) complete: bool,
}

/// The arguments of `front`, each read on its own: a mistake in one is recorded, the rest of
/// that argument skipped up to the next comma, and the next one read.
pub(crate) fn arguments(tokens: TokenStream, front: FrontEnd) -> Parsed {
    let mut parsed = Parsed {
        args: Args::default(),
        errors: Errors::default(),
        complete: true,
    };
    let parser = syn::meta::parser(|meta| {
        if let Err(error) = read(&mut parsed, &meta, front) {
            parsed.errors.add(error);
            parsed.complete = false;
            while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                meta.input.parse::<TokenTree>()?;
            }
        }
        Ok(())
    });
    // A list that is not `name = value, ...` at all (a missing comma, a literal for a name).
    if let Err(error) = parser.parse2(tokens) {
        parsed.errors.add(error);
        parsed.complete = false;
    }
    parsed
}

fn read(parsed: &mut Parsed, meta: &ParseNestedMeta<'_>, front: FrontEnd) -> syn::Result<()> {
    let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
        return Err(meta.error(format!(
            "unknown argument; expected one of {}",
            accepted(front)
        )));
    };
    let Some(argument) = ARGUMENTS.iter().find(|argument| argument.name == name) else {
        return Err(meta.error(match suggestion(&name, front) {
            Some(known) => format!(
                "unknown argument `{name}`: did you mean `{known}`? The arguments are {}",
                accepted(front)
            ),
            None => format!(
                "unknown argument `{name}`; expected one of {}",
                accepted(front)
            ),
        }));
    };
    if let (FrontEnd::Layer, Some(refusal)) = (front, argument.not_in_a_layer) {
        parsed.errors.push(meta.path.span(), refusal);
    }
    (argument.read)(&mut parsed.args, meta, argument.name)
}

/// The argument of `front` that an unknown one is probably a typo of.
fn suggestion(unknown: &str, front: FrontEnd) -> Option<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    let trimmed = [
        "access_control_allow_",
        "access_control_",
        "allowed_",
        "allow_",
    ]
    .iter()
    .find_map(|prefix| unknown.strip_prefix(prefix))
    .unwrap_or(&unknown);
    ARGUMENTS
        .iter()
        .filter(|argument| argument.taken_by(front))
        .map(|argument| {
            let known = argument.name;
            let distance = edit_distance(&unknown, known).min(edit_distance(trimmed, known));
            (distance, known)
        })
        .filter(|&(distance, known)| distance <= 2 && distance < known.len() / 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, known)| known)
}

/// Levenshtein distance, on bytes (argument names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.bytes().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}
